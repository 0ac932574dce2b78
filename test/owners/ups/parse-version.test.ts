import { describe, expect, test } from 'vitest';
import { parseUpsChain } from '../../../src/owners/ups/parse-chain.js';
import { parseUpsDbConfig } from '../../../src/owners/ups/parse-dbconfig.js';
import { parseUpsVersion } from '../../../src/owners/ups/parse-version.js';
import { fixtureText } from './helpers.js';

describe('parseUpsVersion', () => {
  test('reads the DUNE-DAQ pugixml version file', () => {
    const src = 'real/dune-daq/pugixml/v1_11.version/Linux64bit+3.10-2.17_e19';
    const { record, findings } = parseUpsVersion(fixtureText(src), src);
    expect(findings).toEqual([]);
    expect(record).toEqual({
      product: 'pugixml',
      version: 'v1_11',
      blocks: [{ flavor: 'Linux64bit+3.10-2.17', rawQualifiers: 'e19', qualifiers: 'e19', prodDir: 'pugixml/v1_11', upsDir: 'ups', tableFile: 'pugixml.table', tableDir: null, line: 7 }],
    });
  });

  test('reads PROD_DIR pointing to a flavor subdir with empty qualifiers (DUNE ups)', () => {
    const src = 'real/dune-daq/ups/v6_0_8.version/Linux64bit+3.10-2.17_';
    const { record } = parseUpsVersion(fixtureText(src), src);
    expect(record!.blocks[0]).toMatchObject({ flavor: 'Linux64bit+3.10-2.17', qualifiers: '', rawQualifiers: '', prodDir: 'ups/v6_0_8/Linux64bit+3.10-2.17', tableFile: 'ups.table' });
  });

  test('reads the coups variants: NULL subdir, odd flavor dir, no PROD_DIR at all', () => {
    const kx = parseUpsVersion(fixtureText('real/coups/kx509.version'), 'kx509.version').record!;
    expect(kx.blocks[0]).toMatchObject({ flavor: 'NULL', prodDir: 'kx509/v3_1_1/NULL', upsDir: 'ups', tableFile: 'v3_1_1.table' });
    const ups = parseUpsVersion(fixtureText('real/coups/ups.version'), 'ups.version').record!;
    expect(ups.blocks[0].prodDir).toBe('ups/v6_1_0/Linux64bit-3-10-2-17');
    const afs = parseUpsVersion(fixtureText('real/coups/afs.version'), 'afs.version').record!;
    expect(afs.blocks[0]).toMatchObject({ flavor: 'NULL', prodDir: null, upsDir: null, tableFile: 'v1_0.table' });
    const wc = parseUpsVersion(fixtureText('real/coups/wirecell.version'), 'wirecell.version').record!;
    expect(wc.blocks[0]).toMatchObject({ qualifiers: 'e20:prof', prodDir: 'wirecell/v0_16_0a' });
  });

  test('reads several FLAVOR blocks, lower-case keys, unquoted and empty qualifiers, TABLE_DIR', () => {
    const text = [
      'file = VERSION',
      'product = scons',
      'version = v3_0_1',
      '',
      'flavor = NULL',
      'qualifiers =',
      '  prod_dir = scons/v3_0_1',
      '  ups_dir = ups',
      '  table_dir = ups',
      '  table_file = scons.table',
      '#*****',
      'FLAVOR = Linux64bit+3.10-2.17',
      'Qualifiers = prof:p2714b',
      '  PROD_DIR = scons/v3_0_1/Linux64bit+3.10-2.17-p2714b-prof',
      '',
    ].join('\r\n');
    const { record, findings } = parseUpsVersion(text, 'scons/v3_0_1.version');
    expect(findings).toEqual([]);
    expect(record!.product).toBe('scons');
    expect(record!.blocks.map((b) => [b.flavor, b.qualifiers, b.prodDir, b.tableDir])).toEqual([
      ['NULL', '', 'scons/v3_0_1', 'ups'],
      ['Linux64bit+3.10-2.17', 'p2714b:prof', 'scons/v3_0_1/Linux64bit+3.10-2.17-p2714b-prof', null],
    ]);
  });

  test('keeps the good blocks around a bad line', () => {
    const text = 'FILE = version\nPRODUCT = x\nVERSION = v1\nFLAVOR = NULL\nQUALIFIERS = ""\ngarbage line here\n  PROD_DIR = x/v1\n';
    const { record, findings } = parseUpsVersion(text, 'db/x/v1.version/NULL_');
    expect(record!.blocks[0].prodDir).toBe('x/v1');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'warning', code: 'ups-syntax', path: 'db/x/v1.version/NULL_' });
    expect(findings[0].message).toBe('reading UPS version file db/x/v1.version/NULL_: line 6 is not KEY = value ("garbage line here")');
  });

  test('ignores files that are not UPS version files', () => {
    expect(parseUpsVersion('1.2.3\n', 'usr/share/misc/tool.version')).toEqual({ record: null, findings: [] });
    expect(parseUpsVersion('FILE = chain\nPRODUCT = x\n', 'x.version')).toEqual({ record: null, findings: [] });
  });

  test('reports a version file without FLAVOR blocks', () => {
    const { record, findings } = parseUpsVersion('FILE = version\nPRODUCT = x\nVERSION = v1\n', 'x/v1.version/F_');
    expect(record!.blocks).toEqual([]);
    expect(findings.map((f) => f.code)).toEqual(['ups-version-malformed']);
  });
});

