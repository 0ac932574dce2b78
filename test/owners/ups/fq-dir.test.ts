import { describe, expect, test } from 'vitest';
import { cetSubdirsOfFlavor, flavorMatchRank, flavorPrefixLength, isFlavor } from '../../../src/owners/ups/flavors.js';
import { fqDirCandidates, parseFqDir } from '../../../src/owners/ups/fq-dir.js';

describe('parseFqDir', () => {
  test('reads the cetmodules convention', () => {
    expect(parseFqDir('slf7.x86_64.e17.prof')).toEqual({ flavor: 'Linux64bit+3.10-2.17', qualifiers: 'e17:prof', convention: 'cet', cetSubdir: 'slf7.x86_64' });
    expect(parseFqDir('sl7.x86_64.e19.debug')).toMatchObject({ flavor: 'Linux64bit+3.10-2.17', qualifiers: 'e19:debug' });
    expect(parseFqDir('slf6.x86_64.e10.nu.s59.prof')).toMatchObject({ flavor: 'Linux64bit+2.6-2.12', qualifiers: 'e10:s59:nu:prof' });
    expect(parseFqDir('slf6.x86_64.e14.prof')).toMatchObject({ flavor: 'Linux64bit+2.6-2.12', qualifiers: 'e14:prof' });
    expect(parseFqDir('al9.x86_64.e28.prof')).toMatchObject({ flavor: 'Linux64bit+5.14-2.34-al9-3', qualifiers: 'e28:prof' });
    expect(parseFqDir('u20.x86_64.e20.prof')).toMatchObject({ flavor: 'Linux64bit+5.4-2.31', qualifiers: 'e20:prof' });
    expect(parseFqDir('d18.x86_64.c7.debug')).toMatchObject({ flavor: 'Darwin64bit+18', qualifiers: 'c7:debug' });
    expect(parseFqDir('noarch')).toEqual({ flavor: 'NULL', qualifiers: '', convention: 'cet', cetSubdir: 'noarch' });
    expect(parseFqDir('slf7.x86_64')).toMatchObject({ flavor: 'Linux64bit+3.10-2.17', qualifiers: '' });
  });

  test('reads the externals convention, flavors with dashes included', () => {
    expect(parseFqDir('Linux64bit+3.10-2.17-e17-prof')).toEqual({ flavor: 'Linux64bit+3.10-2.17', qualifiers: 'e17:prof', convention: 'external' });
    expect(parseFqDir('Linux64bit+2.6-2.12-e14-prof')).toMatchObject({ flavor: 'Linux64bit+2.6-2.12', qualifiers: 'e14:prof' });
    expect(parseFqDir('Linux64bit+2.6-2.12')).toMatchObject({ flavor: 'Linux64bit+2.6-2.12', qualifiers: '' });
    expect(parseFqDir('Linux64bit+5.14-2.34-al9-3-e28-prof')).toMatchObject({ flavor: 'Linux64bit+5.14-2.34-al9-3', qualifiers: 'e28:prof' });
    expect(parseFqDir('Linux64bit+5.14-2.34-al9-3')).toMatchObject({ flavor: 'Linux64bit+5.14-2.34-al9-3', qualifiers: '' });
    expect(parseFqDir('Linux64bit+3.10-2.17-prof-e17')).toMatchObject({ qualifiers: 'e17:prof' });
    expect(parseFqDir('Linux64bit+3.10-2.17-e19')).toMatchObject({ qualifiers: 'e19' });
    expect(parseFqDir('Linux64bit+3.10-2.17-c7-p392-debug')).toMatchObject({ qualifiers: 'c7:p392:debug' });
    expect(parseFqDir('Darwin64bit+14.5.0-e17-prof')).toMatchObject({ flavor: 'Darwin64bit+14.5.0', qualifiers: 'e17:prof' });
    expect(parseFqDir('NULL')).toMatchObject({ flavor: 'NULL', qualifiers: '' });
  });

  test('rejects directories that are not fq directories', () => {
    for (const name of ['include', 'source', 'src', 'ups', 'lib', 'fcl', 'G4EMLOW7.3', 'PhotonEvaporation4.3.2', 'G4NDL4.5', 'x86_64', 'v1_0', 'Linux64bit+3.10-2.17-e17/prof', 'slf7.x86_64.e17.pr-of']) {
      expect(parseFqDir(name), name).toBeNull();
    }
  });

  test('candidate names cover both conventions and both qualifier orders', () => {
    expect(fqDirCandidates('Linux64bit+3.10-2.17', 'prof:e17')).toEqual([
      'Linux64bit+3.10-2.17-prof-e17',
      'Linux64bit+3.10-2.17-e17-prof',
      'slf7.x86_64.prof.e17',
      'slf7.x86_64.e17.prof',
      'sl7.x86_64.prof.e17',
      'sl7.x86_64.e17.prof',
    ]);
    expect(fqDirCandidates('NULL', '')).toEqual(['NULL', 'noarch']);
    expect(fqDirCandidates('Linux64bit+3.10-2.17', '')).toEqual(['Linux64bit+3.10-2.17', 'slf7.x86_64', 'sl7.x86_64']);
  });
});

describe('flavors', () => {
  test('matches flavor shapes', () => {
    expect(flavorPrefixLength('Linux64bit+3.10-2.17-e17-prof')).toBe(20);
    expect(isFlavor('Linux64bit+5.14-2.34-al9-3')).toBe(true);
    expect(isFlavor('Darwin64bit+14.5.0')).toBe(true);
    expect(isFlavor('Linuxppc64le64bit+3.10-2.17')).toBe(true);
    expect(isFlavor('NULL')).toBe(true);
    expect(isFlavor('Linux64bit-3-10-2-17')).toBe(false);
    expect(isFlavor('include')).toBe(false);
  });

  test('maps flavors to CET subdirs', () => {
    expect(cetSubdirsOfFlavor('Linux64bit+3.10-2.17')).toEqual(['slf7.x86_64', 'sl7.x86_64']);
    expect(cetSubdirsOfFlavor('Linux64bit+2.6-2.12')).toEqual(['slf6.x86_64', 'sl6.x86_64']);
    expect(cetSubdirsOfFlavor('Linux64bit+5.14-2.34')).toEqual(['al9.x86_64']);
    expect(cetSubdirsOfFlavor('NULL')).toEqual(['noarch']);
    expect(cetSubdirsOfFlavor('Linux64bit+3.10')).toEqual([]);
  });

  test('ranks flavor matches for requirements', () => {
    expect(flavorMatchRank('Linux64bit+3.10-2.17', 'Linux64bit+3.10-2.17')).toBe(3);
    expect(flavorMatchRank('Linux64bit+5.14-2.34-al9-3', 'Linux64bit+5.14-2.34')).toBe(2);
    expect(flavorMatchRank('Linux64bit+3.10-2.17', 'Linux64bit+3.10')).toBe(1);
    expect(flavorMatchRank('Linux64bit+3.10-2.17', 'NULL')).toBe(0);
    expect(flavorMatchRank('Linux64bit+3.10-2.17', 'Linux64bit+2.6-2.12')).toBe(-1);
    expect(flavorMatchRank('Linux64bit+3.10-2.17', 'Linux64bit+3.1')).toBe(-1);
  });
});
