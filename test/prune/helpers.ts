/** Small real images for the prune tests: entry specs → a docker save archive on disk → analyzeImage. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { analyzeImage, type Analysis } from '../../src/analysis/analyze.js';
import type { EntrySpec } from '../../fixtures/images/layer.js';
import { writeArchive } from '../../fixtures/images/write-image.js';
import { compileRules } from '../../src/prune/compile.js';
import { evaluatePlan, type EvaluateOptions } from '../../src/prune/evaluate.js';
import { ruleSetFromObject } from '../../src/prune/load-rules.js';
import type { PlanResult, RuleSet } from '../../src/prune/types.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

let dir: string | null = null;
let seq = 0;

/** Writes the layers as a Docker ≥ 25 archive in a temporary directory; returns its path. */
export function writeImageFile(layers: EntrySpec[][]): string {
  scratchDir();
  const w = writeArchive({ images: [{ repoTag: 'whittle/prune-test:1', layers: layers.map((entries) => ({ entries })) }] }, 'docker-25');
  const file = join(scratchDir(), `image-${process.pid}-${seq++}.tar`);
  writeFileSync(file, w.bytes!);
  return file;
}

/** The same, analysed (owners and ELF on). */
export async function analyzeLayers(layers: EntrySpec[][]): Promise<Analysis> {
  return analyzeImage(writeImageFile(layers), { elf: true });
}

// each test file gets its own copy of this module (vitest isolates files): clean up after it
afterAll(() => {
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
});

/** A scratch directory for test files (removed after the test file). */
export function scratchDir(): string {
  if (dir === null) {
    dir = mkdtempSync(join(tmpdir(), 'whittle-prune-'));
  }
  return dir;
}

/** A rule set from rule objects (no `why` needed), named `t`. */
export function rules(list: object[], name = 't'): RuleSet {
  return ruleSetFromObject({ name, description: 'test rules', rules: list });
}

export function plan(a: Analysis, rs: RuleSet, opts: EvaluateOptions = {}): PlanResult & { path: (p: string) => number } {
  const compiled = compileRules(a, rs);
  const r = evaluatePlan(a, compiled, opts);
  return { ...r, path: (p: string) => a.paths.lookup(p.replace(/^\//, '')) };
}

/** Paths (with a leading slash) of the present nodes the plan drops, sorted. */
export function droppedPaths(a: Analysis, r: PlanResult): string[] {
  const out: string[] = [];
  for (let n = 1; n < a.paths.size; n++) if (r.dropped[n]) out.push(`/${a.paths.pathOf(n)}`);
  return out.sort();
}

/** Every file of a fixture directory as `file` entries (with their parents), paths relative to it. */
export function filesOf(root: string, prefix = ''): EntrySpec[] {
  const out: EntrySpec[] = [];
  const walk = (sub: string) => {
    for (const name of readdirSync(join(root, sub)).sort()) {
      const rel = sub ? `${sub}/${name}` : name;
      const st = statSync(join(root, rel));
      const path = prefix ? `${prefix}/${rel}` : rel;
      if (st.isDirectory()) {
        out.push({ type: 'dir', path });
        walk(rel);
      } else out.push({ type: 'file', path, content: readFileSync(join(root, rel)), mode: st.mode & 0o777 });
    }
  };
  walk('');
  return out;
}