describe('parseUpsChain', () => {
  test('reads the five flavor blocks of coups cigetcert.chain', () => {
    const { record, findings } = parseUpsChain(fixtureText('real/coups/cigetcert.chain'), 'cigetcert.chain');
    expect(findings).toEqual([]);
    expect(record!.product).toBe('cigetcert');
    expect(record!.chain).toBe('current');
    expect(record!.blocks.map((b) => `${b.flavor} ${b.version} ${b.qualifiers}`)).toEqual([
      'Linux64bit+2.6-2.5 v1_16_1 ',
      'Linux64bit+3.10-2.17 v1_16_1 ',
      'Darwin64bit v1_16_2 ',
      'Darwin64bit+14.5.0 v1_16_2 ',
      'Linux64bit+2.6-2.12 v1_18_1 ',
    ]);
  });

  test('reads the DUNE-DAQ ups current chain', () => {
    const src = 'real/dune-daq/ups/current.chain/Linux64bit+3.10-2.17_';
    const { record } = parseUpsChain(fixtureText(src), src);
    expect(record).toMatchObject({ product: 'ups', chain: 'current', blocks: [{ flavor: 'Linux64bit+3.10-2.17', version: 'v6_0_8', qualifiers: '', line: 7 }] });
  });

  test('reports a block without VERSION and keeps the others', () => {
    const text = 'FILE = chain\nPRODUCT = x\nCHAIN = test\nFLAVOR = NULL\nQUALIFIERS = ""\nFLAVOR = NULL\nVERSION = v2\nQUALIFIERS = "prof:e17"\n';
    const { record, findings } = parseUpsChain(text, 'x/test.chain');
    expect(record!.blocks).toEqual([{ flavor: 'NULL', version: 'v2', rawQualifiers: 'prof:e17', qualifiers: 'e17:prof', line: 6 }]);
    expect(findings.map((f) => f.code)).toEqual(['ups-chain-malformed']);
  });
});

describe('parseUpsDbConfig', () => {
  test('reads PROD_DIR_PREFIX from the DUNE-DAQ dbconfig', () => {
    const src = 'real/dune-daq/.upsfiles/dbconfig';
    expect(parseUpsDbConfig(fixtureText(src), src)).toEqual({ record: { prodDirPrefix: '${UPS_THIS_DB}', versionSubdir: true }, findings: [] });
  });
});
