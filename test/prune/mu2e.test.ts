/**
 * The mu2e rule sets on the Mu2e-like demo images (fixtures/mu2e, at the tests' tiny scale and the
 * `npm start` scale): zero safety findings; rule savings that match the generator's own per-entry
 * manifest; every prof library and executable stripped of its debug information; the simulation
 * stack gone (mu2e) or kept (mu2e-sim); and the image `whittle prune` writes weighing what the plan
 * projected, its stripped libraries still read by binutils.
 *
 * The target: the Mu2e wiki's "as small as 1 GB" for a 15 GB image is 1 GB × scale on these images,
 * but they carry content whose size does not scale (the rpm database alone is 0.54 MB at every
 * scale, five times the tiny image's 100 kB; UPS tables, version files, minimal ELF files), so the
 * verdict is printed, not asserted; docs/rules.md §9 has the scale-1 measurement.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import AjvModule from 'ajv';
import { beforeAll, describe, expect, test } from 'vitest';
import { analyzeImage, type Analysis } from '../../src/analysis/analyze.js';
import { compileRules, includeScopeFor } from '../../src/prune/compile.js';
import { evaluatePlan } from '../../src/prune/evaluate.js';
import { loadRuleSet } from '../../src/prune/load-rules.js';
import type { PlanResult } from '../../src/prune/types.js';
import { generatedDir } from '../../fixtures/images/paths.js';
import { demoImagePaths, ensureDemoImage } from '../../fixtures/mu2e/cache.js';
import { DEFAULT_DEMO_SCALE, TINY_SCALE } from '../../fixtures/mu2e/generate.js';
import { runCli } from '../helpers/cli.js';
import { REPO, scratchDir } from './helpers.js';

/** The Mu2e wiki's "as small as 1 GB" for a 15 GB image; the demo image is generated at `scale` of it. */
const TARGET_AT_SCALE_1 = 1e9;

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const TOOLS = has('readelf') && has('tar');

interface Row {
  path: string;
  type: string;
  size: number;
  owner: string;
  category: string;
  visible: boolean;
}

interface Fixture {
  archive: string;
  rows: Row[];
  a: Analysis;
  r: PlanResult;
  expected: { merged: { bytes: number; files: number } };
}

async function load(scale: number, rules: string): Promise<Fixture> {
  const opts = { scale, seed: 1, cacheDir: path.join(generatedDir(), 'mu2e') };
  const archive = await ensureDemoImage(opts);
  const rows = readFileSync(demoImagePaths(opts).manifestPath, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l !== '')
    .map((l) => {
      const [, p, type, size, owner, category, visible] = l.split('\t');
      return { path: p!, type: type!, size: Number(size), owner: owner!, category: category!, visible: visible === 'true' };
    });
  const ruleSet = loadRuleSet([rules]);
  const a = await analyzeImage(archive, { elf: true, includes: includeScopeFor(ruleSet.rules) });
  const r = evaluatePlan(a, compileRules(a, ruleSet), { target: TARGET_AT_SCALE_1 * scale });
  return { archive, rows, a, r, expected: JSON.parse(readFileSync(demoImagePaths(opts).expectedPath, 'utf8')) };
}

const sum = (xs: Row[]) => xs.reduce((s, x) => s + x.size, 0);
const isDebugBuild = (x: Row) => /[/:]debug$/.test(x.owner);
const G4_OWNER = /^ups:(g4[a-z]+|geant4|xerces_c)(\/|$)/;
const ROOT_INTERACTIVE = /\/lib(Gui|GuiHtml|GuiBld|Ged|Eve|RGL|TreeViewer|ROOTTreeViewer|SessionViewer|FitPanel|ASImageGui|GX11|GX11TTF|X3d|Recorder|GeomBuilder|Html|MemStat|Proof|ProofPlayer|XrdProofd|Sessions|SrvAuth|Krb5Auth|Monalisa|RHTTP|RHTTPSniff|PyROOT|ROOTTPython|PyMVA|Hbook|Minicern)(\.so|\.rootmap|_rdict\.pcm)$/;

