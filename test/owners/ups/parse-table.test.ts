import { describe, expect, test } from 'vitest';
import { parseRequireArgs, parseUpsTable } from '../../../src/owners/ups/parse-table.js';
import { fixtureText } from './helpers.js';

const parse = (rel: string) => {
  const r = parseUpsTable(fixtureText(rel), rel);
  expect(r.record).not.toBeNull();
  return { table: r.record!, findings: r.findings };
};

const req = (r: { product: string; version: string | null; qualifiers: string | null; optional: boolean }) =>
  `${r.optional ? '?' : ''}${r.product} ${r.version ?? '-'} ${r.qualifiers ?? '-'}`;

describe('parseUpsTable', () => {
  test('reads the DUNE-DAQ uhal table: Group, DefineFQ/ExtraSetup actions run from Common setup', () => {
    const { table, findings } = parse('real/dune-daq/uhal/v2_8_1/ups/uhal.table');
    expect(findings).toEqual([]);
    expect(table.product).toBe('uhal');
    expect(table.blocks).toHaveLength(1);
    const b = table.blocks[0];
    expect([b.flavor, b.qualifiers]).toEqual(['ANY', 'e19:prof']);
    expect(b.requires.map(req)).toEqual(['gcc v8_2_0 -', 'python v3_8_3b -', 'boost v1_73_0 e19:prof', 'pugixml v1_11 e19:prof', 'pybind11 v2_6_2 e19:prof']);
    expect(b.ldLibraryPath).toEqual([{ path: '${UHAL_FQ_DIR}/lib', conditional: false }]);
    expect(b.envSets.map((e) => `${e.name}=${e.value}`)).toEqual([
      'UHAL_FQ_DIR=${UPS_PROD_DIR}/${UPS_PROD_FLAVOR}-e19-prof',
      'UHAL=${UPS_PROD_DIR}',
      'UHAL_VERSION=${UPS_PROD_VERSION}',
      'UHAL_LIB=${UHAL_FQ_DIR}/lib',
      'UHAL_INC=${UPS_PROD_DIR}/include',
    ]);
  });

  test('reads one block per qualifier set (DUNE-DAQ pugixml, coups jsoncpp)', () => {
    const pugi = parse('real/dune-daq/pugixml/v1_11/ups/pugixml.table').table;
    expect(pugi.blocks.map((b) => `${b.qualifiers}: ${b.requires.map(req).join(', ')}`)).toEqual(['e19: gcc v8_2_0 -', 'e17: gcc v7_3_0 -', 'e15: gcc v6_4_0 -']);
    expect(pugi.blocks[0].envSets[0]).toMatchObject({ name: 'PUGIXML_FQ_DIR', value: '${UPS_PROD_DIR}/${UPS_PROD_FLAVOR}-${UPS_PROD_QUALIFIERS}' });
    const jsoncpp = parse('real/coups/jsoncpp.table').table;
    expect(jsoncpp.blocks.map((b) => b.qualifiers)).toEqual(['c7:prof', 'c7:debug', 'e20:prof', 'e20:debug', 'e19:prof', 'e19:debug']);
    // envPrepend after a tab, in the else() branch of `if ( test \`uname\` = "Darwin" )`
    expect(jsoncpp.blocks[3].ldLibraryPath).toEqual([{ path: '${JSONCPP_FQ_DIR}/lib', conditional: true }]);
    expect(jsoncpp.blocks[3].requires.map(req)).toEqual(['gcc v9_3_0 -']);
  });

  test('reads coups wirecell: requirements in Common apply to every block, conditional envSets', () => {
    const { table, findings } = parse('real/coups/wirecell.table');
    expect(findings).toEqual([]);
    expect(table.blocks).toHaveLength(6);
    const c7prof = table.blocks[0];
    expect(c7prof.requires.map(req)).toEqual([
      'spdlog v1_8_2 c7:prof',
      'root v6_22_08d c7:p392:prof',
      'boost v1_75_0 c7:prof',
      'jsoncpp v1_7_7e c7:prof',
      'jsonnet v0_17_0a c7:prof',
      'tbb v2021_1_1 c7',
      'hdf5 v1_12_0b c7:prof',
      'clang v7_0_0 -',
      'eigen v3_3_9a -',
      'h5cpp v1_10_4_6c -',
    ]);
    expect(table.blocks[4].requires.map(req)).toContain('gcc v8_2_0 -');
    expect(c7prof.envSets.filter((e) => e.name === 'WIRECELL_LIB').map((e) => [e.value, e.conditional])).toEqual([
      ['${WIRECELL_FQ_DIR}/lib', true],
      ['${WIRECELL_FQ_DIR}/lib64', true],
    ]);
    expect(c7prof.ldLibraryPath).toEqual([{ path: '${WIRECELL_LIB}', conditional: true }]);
  });

  test('reads coups gcc: empty Qualifiers=, lower-case end:, LD_LIBRARY_PATH in nested if branches', () => {
    const { table } = parse('real/coups/gcc.table');
    expect(table.blocks).toHaveLength(1);
    expect(table.blocks[0].qualifiers).toBe('');
    expect(table.blocks[0].ldLibraryPath.map((e) => e.path)).toEqual([
      '${UPS_PROD_DIR}/${UPS_PROD_FLAVOR}/lib32',
      '${UPS_PROD_DIR}/${UPS_PROD_FLAVOR}/lib',
      '${UPS_PROD_DIR}/${UPS_PROD_FLAVOR}/lib64',
    ]);
    expect(table.blocks[0].envSets.find((e) => e.name === 'GCC_FQ_DIR')?.value).toBe('${UPS_PROD_DIR}/${UPS_PROD_FLAVOR}');
  });

  test('reads old-style tables without Group: (Mu2e mu2egrid, coups kx509 and afs)', () => {
    const mu2egrid = parse('real/mu2egrid/mu2egrid.table').table;
    expect(mu2egrid.product).toBe('mu2egrid');
    expect(mu2egrid.blocks.map((b) => [b.flavor, b.qualifiers, b.requires.map(req)])).toEqual([['ANY', '', ['mu2ejobtools - -']]]);
    const kx = parse('real/coups/kx509.table');
    expect(kx.findings).toEqual([]);
    // upper-case FILE=TABLE / ACTION=SETUP; the BUILD/RELEASE actions are not part of setup
    expect(kx.table.blocks.map((b) => [b.flavor, b.qualifiers, b.requires.map(req)])).toEqual([['NULL', '', ['cigetcert - -']]]);
    const afs = parse('real/coups/afs.table').table;
    expect(afs.blocks.map((b) => [b.flavor, b.qualifiers, b.requires.length])).toEqual([['ANY', '', 0]]);
  });

  test('reads the DUNE-DAQ ups table: Execute/If/addAlias lines, blocks after End:, setupOptional with a space', () => {
    const { table, findings } = parse('real/dune-daq/ups/v6_0_8/Linux64bit+3.10-2.17/ups/ups.table');
    expect(findings).toEqual([]);
    expect(table.blocks.map((b) => [b.qualifiers, b.requires.map(req)])).toEqual([
      ['', []],
      ['build', ['?upd - -']],
    ]);
    expect(table.blocks[0].envSets.map((e) => e.name)).toEqual(['UPS_DIR']);
  });

  test('only runs actions reachable from setup, and reports a missing required action', () => {
    const text = [
      'File=Table',
      'Product=x',
      'Flavor=ANY',
      'Qualifiers="e17:prof"',
      'Action=setup',
      '  exeActionRequired(GetProducts)',
      '  exeActionOptional(Extra)',
      '  exeActionRequired(Missing)',
      'Action=GetProducts',
      '  SETUPREQUIRED( "boost v1_66_0a -q +e17:+prof" )',
      '  setupRequired( root -q +e17:+prof -f Linux64bit+3.10-2.17 )',
      '  setupRequired( tbb -c )',
      '  setupRequired( clhep -g test -q+e17:?prof )',
      'Action=Build',
      '  setupRequired( cmake v3_10_1 )',
    ].join('\n');
    const { record, findings } = parseUpsTable(text, 'x.table');
    const r = record!.blocks[0].requires;
    expect(r.map(req)).toEqual(['boost v1_66_0a e17:prof', 'root - e17:prof', 'tbb - -', 'clhep - e17']);
    expect(r[1].flavor).toBe('Linux64bit+3.10-2.17');
    expect(r[2].chain).toBe('current');
    expect(r[3]).toMatchObject({ chain: 'test', optionalQualifiers: ['prof'] });
    expect(findings.map((f) => f.code)).toEqual(['ups-table-action-missing']);
    expect(findings[0].message).toBe('reading UPS table x.table: line 8 runs action "missing" that the block does not define');
  });

  test('reads EUPS-style bare command lists as one block', () => {
    const { record } = parseUpsTable('setupOptional("python")\nenvPrepend(PYTHONPATH,${PRODUCT_DIR}/lib)\n', 'ups/esutil.table');
    expect(record!.blocks.map((b) => [b.flavor, b.requires.map(req)])).toEqual([['ANY', ['?python - -']]]);
  });

  test('keeps the rest of the table around a broken line', () => {
    const text = 'File=Table\nProduct=x\nFlavor=ANY\nQualifiers=""\nAction=setup\n  setupRequired( a v1\n  this is junk\n  setupRequired( b v2 )\n';
    const { record, findings } = parseUpsTable(text, 'x.table');
    expect(record!.blocks[0].requires.map(req)).toEqual(['b v2 -']);
    expect(findings.map((f) => f.message)).toEqual([
      'reading UPS table x.table: line 6 has no closing parenthesis ("setupRequired( a v1")',
      'reading UPS table x.table: line 7 is neither KEY = value nor a command ("this is junk")',
    ]);
  });

  test('ignores files that are not UPS tables', () => {
    expect(parseUpsTable('run energy\n1 2\n', 'opt/calib/runs.table')).toEqual({ record: null, findings: [] });
  });
});

describe('parseRequireArgs', () => {
  test('reads product, version and options in any order', () => {
    expect(parseRequireArgs(' boost v1_73_0 -q +e19:+prof ')).toMatchObject({ product: 'boost', version: 'v1_73_0', qualifiers: 'e19:prof', flavor: null, chain: null });
    expect(parseRequireArgs('-q e17 art v2_11_01')).toMatchObject({ product: 'art', version: 'v2_11_01', qualifiers: 'e17' });
    expect(parseRequireArgs('catch v1_11_0 -f NULL')).toMatchObject({ product: 'catch', version: 'v1_11_0', flavor: 'NULL', qualifiers: null });
    expect(parseRequireArgs('-j')).toBeNull();
  });
});
