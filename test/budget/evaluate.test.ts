/**
 * Budgets measured on real analyses of the OLD/NEW image pair (test/budget/ci-images.ts): every
 * expected value comes from how the images were built, dive's figures from the independent dive
 * model in fixtures/images/dive-model.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeImage, type Analysis } from '../../src/analysis/analyze.js';
import { evaluateBudgets } from '../../src/budget/evaluate.js';
import type { BudgetKind, BudgetSpec } from '../../src/budget/types.js';
import { snapshotOf } from '../../src/diff/snapshot.js';
import { modelDive } from '../../fixtures/images/dive-model.js';
import { DB1, EXPECT, G4_BUILD, G4_BUILD_ID, NEW_LAYERS, ROOT_BUILD, ROOT_BUILD_ID, db1Bytes, writeCiImages, type CiImagePaths } from './ci-images.js';

let paths: CiImagePaths;
let oldA: Analysis;
let newA: Analysis;

beforeAll(async () => {
  paths = await writeCiImages();
  oldA = await analyzeImage(paths.old);
  newA = await analyzeImage(paths.new);
});
afterAll(() => fs.rmSync(paths.dir, { recursive: true, force: true }));

const spec = (kind: BudgetKind, limit: number, selector?: string, extra: Partial<BudgetSpec> = {}): BudgetSpec => ({
  name: selector ? `${kind}:${selector}` : kind,
  kind,
  limit,
  limitText: String(limit),
  ...(selector ? { selector } : {}),
  source: { kind: 'flag' },
  ...extra,
});

const one = (s: BudgetSpec, a: Analysis = newA, more: Parameters<typeof evaluateBudgets>[1] extends infer O ? Partial<O> : never = {}) =>
  evaluateBudgets([s], { analysis: a, ...more }).budgets[0]!;

/** Holds at the measured value, fails one unit past it, and says so. */
function boundary(kind: BudgetKind, measured: number, selector?: string): void {
  const min = kind === 'min-efficiency';
  const step = kind === 'max-layers' || measured >= 1 ? 1 : 1e-6;
  const at = one(spec(kind, measured, selector));
  expect(at.measured).toBe(measured);
  expect(at.status).toBe('pass');
  expect(at.excess).toBe(0);
  const past = one(spec(kind, min ? measured + step : measured - step, selector));
  expect(past.status).toBe('fail');
  expect(past.excess).toBeCloseTo(step, 9);
  expect(past.message.startsWith(`${past.name}: `)).toBe(true);
}

