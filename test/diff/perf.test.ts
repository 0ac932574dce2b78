/** diffFiles is one merge-join: a million files on each side in well under a few seconds. */
import { describe, expect, it } from 'vitest';
import { diffFiles } from '../../src/diff/compare.js';
import type { FileList } from '../../src/diff/types.js';

/** 1,000,000 paths like /usr/lib/pkgNNNN/fileNNN.so in packFiles order, with sizes from `size`. */
function bigList(n: number, size: (i: number) => number, skip: (i: number) => boolean): FileList {
  const parts: string[] = [];
  const sizes: number[] = [];
  const starts: number[] = [];
  let off = 0;
  for (let i = 0; i < n; i++) {
    if (skip(i)) continue;
    // zero-padded so name order = numeric order = packFiles order
    const p = `/usr/lib/pkg${String(Math.floor(i / 1000)).padStart(4, '0')}/file${String(i % 1000).padStart(3, '0')}.so`;
    parts.push(p);
    sizes.push(size(i));
    starts.push(off);
    off += p.length + 1;
  }
  starts.push(off);
  return { text: parts.join('\u0000'), starts: Uint32Array.from(starts), sizes: Float64Array.from(sizes), count: parts.length };
}

describe('diffFiles at scale', () => {
  it('compares 1,000,000 files per side in linear time', () => {
    const N = 1_000_000;
    const a = bigList(N, (i) => i % 97, (i) => i % 10 === 3);
    const b = bigList(N, (i) => (i % 1000 === 0 ? 5_000 + i : i % 97), (i) => i % 10 === 7);
    const t0 = performance.now();
    const d = diffFiles(a, b, 20);
    const ms = performance.now() - t0;
    expect(d.summary.added.count).toBe(N / 10); // i % 10 === 3: only in b
    expect(d.summary.removed.count).toBe(N / 10); // i % 10 === 7: only in a
    expect(d.summary.grown.count).toBe(N / 1000); // i % 1000 === 0 (never skipped) grew
    expect(d.entries[0]).toMatchObject({ path: '/usr/lib/pkg0999/file000.so', status: 'changed', delta: 5_000 + 999_000 - (999_000 % 97) });
    expect(d.entries).toHaveLength(20);
    expect(ms).toBeLessThan(10_000);
  });
});
