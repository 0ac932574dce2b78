import { describe, expect, test } from 'vitest';
import { buildUpsGraph, upsReports } from '../../../src/owners/ups/graph.js';
import { buildUpsModel } from '../../../src/owners/ups/model.js';
import { loadTree } from './helpers.js';

const F7 = 'Linux64bit+3.10-2.17';
const short = (id: string) => id.replace(`/${F7}`, '/F7').replace(/^ups:/, '');

describe('the db1 dependency graph', () => {
  const tree = loadTree('db1');
  const { model } = buildUpsModel(tree.files, tree.dirExists);
  const { graph, findings } = buildUpsGraph(model);

  test('resolves every requirement to the build with matching version and qualifiers', () => {
    expect(graph.edges.map((e) => `${short(e.from)} -> ${short(e.to)}${e.optional ? ' (optional)' : ''}`)).toEqual([
      'BTrk/v1_02_12/F7/e17:prof -> root/v6_12_06a/F7/e17:prof',
      'art/v2_11_01/F7/e17:debug -> cetlib/v3_03_00/F7/e17:debug',
      'art/v2_11_01/F7/e17:debug -> root/v6_12_06a/F7/e17:debug',
      'art/v2_11_01/F7/e17:prof -> cetlib/v3_03_00/F7/e17:prof',
      'art/v2_11_01/F7/e17:prof -> root/v6_12_06a/F7/e17:prof',
      'art/v2_11_01/F7/e17:prof -> sqlite/v3_20_01_00/F7 (optional)',
      'boost/v1_66_0a/F7/e17:debug -> gcc/v7_3_0/F7',
      'boost/v1_66_0a/F7/e17:prof -> gcc/v7_3_0/F7',
      'cetlib/v3_03_00/F7/e17:debug -> boost/v1_66_0a/F7/e17:debug',
      'cetlib/v3_03_00/F7/e17:debug -> gcc/v7_3_0/F7',
      'cetlib/v3_03_00/F7/e17:prof -> boost/v1_66_0a/F7/e17:prof',
      'cetlib/v3_03_00/F7/e17:prof -> gcc/v7_3_0/F7',
      'cry/v1_7k/F7/e17:debug -> gcc/v7_3_0/F7',
      'cry/v1_7k/F7/e17:prof -> gcc/v7_3_0/F7',
      // NULL-flavored data products satisfy a Linux64bit build's requirement
      'geant4/v4_10_4b/F7/e17:prof -> gcc/v7_3_0/F7',
      'geant4/v4_10_4b/F7/e17:prof -> g4neutron/v4_5/NULL',
      'geant4/v4_10_4b/F7/e17:prof -> g4emlow/v7_3/NULL',
      // no version in the table: the current chain decides
      'mu2egrid/v6_08_00/NULL -> mu2ejobtools/v1_00_00/NULL',
      // `tbb v2018_2a -q +e17` inherits the requiring build's prof/debug
      'root/v6_12_06a/F7/e17:debug -> gcc/v7_3_0/F7',
      'root/v6_12_06a/F7/e17:debug -> tbb/v2018_2a/F7/e17:debug',
      'root/v6_12_06a/F7/e17:prof -> gcc/v7_3_0/F7',
      'root/v6_12_06a/F7/e17:prof -> tbb/v2018_2a/F7/e17:prof',
      'tbb/v2018_2a/F7/e17:debug -> gcc/v7_3_0/F7',
      'tbb/v2018_2a/F7/e17:prof -> gcc/v7_3_0/F7',
    ]);
    expect(graph.dependentsOf(`ups:gcc/v7_3_0/${F7}`)).toHaveLength(11);
    expect(graph.dependenciesOf('ups:mu2egrid/v6_08_00/NULL').map((e) => e.to)).toEqual(['ups:mu2ejobtools/v1_00_00/NULL']);
  });

  test('reports requirements no declared build satisfies', () => {
    expect(graph.unresolved.map((u) => `${short(u.from)}: ${u.requirement.product} ${u.requirement.version}`)).toEqual([
      'art/v2_11_01/F7/e15:prof: cetlib v3_03_00',
      'art/v2_11_01/F7/e15:prof: root v6_12_06a',
      'cetbuildtools/v7_03_01/NULL: cmake v3_10_1',
      'root/v6_10_04d/Linux64bit+2.6-2.12/e14:prof: gcc v6_3_0',
    ]);
    expect(findings.map((f) => f.severity)).toEqual(['warning', 'warning', 'warning', 'warning']);
    expect(findings[0]).toMatchObject({
      code: 'ups-require-unresolved',
      path: 'products/art/v2_11_01/ups/art.table',
      message: `ups:art/v2_11_01/${F7}/e15:prof requires cetlib v3_03_00 -q e15:prof (products/art/v2_11_01/ups/art.table:51: setupRequired( cetlib v3_03_00 -q +e15:+prof )) but no declared build matches`,
    });
  });

  test('reports roots, unreferenced builds and build-only products', () => {
    const r = upsReports(model, graph);
    expect(r.roots.map((b) => short(b.id))).toEqual([
      'BTrk/v1_02_12/F7/e17:prof',
      'art/v2_11_01/F7/e17:prof',
      'cetbuildtools/v7_03_01/NULL',
      'cry/v1_7k/F7/e17:prof',
      'g4tendl/v1_3_2/NULL',
      'gdb/v8_0_1/F7',
      'geant4/v4_10_4b/F7/e17:prof',
      'mu2egrid/v6_08_00/NULL',
      'ups/v6_0_8/F7',
    ]);
    // debug builds nothing chained needs, the stale e15 qualifier, the stale sl6 flavor, afs
    expect(r.unreferenced.map((b) => short(b.id))).toEqual([
      'afs/v1_0/NULL',
      'art/v2_11_01/F7/e15:prof',
      'art/v2_11_01/F7/e17:debug',
      'boost/v1_66_0a/F7/e17:debug',
      'cetlib/v3_03_00/F7/e17:debug',
      'cry/v1_7k/F7/e17:debug',
      'root/v6_10_04d/Linux64bit+2.6-2.12/e14:prof',
      'root/v6_12_06a/F7/e17:debug',
      'tbb/v2018_2a/F7/e17:debug',
    ]);
    expect(r.buildOnly.map((x) => `${short(x.build.id)}: ${x.reason}`)).toEqual([
      'cetbuildtools/v7_03_01/NULL: build system of the art suite (only_for_build in product_deps)',
      'gdb/v8_0_1/F7: debugger, a development tool',
      `sqlite/v3_20_01_00/F7: required only through setupOptional (by ups:art/v2_11_01/${F7}/e17:prof)`,
    ]);
  });
});

