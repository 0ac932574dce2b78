/**
 * Merged-tree bytes under the paths a glob matches. Patterns are micromatch globs over absolute
 * in-image paths (`/products/root/**`, `/usr/lib/**\/*.a`, `**\/*.pyc`); a leading `/` is optional.
 * A matching directory counts with everything under it, so `/products/root` and
 * `/products/root/**` mean the same. Symlinks are not followed: `/lib/**` on a merged-/usr image
 * matches the symlink only, not `/usr/lib`.
 *
 * Fast paths: a literal path is one lookup plus its cumulative size; a glob only walks the subtree
 * of its literal base (`/products` for `/products/*\/lib/**`), building each path string once.
 */
import type Micromatch from 'micromatch';
import { lazyRequire } from '../util/lazy-require.js';
import type { MergedTree } from '../tree/merged-tree.js';
import { NO_NODE, ROOT } from '../tree/path-table.js';

const micromatch = lazyRequire<typeof Micromatch>('micromatch');

export interface PathSum {
  bytes: number;
  /** Regular files counted. */
  files: number;
  /** Bytes per first path component under the pattern's literal base (a file or a directory), largest first. */
  parts: { path: string; bytes: number; dir: boolean }[];
}

/** The pattern without its leading and trailing slashes (micromatch matches relative paths). */
export function normalizePattern(pattern: string): string {
  let p = pattern.trim();
  while (p.startsWith('/')) p = p.slice(1);
  while (p.endsWith('/') && p.length > 1) p = p.slice(0, -1);
  if (p.startsWith('./')) p = p.slice(2);
  return p;
}

export function sumPaths(tree: MergedTree, pattern: string, top = 10): PathSum {
  const pat = normalizePattern(pattern);
  const scan = micromatch().scan(pat);
  const base = scan.isGlob ? scan.base : pat;
  const baseNode = base === '' ? ROOT : tree.lookup(base);
  if (baseNode === NO_NODE) return { bytes: 0, files: 0, parts: [] };
  const parts = new Map<number, number>();
  let bytes = 0;
  let files = 0;

  if (!scan.isGlob || pat === '**' || pat === `${base}/**`) {
    // The whole subtree of a literal path.
    bytes = tree.cumulativeBytes(baseNode);
    files = tree.cumulativeFiles(baseNode);
    if (tree.isDir(baseNode)) for (const c of tree.children(baseNode)) parts.set(c, tree.cumulativeBytes(c));
    else parts.set(baseNode, bytes);
  } else {
    const isMatch = micromatch().matcher(pat, { dot: true });
    // Depth-first from the base; `bucket` is the first component under the base.
    const stack: { node: number; path: string; bucket: number }[] = [];
    for (const c of tree.children(baseNode)) stack.push({ node: c, path: base === '' ? tree.nameOf(c) : `${base}/${tree.nameOf(c)}`, bucket: c });
    while (stack.length > 0) {
      const { node, path, bucket } = stack.pop()!;
      if (isMatch(path)) {
        const b = tree.cumulativeBytes(node);
        bytes += b;
        files += tree.cumulativeFiles(node);
        parts.set(bucket, (parts.get(bucket) ?? 0) + b);
        continue;
      }
      if (!tree.isDir(node)) continue;
      for (const c of tree.children(node)) stack.push({ node: c, path: `${path}/${tree.nameOf(c)}`, bucket });
    }
  }
  const list = [...parts]
    .filter(([, b]) => b > 0)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, top)
    .map(([node, b]) => ({ path: `/${tree.pathOf(node)}`, bytes: b, dir: tree.isDir(node) }));
  return { bytes, files, parts: list };
}
