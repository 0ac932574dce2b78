import { describe, expect, test } from 'vitest';
import { buildUpsModel } from '../../../src/owners/ups/model.js';
import type { UpsOwner } from '../../../src/owners/ups/types.js';
import { fixtureText, loadTree } from './helpers.js';

const F7 = 'Linux64bit+3.10-2.17';

/** Walk nodes top-down like whittle's merged-tree walk: each node takes ownerOf or its parent's owner. */
function attribute(model: ReturnType<typeof buildUpsModel>['model'], nodes: { path: string; isDir: boolean }[]) {
  const effective = new Map<string, UpsOwner | undefined>();
  const rows: string[] = [];
  for (const n of nodes) {
    const own = model.ownerOf(n.path, n.isDir);
    const slash = n.path.lastIndexOf('/');
    const owner = own ?? (slash < 0 ? undefined : effective.get(n.path.slice(0, slash)));
    effective.set(n.path, owner);
    const id = owner ? `${owner.id}${owner.declared ? '' : ' (undeclared)'}` : '-';
    rows.push(`${n.path}${n.isDir ? '/' : ''}\t${id}\t${own ? '*' : '.'}`);
  }
  return { rows, effective };
}

describe('buildUpsModel on the db1 fixture tree', () => {
  const tree = loadTree('db1');
  const { model, findings } = buildUpsModel(tree.files, tree.dirExists);

  test('attributes every node as the hand-written table says', () => {
    const expected = fixtureText('db1.expected-owners.tsv')
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'));
    const { rows } = attribute(model, tree.nodes);
    expect(rows).toEqual(expected);
  });

  test('finds both databases, with and without dbconfig', () => {
    expect(model.databases()).toEqual([
      { path: 'cvmfs/mu2e.opensciencegrid.org/artexternals', hasDbConfig: false, prodDirPrefix: 'cvmfs/mu2e.opensciencegrid.org/artexternals' },
      { path: 'products', hasDbConfig: true, prodDirPrefix: 'products' },
    ]);
  });

  test('declares one build per version-file block', () => {
    expect(model.builds().map((b) => b.id)).toEqual([
      `ups:BTrk/v1_02_12/${F7}/e17:prof`,
      'ups:afs/v1_0/NULL',
      `ups:art/v2_11_01/${F7}/e15:prof`,
      `ups:art/v2_11_01/${F7}/e17:debug`,
      `ups:art/v2_11_01/${F7}/e17:prof`,
      `ups:boost/v1_66_0a/${F7}/e17:debug`,
      `ups:boost/v1_66_0a/${F7}/e17:prof`,
      'ups:cetbuildtools/v7_03_01/NULL',
      `ups:cetlib/v3_03_00/${F7}/e17:debug`,
      `ups:cetlib/v3_03_00/${F7}/e17:prof`,
      `ups:cry/v1_7k/${F7}/e17:debug`,
      `ups:cry/v1_7k/${F7}/e17:prof`,
      'ups:g4emlow/v7_3/NULL',
      'ups:g4neutron/v4_5/NULL',
      'ups:g4tendl/v1_3_2/NULL',
      `ups:gcc/v7_3_0/${F7}`,
      `ups:gdb/v8_0_1/${F7}`,
      `ups:geant4/v4_10_4b/${F7}/e17:prof`,
      'ups:mu2egrid/v6_08_00/NULL',
      'ups:mu2ejobtools/v1_00_00/NULL',
      'ups:root/v6_10_04d/Linux64bit+2.6-2.12/e14:prof',
      `ups:root/v6_12_06a/${F7}/e17:debug`,
      `ups:root/v6_12_06a/${F7}/e17:prof`,
      `ups:sqlite/v3_20_01_00/${F7}`,
      `ups:tbb/v2018_2a/${F7}/e17:debug`,
      `ups:tbb/v2018_2a/${F7}/e17:prof`,
      `ups:ups/v6_0_8/${F7}`,
    ]);
  });

  test('resolves a cetbuildtools-style table (nested ${${UPS_PROD_NAME_UC}_…}, CET_SUBDIR)', () => {
    const b = model.build(`ups:cetlib/v3_03_00/${F7}/e17:prof`)!;
    expect(b).toMatchObject({
      product: 'cetlib',
      rawQualifiers: 'e17:prof',
      prodDir: 'products/cetlib/v3_03_00',
      prodDirExists: true,
      versionDir: 'products/cetlib/v3_03_00',
      fqDir: 'products/cetlib/v3_03_00/slf7.x86_64.e17.prof',
      scopeDir: 'products/cetlib/v3_03_00/slf7.x86_64.e17.prof',
      tableFile: 'products/cetlib/v3_03_00/ups/cetlib.table',
      chains: ['current'],
      libraryDirs: ['/products/cetlib/v3_03_00/slf7.x86_64.e17.prof/lib'],
    });
    expect(b.requires.map((r) => `${r.product} ${r.version} ${r.qualifiers}`)).toEqual(['boost v1_66_0a e17:prof', 'gcc v7_3_0 null']);
    expect(b.requires[0].where).toBe('products/cetlib/v3_03_00/ups/cetlib.table:20: setupRequired( boost v1_66_0a -q +e17:+prof )');
  });

  test('matches a version file whose qualifiers are written in another order to its fq dir', () => {
    const b = model.build(`ups:boost/v1_66_0a/${F7}/e17:debug`)!;
    expect(b.rawQualifiers).toBe('debug:e17');
    expect(b.versionFile).toBe(`products/boost/v1_66_0a.version/${F7}_debug_e17`);
    expect(b.fqDir).toBe(`products/boost/v1_66_0a/${F7}-e17-debug`);
    expect(b.libraryDirs).toEqual([`/products/boost/v1_66_0a/${F7}-e17-debug/lib`]);
  });

  test('resolves library dirs through table variables and drops if-branches not present (gcc lib32)', () => {
    expect(model.build(`ups:gcc/v7_3_0/${F7}`)!.libraryDirs).toEqual([`/products/gcc/v7_3_0/${F7}/lib`, `/products/gcc/v7_3_0/${F7}/lib64`]);
    expect(model.build(`ups:root/v6_12_06a/${F7}/e17:prof`)!.libraryDirs).toEqual([`/products/root/v6_12_06a/${F7}-e17-prof/lib`]);
    expect(model.build(`ups:geant4/v4_10_4b/${F7}/e17:prof`)!.libraryDirs).toEqual([`/products/geant4/v4_10_4b/${F7}-e17-prof/lib64`]);
    expect(model.build(`ups:BTrk/v1_02_12/${F7}/e17:prof`)!.libraryDirs).toEqual(['/cvmfs/mu2e.opensciencegrid.org/artexternals/BTrk/v1_02_12/slf7.x86_64.e17.prof/lib']);
    expect(model.build('ups:g4emlow/v7_3/NULL')!.libraryDirs).toEqual([]);
  });

  test('gives PROD_DIR-level builds their directory: flavor subdir, NULL subdir, whole version dir', () => {
    expect(model.build(`ups:ups/v6_0_8/${F7}`)).toMatchObject({ prodDir: `products/ups/v6_0_8/${F7}`, fqDir: `products/ups/v6_0_8/${F7}`, scopeDir: `products/ups/v6_0_8/${F7}`, tableFile: `products/ups/v6_0_8/${F7}/ups/ups.table` });
    expect(model.build('ups:g4neutron/v4_5/NULL')).toMatchObject({ fqDir: 'products/g4neutron/v4_5/NULL', scopeDir: 'products/g4neutron/v4_5/NULL' });
    expect(model.build('ups:g4emlow/v7_3/NULL')).toMatchObject({ fqDir: null, scopeDir: 'products/g4emlow/v7_3' });
    expect(model.build('ups:afs/v1_0/NULL')).toMatchObject({ prodDir: null, scopeDir: null, tableFile: 'products/afs/v1_0.table' });
    expect(model.build(`ups:tbb/v2018_2a/${F7}/e17:debug`)).toMatchObject({ prodDirExists: true, fqDir: null, scopeDir: null });
  });

  test('links chains, including the old single-file chain', () => {
    expect(model.build(`ups:cry/v1_7k/${F7}/e17:prof`)!.chains).toEqual(['current']);
    expect(model.build(`ups:cry/v1_7k/${F7}/e17:debug`)!.chains).toEqual([]);
    expect(model.build('ups:mu2egrid/v6_08_00/NULL')!.chains).toEqual(['current']);
  });

  test('reports what does not add up, and nothing about the non-UPS look-alikes', () => {
    expect(findings.map((f) => `${f.severity} ${f.code} ${f.path}`)).toEqual([
      'warning ups-fq-dir-missing products/tbb/v2018_2a',
      'warning ups-chain-dangling products/cry/current.chain',
      'info ups-libdir-unresolved products/root/v6_12_06a/ups/root.table',
      'info ups-libdir-unresolved products/root/v6_12_06a/ups/root.table',
    ]);
    expect(findings[1].message).toBe('reading UPS chain file products/cry/current.chain: chain current points to ups:cry/v1_7i/Linux64bit+2.6-2.12/e14:prof, which no version file declares');
    expect(findings[2].message).toBe(`ups:root/v6_12_06a/${F7}/e17:debug: LD_LIBRARY_PATH entry \${PYTHON_ROOT}/lib in products/root/v6_12_06a/ups/root.table cannot be resolved (\${PYTHON_ROOT})`);
  });

  test('returns owner objects with the contract fields', () => {
    expect(model.ownerOf(`products/root/v6_12_06a/${F7}-e17-prof`, true)).toEqual({
      id: `ups:root/v6_12_06a/${F7}/e17:prof`,
      product: 'root',
      version: 'v6_12_06a',
      flavor: F7,
      qualifiers: 'e17:prof',
      level: 'build',
      declared: true,
    });
    expect(model.ownerOf('products/root/v6_12_06a', true)).toEqual({ id: 'ups:root/v6_12_06a', product: 'root', version: 'v6_12_06a', flavor: null, qualifiers: null, level: 'version', declared: true });
    expect(model.ownerOf('products/root', true)).toMatchObject({ id: 'ups:root', level: 'product' });
    expect(model.ownerOf('products/.upsfiles', true)).toMatchObject({ id: 'ups:/products', level: 'database', product: '' });
    expect(model.ownerOf('products/boost/v1_66_0a/Linux64bit+3.10-2.17-e17-opt', true)).toMatchObject({ level: 'build', qualifiers: 'e17:opt', declared: false });
    // the same owner object every time; a leading slash is tolerated
    expect(model.ownerOf('products/root', true)).toBe(model.ownerOf('products/root', true));
    expect(model.ownerOf('/products/root', true)).toBe(model.ownerOf('products/root', true));
    // a file never starts a new scope unless it is metadata
    expect(model.ownerOf(`products/root/v6_12_06a/${F7}-e17-prof`, false)).toEqual(model.ownerOf(`products/root/v6_12_06a/${F7}-e17-prof`, true));
    expect(model.ownerOf('products/root/v6_99_99', false)).toBeUndefined();
    expect(model.ownerOf('products/root/v6_99_99', true)).toMatchObject({ id: 'ups:root/v6_99_99', declared: false });
  });
});

