import { describe, expect, it } from 'vitest';
import { ElfStreamProbe, elfFindings, readAtBytes, readElfDynamic } from '../../src/elf/index.js';
import { fixtureBytes } from './fixtures.js';

describe('elfFindings', () => {
  it('says nothing for a complete read', () => {
    const b = fixtureBytes('x86_64/app-runpath');
    expect(elfFindings(readElfDynamic(readAtBytes(b), b.length)!, 'opt/app/bin/app')).toEqual([]);
  });

  it('warns with the file and the reasons when the read was partial', () => {
    const b = fixtureBytes('x86_64/libodd.so');
    // 7-byte chunks and a 64-byte cap: the soname and relative RUNPATH have gone by unrecognised.
    const probe = new ElfStreamProbe(b.length, 64);
    for (let at = 0; at < b.length && probe.push(b.subarray(at, at + 7)) === 'more'; at += 7);
    const [f, ...rest] = elfFindings(probe.result()!, 'usr/lib/libodd.so', 2);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'warning', code: 'elf-dynamic-incomplete', path: 'usr/lib/libodd.so', layer: 2 });
    expect(f.message).toMatch(/^reading the dynamic section of usr\/lib\/libodd\.so: 2 dynamic string\(s\) could not be read; /);
  });
});
