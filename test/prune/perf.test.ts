/**
 * Timing on a synthetic million-node tree (printed, not asserted): compile once, then the UI's
 * quick re-evaluation on rule toggles, then one evaluation with the safety checks. The tree mimics
 * a UPS image: products with prof and debug builds, documentation, Python caches, an Offline
 * release; owners are attributed by directory so the owner selectors do real work.
 */
import { expect, test } from 'vitest';
import { buildAnalysis, type Analysis } from '../../src/analysis/analyze.js';
import type { ImageLayer, ResolvedImage } from '../../src/image/types.js';
import type { Owner } from '../../src/owners/types.js';
import { compileRules } from '../../src/prune/compile.js';
import { evaluatePlan } from '../../src/prune/evaluate.js';
import { loadRuleSet } from '../../src/prune/load-rules.js';
import { Kind, LayerIndex } from '../../src/tree/layer-index.js';
import { PathTable } from '../../src/tree/path-table.js';

const F = 'Linux64bit+3.10-2.17';
const FILE_BYTES = 1000;

function syntheticAnalysis(target: number): { a: Analysis; debugBytes: number; docBytes: number } {
  const paths = new PathTable();
  const layer = new LayerIndex();
  const owners: Owner[] = [];
  const ownerOfNode: number[] = [];
  const owner = (o: Partial<Owner> & Pick<Owner, 'id' | 'kind' | 'name'>): number => {
    owners.push({ version: null, bytes: 0, files: 0, declaredBytes: null, layerBytes: [0], wastedBytes: 0, ...o });
    return owners.length - 1;
  };
  const dirs = new Set<number>();
  const add = (path: string, kind: Kind, o: number): void => {
    const node = paths.intern(path);
    for (let p = paths.parent[node]!; p > 0 && !dirs.has(p); p = paths.parent[p]!) {
      dirs.add(p);
      layer.add(p, Kind.Dir, 0, 0o755, -1, 0, 0);
    }
    layer.add(node, kind, kind === Kind.File ? FILE_BYTES : 0, 0o644, -1, 0, 0);
    ownerOfNode[node] = o;
  };
  let debugBytes = 0;
  let docBytes = 0;
  let files = 0;
  for (let p = 0; files < target; p++) {
    const product = `prod${p}`;
    for (const q of ['prof', 'debug']) {
      const o = owner({ id: `ups:${product}/v1_0/${F}/e17:${q}`, kind: 'ups', name: product, product, version: 'v1_0', flavor: F, qualifiers: `e17:${q}`, level: 'build', declared: true });
      for (let i = 0; i < 400; i++, files++) {
        add(`products/${product}/v1_0/${F}-e17-${q}/${i % 2 ? 'lib' : `include/${product}/sub${i % 20}`}/f${i}${i % 2 ? '.so' : '.h'}`, Kind.File, o);
        if (q === 'debug') debugBytes += FILE_BYTES;
      }
    }
    const rpm = owner({ id: `rpm:pkg${p}`, kind: 'rpm', name: `pkg${p}` });
    for (let i = 0; i < 100; i++, files++) {
      add(`usr/share/doc/pkg${p}/doc${i}.txt`, Kind.File, rpm);
      docBytes += FILE_BYTES;
    }
    for (let i = 0; i < 100; i++, files++) add(`usr/lib/python2.7/site-packages/pkg${p}/__pycache__/m${i}.pyc`, Kind.File, rpm);
    for (let i = 0; i < 100; i++, files++) add(`Offline/v7/SLF7/prof/Offline/Pkg${p}/src/S${i}.cc`, Kind.File, -1);
  }
  layer.compact();
  paths.compact();
  const image = {
    input: 'synthetic', format: 'docker-archive', outerCompression: 'none', inputBytes: 0, tags: [], platform: null, manifestDigest: null, configDigest: null,
    config: null, rawConfig: null, rawManifest: null, verified: false, findings: [],
    layers: [{ index: 0, digest: null, blobDigest: null, mediaType: null, compression: 'none', blobSize: 0, tarSize: 0, entries: layer.count, command: null, created: null, comment: null, source: 'synthetic', location: null, tree: layer } as ImageLayer],
  } as unknown as ResolvedImage;
  const a = buildAnalysis(image, paths);
  const nodeOwner = new Int32Array(paths.size).fill(-1);
  ownerOfNode.forEach((o, n) => (nodeOwner[n] = o ?? -1));
  a.owners = { owners, nodeOwner, findings: [], reports: {}, ups: null };
  return { a, debugBytes, docBytes };
}

test('compile once and re-evaluate fast on a million nodes (timings printed)', () => {
  const t0 = performance.now();
  const { a, debugBytes, docBytes } = syntheticAnalysis(1_000_000);
  const t1 = performance.now();
  const rs = loadRuleSet(['mu2e']);
  const compiled = compileRules(a, rs);
  const t2 = performance.now();
  const quick: number[] = [];
  let last = evaluatePlan(a, compiled, { findings: false });
  for (let i = 0; i < 10; i++) {
    const enabled = rs.rules.map((_, r) => r !== i);
    const s = performance.now();
    last = evaluatePlan(a, compiled, { findings: false, enabled, target: 1e9 });
    quick.push(performance.now() - s);
  }
  const t3 = performance.now();
  const full = evaluatePlan(a, compiled, { target: 1e9 });
  const t4 = performance.now();
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  console.log(
    `[prune perf] ${a.paths.size.toLocaleString('en-US')} nodes, ${rs.rules.length} rules: build ${ms(t1 - t0)}, compile ${ms(t2 - t1)} (${compiled.comboStart.length - 1} combos), ` +
      `evaluate without checks median ${ms(quick.sort((x, y) => x - y)[5]!)} (max ${ms(quick[9]!)}), evaluate with checks ${ms(t4 - t3)}`,
  );
  expect(a.paths.size).toBeGreaterThan(1_000_000);
  // debug builds, docs, caches and Offline sources go; prof builds stay (rule toggles change only the toggled rule)
  const byName = new Map(full.plan.rules.map((r) => [r.name, r]));
  expect(byName.get('ups/debug-builds')!.bytes).toBe(debugBytes);
  expect(byName.get('generic/docs')!.bytes).toBe(docBytes);
  expect(full.plan.findings).toEqual([]);
  expect(last.plan.rules[9]!.enabled).toBe(false);
}, 120_000);