for (const [label, scale] of [['tiny', TINY_SCALE], ['default', DEFAULT_DEMO_SCALE]] as const) {
  describe(`mu2e on the ${label} demo image (scale ${scale})`, () => {
    let f: Fixture;
    beforeAll(async () => {
      f = await load(scale, 'mu2e');
    }, 180_000);
    const visibleFiles = (pred: (x: Row) => boolean) => f.rows.filter((x) => x.visible && x.type === 'file' && pred(x));
    const node = (p: string) => f.a.paths.lookup(p.slice(1));
    const rule = (name: string) => f.r.plan.rules.find((x) => x.name === name)!;

    test('has no safety findings, and every check ran', () => {
      const { plan } = f.r;
      expect(plan.findings).toEqual([]);
      expect(plan.findingCounts).toEqual({});
      expect(plan.findingsChecked).toBe(true);
      expect(plan.notes.elfChecked).toBeGreaterThan(250);
      expect(plan.notes.elfUnresolvedBefore).toBe(0);
      expect(plan.notes.stripSkipped).toBe(0);
      expect(plan.warnings.filter((w) => w.severity !== 'info')).toEqual([]);
    });

    test('starts from the merged tree the generator wrote', () => {
      expect(f.r.plan.inputBytes).toBe(f.expected.merged.bytes);
      expect(f.r.plan.inputFiles).toBe(f.expected.merged.files);
    });

    test('drops every debug build, fq directory and version file alike', () => {
      const debug = visibleFiles(isDebugBuild);
      expect(rule('ups/debug-builds')).toMatchObject({ files: debug.length, bytes: sum(debug) });
      expect(debug.length).toBeGreaterThan(50);
    });

    test('drops the simulation stack: Geant4, all its data sets, xerces-c', () => {
      const tendl = visibleFiles((x) => /^ups:g4tendl(\/|$)/.test(x.owner));
      expect(rule('mu2e/g4tendl')).toMatchObject({ files: tendl.length, bytes: sum(tendl) });
      const data = visibleFiles((x) => /^ups:g4[a-z]+(\/|$)/.test(x.owner) && !/^ups:g4tendl/.test(x.owner));
      expect(rule('mu2e/simulation-data')).toMatchObject({ files: data.length, bytes: sum(data) });
      expect(data.length).toBeGreaterThan(10);
      for (const x of visibleFiles((y) => G4_OWNER.test(y.owner))) expect(f.r.dropped[node(x.path)], x.path).toBe(1);
      expect(rule('mu2e/simulation-geant4').bytes).toBeGreaterThan(0);
    });

    test('strips every prof library and executable with debug information, and nothing else', () => {
      const { a, r } = f;
      let files = 0;
      let saved = 0;
      let before = 0;
      for (const [n, info] of a.elf!) {
        const p = `/${a.paths.pathOf(n)}`;
        const mine = p.startsWith('/products/') || p.startsWith('/Offline/');
        const debug = (info.strip?.debugSections ?? 0) > 0;
        if (r.dropped[n]) {
          expect(r.stripped[n], p).toBe(0);
          continue;
        }
        expect(info.strip, p).toBeDefined();
        expect(r.stripped[n], p).toBe(mine && debug ? 1 : 0);
        if (!r.stripped[n]) continue;
        files++;
        before += a.tree.sizeOf(n);
        saved += a.tree.sizeOf(n) - info.strip!.strippedSize;
      }
      expect(files).toBeGreaterThan(20);
      expect(rule('mu2e/debug-info')).toMatchObject({ files, bytes: saved });
      expect(r.plan.notes.strippedFiles).toBe(files);
      // the generator gives prof libraries 67% debug information (docs/ups.md §6); minimal files less
      expect(saved / before).toBeGreaterThan(0.5);
      expect(saved / before).toBeLessThan(0.68);
    });

    test('keeps dictionaries, rootmaps, ROOT etc/, ROOT and gcc headers, the headers dictionaries need, and the Offline libraries and job configuration', () => {
      const gone = (x: Row) => isDebugBuild(x) || G4_OWNER.test(x.owner) || x.path.includes('/v6_10_04d') || x.path.includes('.e15.') || x.path.includes('libmu2e_Mu2eG4') || ROOT_INTERACTIVE.test(x.path);
      const kept = visibleFiles(
        (x) =>
          !gone(x) &&
          (/_rdict\.pcm$|\.rootmap$/.test(x.path) ||
            /^\/products\/root\/v6_12_06a\/[^/]+\/etc\//.test(x.path) ||
            /^\/products\/root\/v6_12_06a\/[^/]+\/include\//.test(x.path) ||
            /^\/products\/gcc\/.*\/include\/c\+\+\//.test(x.path) ||
            (x.path.startsWith('/Offline/') && (/\/lib\/|\/bin\//.test(x.path) || x.path.endsWith('.fcl')))),
      );
      expect(kept.length).toBeGreaterThan(20);
      for (const x of kept) expect(f.r.dropped[node(x.path)], x.path).toBe(0);
      // other products' headers and Offline's stay only when a kept dictionary needs them
      // (test/prune/dictionary-headers.test.ts checks which): some go, some stay
      const trimmed = visibleFiles((x) => !gone(x) && (/^\/products\/(boost|art|canvas|cetlib)\/.*\/include\//.test(x.path) || (x.path.startsWith('/Offline/') && x.path.includes('/inc/'))));
      const stay = trimmed.filter((x) => f.r.dropped[node(x.path)] === 0).length;
      expect(stay).toBeGreaterThan(0);
      if (label === 'default') expect(stay).toBeLessThan(trimmed.length);
      expect(f.r.plan.notes.dictionaryHeadersNeeded).toBeGreaterThanOrEqual(stay);
    });

    test('drops Offline sources and build products, and no rpm-owned file of glibc or perl', () => {
      const sources = visibleFiles((x) => x.path.startsWith('/Offline/') && x.path.includes('/src/') && !x.path.endsWith('SConscript'));
      const i = f.r.plan.rules.findIndex((y) => y.name === 'mu2e/offline-sources');
      for (const x of sources) expect(f.r.droppedBy[node(x.path)], x.path).toBe(i);
      for (const x of visibleFiles((y) => y.category === 'build-byproduct' || y.category === 'source' || y.category === 'lib-static')) expect(f.r.dropped[node(x.path)], x.path).toBe(1);
      for (const x of visibleFiles((y) => y.owner === 'rpm:glibc' || y.owner === 'rpm:perl')) expect(f.r.dropped[node(x.path)], x.path).toBe(0);
    });

    test('how close it gets to the scaled target (printed)', () => {
      const { plan } = f.r;
      const share = plan.projectedBytes / plan.inputBytes;
      console.log(
        `[mu2e ${label}] ${plan.inputBytes} → ${plan.projectedBytes} bytes (${(share * 100).toFixed(1)}%), target ${plan.target}, gap ${plan.gap}; ` +
          `written layer ≈ ${plan.projectedImageBytes} of ${plan.inputImageBytes}; ${plan.notes.strippedFiles} files stripped`,
      );
      expect(plan.savedBytes).toBe(plan.inputBytes - plan.projectedBytes);
      expect(share).toBeLessThan(0.5);
    });

    test.runIf(label === 'tiny')('whittle plan --json reports the strip rule like any rule, in the documented schema', () => {
      const p = runCli(['plan', f.archive, '--rules', 'mu2e', '--target', `${TARGET_AT_SCALE_1 * scale}`, '--json']);
      expect(p.code, p.stderr).toBe(0);
      const doc = JSON.parse(p.stdout) as { rules: { name: string; action: string; files: number; bytes: number }[]; notes: Record<string, number>; projectedBytes: number };
      const schema = JSON.parse(readFileSync(path.join(REPO, 'docs/plan.schema.json'), 'utf8')) as object;
      const validate = new AjvModule.default({ allErrors: true, strict: false }).compile(schema);
      expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
      const strip = f.r.plan.rules.find((x) => x.action === 'strip')!;
      expect(doc.rules.find((x) => x.name === 'mu2e/debug-info')).toMatchObject({ action: 'strip', files: strip.files, bytes: strip.bytes });
      expect(doc.notes).toMatchObject({ strippedFiles: f.r.plan.notes.strippedFiles, stripSkipped: 0 });
      expect(doc.projectedBytes).toBe(f.r.plan.projectedBytes);
      const text = runCli(['plan', f.archive, '--rules', 'mu2e']).stdout;
      expect(text).toMatch(new RegExp(`strip +mu2e/debug-info +${strip.files} stripped`));
      expect(text).toContain(`${strip.files} files are written without their debug information`);
      expect(f.r.plan.notes.dictionaryHeadersNeeded).toBeGreaterThan(0);
      expect(text).toContain(`${f.r.plan.notes.dictionaryHeadersNeeded} headers are needed by the ROOT dictionaries that stay`);
    });

    test('the written image weighs what the plan projected, and its stripped libraries still read', () => {
      const out = path.join(scratchDir(), `mu2e-${label}-slim.tar`);
      const w = runCli(['prune', f.archive, '--rules', 'mu2e', '-o', out, '--json']);
      expect(w.code, w.stderr).toBe(0);
      const doc = JSON.parse(w.stdout) as { projectedImageBytes: number; writtenLayerBytes: number; projectedBytes: number };
      expect(doc.projectedImageBytes).toBe(f.r.plan.projectedImageBytes);
      expect(Math.abs(doc.writtenLayerBytes - doc.projectedImageBytes) / doc.projectedImageBytes).toBeLessThan(0.01);
      expect(doc.writtenLayerBytes).toBe(doc.projectedImageBytes);
      // and its merged tree is the projected one
      const slim = JSON.parse(runCli(['analyze', out, '--json']).stdout) as { totals: { mergedBytes: number } };
      expect(slim.totals.mergedBytes).toBe(f.r.plan.projectedBytes);
      if (!TOOLS) {
        console.log('[mu2e] readelf or tar missing: the stripped libraries were not read with binutils');
        return;
      }
      // extract the stripped files and read them with binutils
      const dir = path.join(scratchDir(), `mu2e-${label}-extract`);
      mkdirSync(dir, { recursive: true });
      expect(spawnSync('tar', ['-xf', out, '-C', dir]).status).toBe(0);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { Layers: string[] }[];
      const root = path.join(dir, 'rootfs');
      mkdirSync(root);
      expect(spawnSync('tar', ['-xf', path.join(dir, manifest[0]!.Layers[0]!), '-C', root]).status).toBe(0);
      const stripped: number[] = [];
      for (let n = 1; n < f.a.paths.size; n++) if (f.r.stripped[n]) stripped.push(n);
      expect(stripped.length).toBeGreaterThan(20);
      for (const n of stripped) {
        const file = path.join(root, f.a.paths.pathOf(n));
        const info = f.a.elf!.get(n)!;
        expect(statSync(file).size, file).toBe(info.strip!.strippedSize);
        const s = spawnSync('readelf', ['-SdW', file], { encoding: 'utf8', env: { LC_ALL: 'C' } });
        expect(s.status, file).toBe(0);
        expect(s.stderr, file).toBe('');
        expect(s.stdout, file).not.toContain('.debug_');
        expect(s.stdout, file).toContain('.shstrtab');
        const needed = [...s.stdout.matchAll(/\(NEEDED\)\s+Shared library: \[(.+?)\]/g)].map((m) => m[1]);
        expect(needed, file).toEqual(info.needed);
        expect(/\(RUNPATH\)\s+Library runpath: \[(.*?)\]/.exec(s.stdout)?.[1].split(':').filter(Boolean) ?? [], file).toEqual(info.runpath);
        if (info.soname !== null) expect(s.stdout, file).toContain(`Library soname: [${info.soname}]`);
      }
    }, 180_000);
  });
}

describe('mu2e-sim on the tiny demo image', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await load(TINY_SCALE, 'mu2e-sim');
  }, 180_000);

  test('keeps Geant4, the data sets its table requires and xerces-c, stripped; drops G4TENDL; no findings', () => {
    const { a, r, rows } = f;
    expect(r.plan.findings).toEqual([]);
    expect(r.plan.rules.some((x) => x.name.startsWith('mu2e/simulation-'))).toBe(false);
    const live = rows.filter((x) => x.visible && x.type === 'file' && G4_OWNER.test(x.owner) && !isDebugBuild(x) && !/^ups:g4tendl/.test(x.owner));
    const required = live.filter((x) => x.category === 'data' || /\/lib(64)?\/lib[^/]*\.so$/.test(x.path));
    expect(required.length).toBeGreaterThan(10);
    for (const x of required) expect(r.dropped[a.paths.lookup(x.path.slice(1))], x.path).toBe(0);
    const g4lib = a.paths.lookup('products/geant4/v4_10_4b/Linux64bit+3.10-2.17-e17-prof/lib64/libG4global.so');
    expect(r.stripped[g4lib]).toBe(1);
    for (const x of rows.filter((y) => y.visible && y.type === 'file' && /^ups:g4tendl/.test(y.owner))) expect(r.dropped[a.paths.lookup(x.path.slice(1))], x.path).toBe(1);
    // and it keeps more than mu2e: the simulation stack
    expect(r.plan.projectedBytes).toBeGreaterThan(r.plan.inputBytes * 0.5 - 1);
  });
});