describe('buildUpsModel on the real DUNE-DAQ db', () => {
  // The daq-release tree holds the metadata only; these are the directories its build scripts make:
  // ups's PROD_DIR, and for pugixml (build_pugixml.sh) the fq dir `${FLAVOR}-e19`, include/, src/.
  const tree = loadTree('real/dune-daq');
  const extraDirs = ['ups/v6_0_8/Linux64bit+3.10-2.17/bin', 'pugixml/v1_11/Linux64bit+3.10-2.17-e19', 'pugixml/v1_11/Linux64bit+3.10-2.17-e19/lib', 'pugixml/v1_11/include', 'pugixml/v1_11/src'];
  const dirs = new Set([...tree.dirs, ...extraDirs]);
  const { model, findings } = buildUpsModel(tree.files, (p) => dirs.has(p));

  test('resolves pugixml through ${UPS_PROD_FLAVOR}-${UPS_PROD_QUALIFIERS}', () => {
    expect(findings).toEqual([]);
    expect(model.databases()).toEqual([{ path: '', hasDbConfig: true, prodDirPrefix: '' }]);
    const b = model.build(`ups:pugixml/v1_11/${F7}/e19`)!;
    expect(b).toMatchObject({ fqDir: `pugixml/v1_11/${F7}-e19`, tableFile: 'pugixml/v1_11/ups/pugixml.table', libraryDirs: [`/pugixml/v1_11/${F7}-e19/lib`] });
    expect(b.requires.map((r) => `${r.product} ${r.version}`)).toEqual(['gcc v8_2_0']);
    expect(model.build(`ups:ups/v6_0_8/${F7}`)!.chains).toEqual(['current']);
  });

  test('attributes the db at the image root', () => {
    const own = (p: string, d = true) => model.ownerOf(p, d)?.id;
    expect(own('.upsfiles')).toBe('ups:/');
    expect(own('setups_layout', false)).toBe('ups:/');
    expect(own(`ups/v6_0_8/${F7}`)).toBe(`ups:ups/v6_0_8/${F7}`);
    expect(own('pugixml/v1_11')).toBe('ups:pugixml/v1_11');
    expect(own(`pugixml/v1_11/${F7}-e19`)).toBe(`ups:pugixml/v1_11/${F7}/e19`);
    expect(own('pugixml/v1_11/include')).toBeUndefined(); // inherits ups:pugixml/v1_11
    expect(own('uhal')).toBeUndefined(); // a table without a version file declares nothing
  });
});

