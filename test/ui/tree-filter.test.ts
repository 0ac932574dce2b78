import { beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/analysis/analyze.js';
import { MergedSource } from '../../src/ui/file-sources.js';
import { computeFilter } from '../../src/ui/tree-filter.js';
import { demoAnalysis } from './helpers.js';

let a: Analysis;
let src: MergedSource;
beforeAll(async () => {
  a = await demoAnalysis();
  src = new MergedSource(a.tree, { kind: 'merged' });
});

/** Brute force: topmost present nodes whose "/full/path" contains q, case-insensitively. */
function oracle(q: string, minSize = 0): Set<number> {
  const out = new Set<number>();
  const p = a.paths;
  const has = (n: number) => `/${p.pathOf(n)}`.toLowerCase().includes(q.toLowerCase());
  for (let n = 1; n < p.size; n++) {
    if (!a.tree.isPresent(n) || !has(n) || (p.parent[n]! > 0 && has(p.parent[n]!))) continue;
    if (a.tree.cumulativeBytes(n) >= minSize) out.add(n);
  }
  return out;
}

function matchesOf(mark: Uint8Array): Set<number> {
  const out = new Set<number>();
  for (let n = 1; n < mark.length; n++) if (mark[n] === 2 && mark[a.paths.parent[n]!] !== 2 && a.tree.isPresent(n)) out.add(n);
  return out;
}

describe('tree filter', () => {
  it.each(['lib', 'LIB', 'root/v6', 'e17-prof', 'products/', '/bin', 'x86_64'])('finds the topmost paths containing %j, as a full-path scan does', (q) => {
    const r = computeFilter(src.filterInput(), { text: q, minSize: 0 }, Infinity);
    const want = oracle(q);
    expect(want.size).toBeGreaterThan(0);
    expect(r.matches).toBe(want.size);
    expect(matchesOf(r.mark!)).toEqual(want);
  });

  it('keeps every ancestor of a match (and opens them) and hides everything else', () => {
    const r = computeFilter(src.filterInput(), { text: 'e17-debug', minSize: 0 }, Infinity);
    const ms = oracle('e17-debug');
    expect(ms.size).toBeGreaterThan(0);
    for (const m of ms) {
      for (let n = a.paths.parent[m]!; n > 0; n = a.paths.parent[n]!) {
        expect(r.mark![n]).toBe(1);
        expect(r.ancestors).toContain(n);
      }
    }
    const hidden = a.tree.lookup('etc');
    expect(r.keep!(hidden)).toBe(false);
  });

  it('shows only the largest matches past the cap, and counts all', () => {
    const all = oracle('.so');
    expect(all.size).toBeGreaterThan(20);
    const r = computeFilter(src.filterInput(), { text: '.so', minSize: 0 }, 20);
    expect(r.matches).toBe(all.size);
    expect(r.shown).toBe(20);
    const shownSizes = [...matchesOf(r.mark!)].map((n) => a.tree.cumulativeBytes(n));
    const sizes = [...all].map((n) => a.tree.cumulativeBytes(n)).sort((x, y) => y - x);
    expect(shownSizes.length).toBe(20);
    expect(Math.min(...shownSizes)).toBe(sizes[19]);
  });

  it('applies the minimum size to matches and to every row', () => {
    const min = 20_000;
    const r = computeFilter(src.filterInput(), { text: 'lib', minSize: min }, Infinity);
    expect(r.matches).toBe(oracle('lib', min).size);
    const small = [...oracle('lib')].find((n) => a.tree.cumulativeBytes(n) < min)!;
    expect(r.keep!(small)).toBe(false);
    const sizeOnly = computeFilter(src.filterInput(), { text: '', minSize: min });
    expect(sizeOnly.mark).toBeNull();
    const big = a.tree.largestFiles(1)[0]!.node;
    expect(sizeOnly.keep!(big)).toBe(true);
    expect(sizeOnly.keep!(small)).toBe(false);
  });

  it('filters nothing when empty', () => {
    const r = computeFilter(src.filterInput(), { text: '', minSize: 0 });
    expect(r.keep).toBeNull();
  });
});