describe('requirement matching', () => {
  const vf = (p: string, v: string, flavor: string, q: string) =>
    `FILE = version\nPRODUCT = ${p}\nVERSION = ${v}\nFLAVOR = ${flavor}\nQUALIFIERS = "${q}"\n  PROD_DIR = ${p}/${v}\n  UPS_DIR = ups\n  TABLE_FILE = ${p}.table\n`;
  const chain = (p: string, v: string, flavor: string, q: string) => `FILE = chain\nPRODUCT = ${p}\nCHAIN = current\nFLAVOR = ${flavor}\nVERSION = ${v}\nQUALIFIERS = "${q}"\n`;
  const table = (p: string, q: string, reqs: string[]) => `File=Table\nProduct=${p}\nFlavor=ANY\nQualifiers="${q}"\nAction=setup\n${reqs.map((r) => `  ${r}\n`).join('')}`;
  const run = (decls: [string, string, string, string, string[]?, boolean?][]) => {
    const files: { path: string; text: string }[] = [];
    for (const [p, v, flavor, q, reqs, current] of decls) {
      const name = `${flavor}_${q.replace(/:/g, '_')}`;
      files.push({ path: `db/${p}/${v}.version/${name}`, text: vf(p, v, flavor, q) });
      if (current) files.push({ path: `db/${p}/current.chain/${name}`, text: chain(p, v, flavor, q) });
      if (reqs) files.push({ path: `db/${p}/${v}/ups/${p}.table`, text: table(p, q, reqs) });
    }
    const { model } = buildUpsModel(files, (d) => d.split('/').length === 3);
    return { model, graph: buildUpsGraph(model).graph };
  };
  const edges = (decls: Parameters<typeof run>[0]) => run(decls).graph.edges.map((e) => `${short(e.from)} -> ${short(e.to)}`);

  test('prefers the exact flavor, then a less specific one, then NULL', () => {
    expect(
      edges([
        ['a', 'v1', F7, '', ['setupRequired(b v1)']],
        ['b', 'v1', 'NULL', ''],
        ['b', 'v1', 'Linux64bit+3.10', ''],
        ['b', 'v1', 'Linux64bit+2.6-2.12', ''],
      ]),
    ).toEqual(['a/v1/F7 -> b/v1/Linux64bit+3.10']);
  });

  test('a -f flavor overrides the requiring build flavor', () => {
    expect(
      edges([
        ['a', 'v1', F7, '', ['setupRequired(b v1 -f NULL)']],
        ['b', 'v1', 'NULL', ''],
        ['b', 'v1', F7, ''],
      ]),
    ).toEqual(['a/v1/F7 -> b/v1/NULL']);
  });

  test('an exact qualifier set beats a superset; equal candidates all get an edge', () => {
    expect(
      edges([
        ['a', 'v1', 'NULL', '', ['setupRequired(b v1 -q e17)', 'setupRequired(c v1 -q +e17)']],
        ['b', 'v1', F7, 'e17'],
        ['b', 'v1', F7, 'e17:prof'],
        ['c', 'v1', F7, 'e17:prof'],
        ['c', 'v1', F7, 'e17:debug'],
      ]),
    ).toEqual(['a/v1/NULL -> b/v1/F7/e17', 'a/v1/NULL -> c/v1/F7/e17:debug', 'a/v1/NULL -> c/v1/F7/e17:prof']);
  });

  test('without a version the current chain decides; product names match case-insensitively', () => {
    expect(
      edges([
        ['a', 'v1', F7, 'e17:prof', ['setupRequired(TRACE -q +e17:+prof)']],
        ['trace', 'v3', F7, 'e17:prof'],
        ['trace', 'v4', F7, 'e17:prof', undefined, true],
      ]),
    ).toEqual(['a/v1/F7/e17:prof -> trace/v4/F7/e17:prof']);
  });

  test('a ?optional qualifier is preferred when available but not required', () => {
    expect(
      edges([
        ['a', 'v1', F7, 'e17:prof', ['setupRequired(b v1 -q +e17:?mt)']],
        ['b', 'v1', F7, 'e17:prof'],
        ['b', 'v1', F7, 'e17:mt:prof'],
      ]),
    ).toEqual(['a/v1/F7/e17:prof -> b/v1/F7/e17:mt:prof']);
  });

  test('a requirement from a stale build does not stop a current product being a root', () => {
    const { model, graph } = run([
      ['art', 'v2', F7, 'e17:prof', ['setupRequired(root v6 -q +e17:+prof)'], true],
      ['art', 'v1', F7, 'e15:prof', ['setupRequired(root v6 -q +e17:+prof)', 'setupRequired(cry v1 -q +e15:+prof)']],
      ['root', 'v6', F7, 'e17:prof', [], true],
      ['cry', 'v1', F7, 'e15:prof', [], true],
    ]);
    const r = upsReports(model, graph);
    expect(r.roots.map((b) => short(b.id))).toEqual(['art/v2/F7/e17:prof', 'cry/v1/F7/e15:prof']);
    expect(r.unreferenced.map((b) => short(b.id))).toEqual(['art/v1/F7/e15:prof']);
  });
});
