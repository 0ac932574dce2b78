/**
 * The mu2e rule set on the tiny Mu2e-like demo image (fixtures/mu2e at TINY_SCALE): zero safety
 * findings, rule savings that match the generator's own per-entry manifest, and the written image
 * (`whittle prune`) weighing what the plan projected.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { analyzeImage, type Analysis } from '../../src/analysis/analyze.js';
import { compileRules } from '../../src/prune/compile.js';
import { evaluatePlan } from '../../src/prune/evaluate.js';
import { loadRuleSet } from '../../src/prune/load-rules.js';
import type { PlanResult } from '../../src/prune/types.js';
import { generatedDir } from '../../fixtures/images/paths.js';
import { demoImagePaths, ensureDemoImage } from '../../fixtures/mu2e/cache.js';
import { TINY_SCALE } from '../../fixtures/mu2e/generate.js';
import { runCli } from '../helpers/cli.js';
import { scratchDir } from './helpers.js';

/** The Mu2e wiki's "as small as 1 GB" for a 15 GB image; the demo image is generated at `scale` of it. */
const TARGET_AT_SCALE_1 = 1e9;

interface Row {
  path: string;
  type: string;
  size: number;
  owner: string;
  category: string;
  visible: boolean;
}

const opts = { scale: TINY_SCALE, seed: 1, cacheDir: path.join(generatedDir(), 'mu2e') };
let archive: string;
let rows: Row[];
let a: Analysis;
let r: PlanResult;

beforeAll(async () => {
  archive = await ensureDemoImage(opts);
  rows = readFileSync(demoImagePaths(opts).manifestPath, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l !== '')
    .map((l) => {
      const [, p, type, size, owner, category, visible] = l.split('\t');
      return { path: p!, type: type!, size: Number(size), owner: owner!, category: category!, visible: visible === 'true' };
    });
  a = await analyzeImage(archive, { elf: true });
  r = evaluatePlan(a, compileRules(a, loadRuleSet(['mu2e'])), { target: TARGET_AT_SCALE_1 * TINY_SCALE });
}, 120_000);

const visibleFiles = (pred: (x: Row) => boolean) => rows.filter((x) => x.visible && x.type === 'file' && pred(x));
const sum = (xs: Row[]) => xs.reduce((s, x) => s + x.size, 0);
const rule = (name: string) => r.plan.rules.find((x) => x.name === name)!;

describe('mu2e on the tiny demo image', () => {
  test('has no safety findings, and every check ran', () => {
    expect(r.plan.findings).toEqual([]);
    expect(r.plan.findingCounts).toEqual({});
    expect(r.plan.findingsChecked).toBe(true);
    expect(r.plan.notes.elfChecked).toBeGreaterThan(300);
    expect(r.plan.notes.elfUnresolvedBefore).toBe(0);
  });

  test('starts from the merged tree the generator wrote', () => {
    const expected = JSON.parse(readFileSync(demoImagePaths(opts).expectedPath, 'utf8')) as { merged: { bytes: number; files: number } };
    expect(r.plan.inputBytes).toBe(expected.merged.bytes);
    expect(r.plan.inputFiles).toBe(expected.merged.files);
  });

  test('drops every debug build, fq directory and version file alike', () => {
    const debug = visibleFiles((x) => /[/:]debug$/.test(x.owner));
    expect(rule('ups/debug-builds')).toMatchObject({ files: debug.length, bytes: sum(debug) });
    expect(debug.length).toBeGreaterThan(50);
  });

  test('drops G4TENDL, which no table requires, and keeps the data sets geant4 requires', () => {
    const tendl = visibleFiles((x) => x.owner === 'ups:g4tendl' || x.owner.startsWith('ups:g4tendl/'));
    expect(rule('mu2e/g4tendl')).toMatchObject({ files: tendl.length, bytes: sum(tendl) });
    const required = visibleFiles((x) => x.category === 'data' && !x.owner.startsWith('ups:g4tendl'));
    for (const x of required) expect(r.dropped[a.paths.lookup(x.path.slice(1))], x.path).toBe(0);
  });

  test('keeps dictionaries, rootmaps and the Offline libraries and job configuration', () => {
    const kept = visibleFiles(
      (x) =>
        (/_rdict\.pcm$|\.rootmap$/.test(x.path) && !/[/:]debug$/.test(x.owner) && !x.path.includes('/v6_10_04d') && !x.path.includes('.e15.')) ||
        (x.path.startsWith('/Offline/') && (/\/lib\/|\/bin\//.test(x.path) || x.path.endsWith('.fcl'))),
    );
    expect(kept.length).toBeGreaterThan(10);
    for (const x of kept) expect(r.dropped[a.paths.lookup(x.path.slice(1))], x.path).toBe(0);
  });

  test('drops Offline sources and build products, and no rpm-owned file outside the dropped packages', () => {
    const sources = visibleFiles((x) => x.path.startsWith('/Offline/') && x.path.includes('/src/') && !x.path.endsWith('SConscript'));
    for (const x of sources) expect(r.droppedBy[a.paths.lookup(x.path.slice(1))], x.path).toBe(r.plan.rules.findIndex((y) => y.name === 'mu2e/offline-sources'));
    const glibc = visibleFiles((x) => x.owner === 'rpm:glibc');
    for (const x of glibc) expect(r.dropped[a.paths.lookup(x.path.slice(1))], x.path).toBe(0);
  });

  test('how close it gets to the scaled target (printed)', () => {
    const share = r.plan.projectedBytes / r.plan.inputBytes;
    console.log(
      `[mu2e tiny] ${r.plan.inputBytes} → ${r.plan.projectedBytes} bytes (${(share * 100).toFixed(1)}%), target ${r.plan.target}, gap ${r.plan.gap}; ` +
        `written layer ≈ ${r.plan.projectedImageBytes} of ${r.plan.inputImageBytes}`,
    );
    expect(r.plan.savedBytes).toBe(r.plan.inputBytes - r.plan.projectedBytes);
    expect(share).toBeLessThan(0.8);
  });
});

test('the written image weighs what the plan projected (within 1%)', () => {
  const out = path.join(scratchDir(), 'mu2e-tiny-slim.tar');
  const w = runCli(['prune', archive, '--rules', 'mu2e', '-o', out, '--json']);
  expect(w.code, w.stderr).toBe(0);
  const doc = JSON.parse(w.stdout) as { projectedImageBytes: number; writtenLayerBytes: number; projectedBytes: number };
  expect(doc.projectedImageBytes).toBe(r.plan.projectedImageBytes);
  expect(Math.abs(doc.writtenLayerBytes - doc.projectedImageBytes) / doc.projectedImageBytes).toBeLessThan(0.01);
  // and its merged tree is the projected one
  const slim = JSON.parse(runCli(['analyze', out, '--json']).stdout) as { totals: { mergedBytes: number } };
  expect(slim.totals.mergedBytes).toBe(r.plan.projectedBytes);
}, 120_000);