describe('buildUpsModel on the coups version-file variants', () => {
  const files = [
    { path: '/products/kx509/v3_1_1.version/NULL_', text: fixtureText('real/coups/kx509.version') },
    { path: 'products/kx509/v3_1_1/NULL/ups/v3_1_1.table', text: fixtureText('real/coups/kx509.table') },
    { path: 'products/ups/v6_1_0.version/Linux64bit+3.10-2.17_', text: fixtureText('real/coups/ups.version') },
    { path: 'products/afs/v1_0.version/NULL_', text: fixtureText('real/coups/afs.version') },
    { path: 'products/afs/v1_0.table', text: fixtureText('real/coups/afs.table') },
    { path: 'products/wirecell/v0_16_0a.version/Linux64bit+3.10-2.17_e20_prof', text: fixtureText('real/coups/wirecell.version') },
    { path: 'products/wirecell/v0_16_0a/ups/wirecell.table', text: fixtureText('real/coups/wirecell.table') },
    { path: 'products/cigetcert/current.chain', text: fixtureText('real/coups/cigetcert.chain') },
  ];
  const dirs = new Set([
    'products/kx509/v3_1_1',
    'products/kx509/v3_1_1/NULL',
    'products/kx509/v3_1_1/NULL/ups',
    'products/ups/v6_1_0',
    'products/ups/v6_1_0/Linux64bit-3-10-2-17',
    'products/wirecell/v0_16_0a',
    `products/wirecell/v0_16_0a/${F7}-e20-prof`,
    `products/wirecell/v0_16_0a/${F7}-e20-prof/lib64`,
  ]);
  const { model, findings } = buildUpsModel(files, (p) => dirs.has(p));

  test('PROD_DIR with NULL: the NULL subdir is the build', () => {
    expect(model.build('ups:kx509/v3_1_1/NULL')).toMatchObject({ scopeDir: 'products/kx509/v3_1_1/NULL', tableFile: 'products/kx509/v3_1_1/NULL/ups/v3_1_1.table' });
    expect(model.build('ups:kx509/v3_1_1/NULL')!.requires.map((r) => `${r.product} ${r.version}`)).toEqual(['cigetcert null']);
    expect(model.ownerOf('products/kx509/v3_1_1/NULL', true)?.id).toBe('ups:kx509/v3_1_1/NULL');
  });

  test('PROD_DIR naming a dashed flavor dir is still the build dir', () => {
    expect(model.build(`ups:ups/v6_1_0/${F7}`)).toMatchObject({ fqDir: 'products/ups/v6_1_0/Linux64bit-3-10-2-17', scopeDir: 'products/ups/v6_1_0/Linux64bit-3-10-2-17', tableFile: null });
  });

  test('no PROD_DIR: the table in the db product dir belongs to the build', () => {
    expect(model.build('ups:afs/v1_0/NULL')).toMatchObject({ prodDir: null, scopeDir: null, tableFile: 'products/afs/v1_0.table' });
    expect(model.ownerOf('products/afs/v1_0.table', false)?.id).toBe('ups:afs/v1_0/NULL');
  });

  test('a variable set in two if-branches resolves to the branch that exists (wirecell lib64)', () => {
    expect(model.build(`ups:wirecell/v0_16_0a/${F7}/e20:prof`)!.libraryDirs).toEqual([`/products/wirecell/v0_16_0a/${F7}-e20-prof/lib64`]);
  });

  test('reports the missing ups table and the chain blocks no version file declares', () => {
    expect(findings.map((f) => f.code)).toEqual([
      'ups-table-missing',
      'ups-chain-dangling',
      'ups-chain-dangling',
      'ups-chain-dangling',
      'ups-chain-dangling',
      'ups-chain-dangling',
    ]);
    expect(findings[0].message).toBe(`ups:ups/v6_1_0/${F7}: table v6_1_0.table declared in products/ups/v6_1_0.version/${F7}_ not found (looked at products/ups/v6_1_0/Linux64bit-3-10-2-17/ups/v6_1_0.table, products/ups/v6_1_0.table)`);
  });
});