describe('image budgets', () => {
  it('max-size is Σ layer bytes; max-merged-size the merged tree', () => {
    boundary('max-size', EXPECT.new.layerBytes);
    boundary('max-merged-size', EXPECT.new.mergedBytes);
    const r = one(spec('max-size', 1_000_000));
    expect(r.message).toBe(`max-size: 1.24 MB is over the limit of 1 MB by 243 kB; largest: layer 3 660 kB, layer 1 550 kB, layer 0 32.5 kB`);
    expect(r.contributors.slice(0, 3).map((c) => [c.kind, c.index, c.bytes])).toEqual([
      ['layer', 3, EXPECT.layer3],
      ['layer', 1, 550_000],
      ['layer', 0, EXPECT.base],
    ]);
    expect(r.contributors[3]).toMatchObject({ kind: 'owner', id: G4_BUILD_ID });
    expect(r.contributors[0]!.detail).toBe('RUN /bin/sh -c add-g4-data # buildkit');
  });

  it('max-layers and max-layer-size', () => {
    boundary('max-layers', 4);
    const layers = one(spec('max-layers', 3));
    // smallest first: the whiteout-only layer stores nothing
    expect(layers.contributors.map((c) => c.index)).toEqual([2, 0, 1, 3]);
    boundary('max-layer-size', EXPECT.layer3);
    const big = one(spec('max-layer-size', 500_000));
    expect(big.contributors.map((c) => [c.kind, c.kind === 'layer' ? c.index : c.id, c.bytes])).toEqual([
      ['layer', 3, 660_000],
      ['layer', 1, 550_000],
      ['file', `/${G4_BUILD}/share/G4EMLOW.dat`, 400_000],
      ['file', `/${ROOT_BUILD}/lib/libRIO.so`, 250_000],
      ['file', '/opt/new/tool', 10_000],
    ]);
  });

  it('wasted bytes and percent, with the wasted paths as contributors', () => {
    boundary('max-wasted', EXPECT.new.wastedBytes);
    const w = one(spec('max-wasted', 0));
    expect(w.contributors.filter((c) => c.kind === 'path').map((c) => [c.id, c.bytes, c.detail])).toEqual([
      [`/${ROOT_BUILD}/lib/libRIO.so`, 200_000, 'overwritten by a later layer'],
      ['/opt/data/cache.bin', 50_000, 'deleted by a later layer'],
    ]);
    const pct = one(spec('max-wasted-percent', 0.2));
    expect(pct.measured).toBeCloseTo(EXPECT.new.wastedBytes / EXPECT.new.layerBytes, 12);
    expect(pct.status).toBe('fail'); // 20.12%
    expect(one(spec('max-wasted-percent', 0.21)).status).toBe('pass');
  });

  it("dive's figures match the dive model of the same layers", () => {
    const dive = modelDive(NEW_LAYERS);
    const efficiency = dive.minSum / dive.cumulativeSum;
    expect(one(spec('min-efficiency', 0)).measured).toBeCloseTo(efficiency, 12);
    expect(one(spec('min-efficiency', efficiency + 0.01)).status).toBe('fail');
    expect(one(spec('min-efficiency', efficiency - 0.01)).status).toBe('pass');
    boundary('dive-wasted-bytes', dive.wastedBytes);
    const user = one(spec('dive-user-wasted-percent', 1));
    expect(user.measured).toBeCloseTo(dive.wastedBytes / dive.userSize, 12);
  });
});

describe('owner and path budgets', () => {
  it('an owner selector sums the product, its versions and builds', () => {
    boundary('owner', EXPECT.g4New, 'ups:geant4');
    const r = one(spec('owner', 500_000, 'ups:geant4'));
    expect(r.contributors.map((c) => c.id)).toEqual([G4_BUILD_ID, 'ups:geant4/v4_10_4b', 'ups:geant4']);
    expect(r.contributors[0]!.bytes).toBe(700_000 + db1Bytes(`${G4_BUILD}`) + db1Bytes('products/geant4/v4_10_4b.version'));
    // one version: everything but the product-level chain files
    expect(one(spec('owner', 0, 'ups:geant4/v4_10_4b')).measured).toBe(EXPECT.g4New - db1Bytes('products/geant4/current.chain'));
    expect(one(spec('owner', 0, 'ups:root')).measured).toBe(EXPECT.rootNew);
    // dir:/opt/* covers dir:/opt/new (the new tool) and db1's dir:/opt/calib
    expect(one(spec('owner', 0, 'dir:/opt/*')).measured).toBe(10_000 + db1Bytes('opt'));
  });

  it('an owner selector that matches nothing passes at 0 and is flagged, with a suggestion', () => {
    const r = evaluateBudgets([spec('owner', 1, 'ups:geant5')], { analysis: newA });
    expect(r.budgets[0]!.measured).toBe(0);
    expect(r.warnings.map((w) => w.message)).toEqual(['budget owner:ups:geant5 matches no owner in the image; did you mean "ups:geant4"?']);
  });

  it('path budgets: literal, /**, relative and glob forms', () => {
    for (const p of ['/products/root/**', '/products/root', 'products/root/**', '/products/root/']) {
      expect(one(spec('path', 0, p)).measured, p).toBe(EXPECT.rootNew);
    }
    boundary('path', EXPECT.rootNew, '/products/root/**');
    const soOnDisk = (() => {
      let t = 0;
      const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          if (e.isDirectory()) walk(path.join(d, e.name));
          else if (e.name.endsWith('.so')) t += fs.statSync(path.join(d, e.name)).size;
        }
      };
      walk(DB1);
      return t;
    })();
    expect(one(spec('path', 0, '**/*.so')).measured).toBe(soOnDisk + 300_000 + 250_000);
    const glob = one(spec('path', 0, '/products/{geant4,root}/v*/Linux64bit+3.10-2.17-e17-prof/lib*/**'));
    expect(glob.measured).toBe(300_000 + 250_000 + db1Bytes(`${G4_BUILD}/lib64`) + db1Bytes(`${ROOT_BUILD}/lib`));
    // contributors: per first component under the glob's literal base (/products)
    expect(glob.contributors.map((c) => [c.id, c.kind])).toEqual([
      ['/products/geant4', 'directory'],
      ['/products/root', 'directory'],
    ]);
    const fail = one(spec('path', 250_000, '/products/root/**'));
    expect(fail.contributors[0]).toMatchObject({ kind: 'directory', id: '/products/root/v6_12_06a' });
  });

  it('a path budget on deleted files measures 0 and is flagged', () => {
    const r = evaluateBudgets([spec('path', 0, '/opt/data/**')], { analysis: newA });
    expect(r.budgets[0]!.measured).toBe(0);
    expect(r.warnings[0]!.message).toBe('budget path:/opt/data/** matches no file in the image');
  });
});

