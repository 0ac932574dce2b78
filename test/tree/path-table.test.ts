import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PathTable, ROOT } from '../../src/tree/path-table.js';

/** Every ancestor path of `p` and `p` itself ('a/b/c' → a, a/b, a/b/c). */
function prefixes(p: string): string[] {
  const parts = p.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

describe('PathTable', () => {
  it('tells apart directories that share characters but not components', () => {
    const t = new PathTable();
    // Each pair shares a character prefix with the directory interned just before it.
    const order = ['a/bc/x', 'a/b/x', 'a/bc', 'a/b', 'a/bcd/y', 'a/bc/x', 'ab/c', 'a/b/c/d/e', 'a/b/c/f', 'a/b/x'];
    const ids = order.map((p) => t.intern(p));
    for (const [i, p] of order.entries()) expect(t.pathOf(ids[i]!)).toBe(p);
    expect(ids[5]).toBe(ids[0]);
    expect(ids[9]).toBe(ids[1]);
    expect(t.lookup('a/bc')).toBe(ids[2]);
    expect(t.lookup('a/b/c')).toBe(t.parent[ids[8]!]);
    expect(t.lookup('a/b/c/g')).toBe(-1);
    expect(t.intern('')).toBe(ROOT);
  });

  it('gives every distinct path one node, whatever the order paths come in', () => {
    const component = fc.constantFrom('a', 'b', 'ab', 'ba', 'a.b', 'é', 'usr', 'lib');
    const path = fc.array(component, { minLength: 1, maxLength: 6 }).map((c) => c.join('/'));
    fc.assert(
      fc.property(fc.array(path, { minLength: 1, maxLength: 60 }), (paths) => {
        const t = new PathTable();
        const seen = new Map<string, number>();
        for (const p of paths) {
          const id = t.intern(p);
          expect(t.pathOf(id)).toBe(p);
          if (seen.has(p)) expect(id).toBe(seen.get(p));
          seen.set(p, id);
          for (const q of prefixes(p)) expect(t.lookup(q)).toBeGreaterThan(0);
        }
        expect(t.size - 1).toBe(new Set(paths.flatMap(prefixes)).size);
        for (let n = 1; n < t.size; n++) expect(t.parent[n]!).toBeLessThan(n);
      }),
      { seed: 7, numRuns: 400 },
    );
  });
});