describe('buildUpsModel edge cases', () => {
  test('a version file with several blocks belongs to the version; a missing PROD_DIR is reported', () => {
    const text = fixtureText('real/coups/cigetcert.chain')
      .replace(/VERSION = v1_1[68]_[12]\n/g, '  PROD_DIR = cigetcert/v1_16_1\n')
      .replace('FILE = chain', 'FILE = version')
      .replace('CHAIN = current', 'VERSION = v1_16_1');
    const { model, findings } = buildUpsModel([{ path: 'p/cigetcert/v1_16_1.version', text }], () => false);
    expect(model.builds()).toHaveLength(5);
    expect(model.ownerOf('p/cigetcert/v1_16_1.version', false)?.id).toBe('ups:cigetcert/v1_16_1');
    expect(findings.filter((f) => f.code === 'ups-prod-dir-missing')).toHaveLength(5);
    expect(findings[0].message).toBe('ups:cigetcert/v1_16_1/Linux64bit+2.6-2.5: PROD_DIR p/cigetcert/v1_16_1 declared in p/cigetcert/v1_16_1.version does not exist in the image');
  });

  test('an absolute PROD_DIR and a PROD_DIR_PREFIX are honoured', () => {
    const vf = (prodDir: string) => `FILE = version\nPRODUCT = foo\nVERSION = v1\nFLAVOR = NULL\nQUALIFIERS = ""\n  PROD_DIR = ${prodDir}\n  UPS_DIR = ups\n  TABLE_FILE = foo.table\n`;
    const dirs = new Set(['opt/foo/v1', 'opt/foo/v1/NULL', 'store/foo/v1']);
    const a = buildUpsModel([{ path: 'db/foo/v1.version/NULL_', text: vf('/opt/foo/v1') }], (p) => dirs.has(p));
    expect(a.model.build('ups:foo/v1/NULL')).toMatchObject({ prodDir: 'opt/foo/v1', fqDir: 'opt/foo/v1/NULL', scopeDir: 'opt/foo/v1/NULL' });
    expect(a.model.ownerOf('opt/foo/v1', true)?.id).toBe('ups:foo/v1');
    expect(a.model.ownerOf('opt/foo/v1/NULL', true)?.id).toBe('ups:foo/v1/NULL');
    const b = buildUpsModel(
      [
        { path: 'db/.upsfiles/dbconfig', text: 'FILE = DBCONFIG\nPROD_DIR_PREFIX = /store\n' },
        { path: 'db/foo/v1.version/NULL_', text: vf('foo/v1') },
      ],
      (p) => dirs.has(p),
    );
    expect(b.model.build('ups:foo/v1/NULL')).toMatchObject({ prodDir: 'store/foo/v1', scopeDir: 'store/foo/v1' });
  });

  test('two builds declared with one PROD_DIR and no fq dirs share the version dir', () => {
    const vf = (q: string) => `FILE = version\nPRODUCT = foo\nVERSION = v1\nFLAVOR = NULL\nQUALIFIERS = "${q}"\n  PROD_DIR = foo/v1\n`;
    const { model, findings } = buildUpsModel(
      [
        { path: 'db/foo/v1.version/NULL_a', text: vf('a') },
        { path: 'db/foo/v1.version/NULL_b', text: vf('b') },
      ],
      (p) => p === 'db/foo/v1',
    );
    expect(model.ownerOf('db/foo/v1', true)?.id).toBe('ups:foo/v1');
    expect(model.builds().map((b) => b.scopeDir)).toEqual([null, null]);
    expect(findings.map((f) => f.code)).toEqual(['ups-build-dir-shared', 'ups-build-dir-shared']);
  });

  test('a duplicate declaration keeps the first and says so', () => {
    const text = `FILE = version\nPRODUCT = foo\nVERSION = v1\nFLAVOR = NULL\nQUALIFIERS = ""\nFLAVOR = NULL\nQUALIFIERS = ""\n`;
    const { model, findings } = buildUpsModel([{ path: 'db/foo/v1.version', text }], () => false);
    expect(model.builds()).toHaveLength(1);
    expect(findings.map((f) => f.code)).toEqual(['ups-build-duplicate']);
  });

  test('an empty input gives an empty model that owns nothing', () => {
    const { model, findings } = buildUpsModel([], () => false);
    expect(findings).toEqual([]);
    expect(model.builds()).toEqual([]);
    expect(model.ownerOf('products', true)).toBeUndefined();
  });
});