describe('baseline and plan budgets', () => {
  it('baseline: growth of the image size over the baseline, in bytes or percent', () => {
    const base = snapshotOf(oldA, { files: false });
    const r = one(spec('baseline', 500_000, undefined, { name: 'baseline' }), newA, { baseline: base });
    expect(r.measured).toBe(660_000);
    expect(r.status).toBe('fail');
    expect(r.excess).toBe(160_000);
    expect(r.contributors.map((c) => [c.id, c.bytes])).toEqual([
      [G4_BUILD_ID, 400_000],
      [ROOT_BUILD_ID, 50_000],
      ['dir:/opt/new', 10_000],
    ]);
    const pct = one(spec('baseline', 2, undefined, { name: 'baseline', limitIsFraction: true, limitText: '200%' }), newA, { baseline: base });
    expect(pct.limit).toBe(2 * EXPECT.old.layerBytes);
    expect(pct.status).toBe('pass');
    const skipped = one(spec('baseline', 0.05, undefined, { name: 'baseline', limitIsFraction: true, limitText: '5%' }));
    expect(skipped.status).toBe('skip');
    expect(skipped.limit).toBeNull();
  });

  it('a plan budget without a computed plan is skipped, with a plan it compares projected bytes', () => {
    expect(one(spec('plan', 1, 'mu2e')).status).toBe('skip');
    const plan = {
      ruleSets: ['mu2e'],
      inputBytes: EXPECT.new.mergedBytes,
      projectedBytes: 600_000,
      savedBytes: EXPECT.new.mergedBytes - 600_000,
      projectedImageBytes: 0,
      target: 500_000,
      gap: 100_000,
      inputFiles: 0,
      projectedFiles: 0,
      rules: [],
      findings: [],
      suggestions: [{ kind: 'owner' as const, id: G4_BUILD_ID, bytes: 400_000, files: 1 }],
      warnings: [],
    };
    const r = one(spec('plan', 500_000, 'mu2e'), newA, { plans: new Map([['mu2e', plan as never]]) });
    expect(r.status).toBe('fail');
    expect(r.excess).toBe(100_000);
    expect(r.contributors).toEqual([{ kind: 'suggestion', id: G4_BUILD_ID, bytes: 400_000, detail: 'largest remaining owner' }]);
  });
});

describe('the verdict', () => {
  it('counts pass, fail and skip', () => {
    const r = evaluateBudgets([spec('max-size', 1), spec('max-layers', 10), spec('plan', 1, 'x')], { analysis: newA });
    expect(r.passed).toBe(false);
    expect(r.counts).toEqual({ total: 3, passed: 1, failed: 1, skipped: 1 });
    expect(evaluateBudgets([spec('max-layers', 10)], { analysis: newA }).passed).toBe(true);
  });

  it('the OLD image is within budgets the NEW one breaks', () => {
    const specs = [spec('max-size', 1_000_000), spec('owner', 500_000, 'ups:geant4')];
    expect(evaluateBudgets(specs, { analysis: oldA }).passed).toBe(true);
    expect(evaluateBudgets(specs, { analysis: newA }).counts.failed).toBe(2);
  });
});
