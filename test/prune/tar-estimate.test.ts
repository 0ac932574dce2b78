import { describe, expect, test } from 'vitest';
import type { Analysis } from '../../src/analysis/analyze.js';
import type { EntrySpec } from '../../fixtures/images/layer.js';
import { Kind } from '../../src/tree/layer-index.js';
import { END_OF_ARCHIVE, tarEntryBytes } from '../../src/prune/tar-estimate.js';
import { encodeHeader, paddingFor } from '../../src/tar/write-header.js';
import type { PlanResult } from '../../src/prune/types.js';
import { analyzeLayers, plan, rules } from './helpers.js';

/**
 * The written layer, encoded entry by entry with the writer's own header encoder: the written nodes in
 * node order, names relative, no root entry, each inode's data under its first written name and
 * hard links for the others, then the end-of-archive blocks.
 */
function writtenBytes(a: Analysis, r: PlanResult | null): number {
  let total = END_OF_ARCHIVE;
  const firstName = new Map<number, string>();
  const { tree, paths } = a;
  const base = { mode: 0o644, uid: 0, gid: 0, mtime: 0 };
  for (let n = 1; n < paths.size; n++) {
    if (!tree.isPresent(n) || (r && r.dropped[n])) continue;
    const name = paths.pathOf(n);
    const k = tree.kindOf(n);
    if (k === Kind.Dir) total += encodeHeader({ ...base, name: `${name}/`, typeflag: '5', size: 0 }).length;
    else if (k === Kind.Symlink) total += encodeHeader({ ...base, name, typeflag: '2', size: 0, linkname: tree.symlinkTarget(n)! }).length;
    else if (k === Kind.File) {
      const ino = tree.inodeOf(n);
      const first = firstName.get(ino);
      if (first !== undefined) total += encodeHeader({ ...base, name, typeflag: '1', size: 0, linkname: first }).length;
      else {
        firstName.set(ino, name);
        const size = tree.sizeOf(n);
        total += encodeHeader({ ...base, name, typeflag: '0', size }).length + size + paddingFor(size);
      }
    }
  }
  return total;
}

const long = (n: number, c: string) => c.repeat(n);
const LAYER: EntrySpec[] = [
  { type: 'dir', path: 'a' },
  { type: 'file', path: 'a/small', content: { size: 10, seed: 1 } },
  { type: 'file', path: 'a/block', content: { size: 512, seed: 2 } },
  { type: 'file', path: 'a/empty', content: '' },
  // 114 bytes: fits with a ustar prefix
  { type: 'dir', path: `a/${long(60, 'p')}` },
  { type: 'file', path: `a/${long(60, 'p')}/${long(50, 'q')}`, content: { size: 700, seed: 3 } },
  // a last component over 100 bytes: PAX path
  { type: 'file', path: `a/${long(120, 'r')}`, content: { size: 1, seed: 4 } },
  // prefix over 155 bytes: PAX path
  { type: 'dir', path: `a/${long(90, 's')}` },
  { type: 'dir', path: `a/${long(90, 's')}/${long(90, 't')}` },
  { type: 'file', path: `a/${long(90, 's')}/${long(90, 't')}/f`, content: { size: 2000, seed: 5 } },
  // a directory of exactly 100 bytes plus its trailing slash
  { type: 'dir', path: `a/${long(97, 'd')}` },
  // not ASCII: PAX path
  { type: 'file', path: 'a/café', content: 'x' },
  // a symlink target over 100 bytes: PAX linkpath
  { type: 'symlink', path: 'a/longlink', target: `/${long(130, 'l')}` },
  { type: 'symlink', path: 'a/shortlink', target: 'small' },
  { type: 'symlink', path: 'a/unicode-link', target: 'café' },
  { type: 'hardlink', path: 'a/small2', target: 'a/small' },
  { type: 'dir', path: 'b' },
  { type: 'file', path: 'b/big', content: { size: 100_000, seed: 6 } },
];

describe("projectedImageBytes is what the writer's encoder writes for the slimmed tree", () => {
  test('the image as it is', async () => {
    const a = await analyzeLayers([LAYER]);
    const r = plan(a, rules([{ name: 'nothing', action: 'drop', paths: ['/nowhere'] }]));
    expect(r.plan.projectedImageBytes).toBe(writtenBytes(a, r));
    expect(r.plan.inputImageBytes).toBe(writtenBytes(a, null));
  });
  test.each([
    ['long names', ['/a/p*/**', '/a/s*/**']],
    ['the first name of a hard link', ['/a/small']],
    ['a whole directory', ['/b']],
    ['everything', ['/a', '/b']],
  ])('after dropping %s', async (_, globs) => {
    const a = await analyzeLayers([LAYER]);
    const r = plan(a, rules([{ name: 'x', action: 'drop', paths: globs }]));
    expect(r.plan.projectedImageBytes).toBe(writtenBytes(a, r));
  });
});

test('tarEntryBytes per entry', () => {
  expect(tarEntryBytes({ path: 'a/b', type: 'file', size: 1 })).toBe(1024);
  expect(tarEntryBytes({ path: 'a/b', type: 'file', size: 512 })).toBe(1024);
  expect(tarEntryBytes({ path: 'a/b', type: 'dir' })).toBe(512);
  // " path=" + 120 bytes + "\n" = 127, +3 length digits = 130 → one 512 block, plus its header
  expect(tarEntryBytes({ path: long(120, 'x'), type: 'file', size: 0 })).toBe(512 + 512 + 512);
  expect(tarEntryBytes({ path: 'é', type: 'file', size: 0 })).toBe(1536);
});
