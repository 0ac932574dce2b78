/**
 * The part of an analysis a diff needs, small enough to keep while the second image is read: totals,
 * layers, owner sizes, directory sizes to a depth, and (optionally) every regular file's path and
 * size packed into one string and two typed arrays (~70 bytes per file instead of a Map entry).
 */
import type { Analysis } from '../analysis/analyze.js';
import type { MergedTree } from '../tree/merged-tree.js';
import { ROOT } from '../tree/path-table.js';
import type { FileList, ImageSnapshot, SizeEntry } from './types.js';

export interface SnapshotOptions {
  /** Directory depth to record (default 3). */
  depth?: number;
  /** Record every regular file (default true; the baseline budget does not need them). */
  files?: boolean;
}

export const DEFAULT_DIFF_DEPTH = 3;

/** Separates packed paths: tar names are C strings, so no path contains NUL. */
const SEP = '\u0000';

export function snapshotOf(a: Analysis, opts: SnapshotOptions = {}): ImageSnapshot {
  const depth = opts.depth ?? DEFAULT_DIFF_DEPTH;
  const img = a.image;
  let owners: ImageSnapshot['owners'] = null;
  if (a.owners) {
    owners = new Map();
    for (const o of a.owners.owners) owners.set(o.id, { bytes: o.bytes, files: o.files, kind: o.kind });
  }
  return {
    image: { input: img.input, tags: [...img.tags], platform: img.platform, configDigest: img.configDigest },
    totals: {
      layers: a.totals.layers,
      layerBytes: a.totals.layerBytes,
      mergedBytes: a.totals.mergedBytes,
      blobBytes: a.totals.blobBytes,
      mergedFiles: a.totals.mergedFiles,
    },
    layers: a.layers.map((l) => ({ index: l.index, digest: l.digest ?? l.blobDigest, size: l.size, blobSize: l.blobSize, command: l.command })),
    owners,
    depth,
    dirs: directorySizes(a.tree, depth),
    files: opts.files === false ? null : packFiles(a.tree),
  };
}

/** Present directories from depth 1 to `depth`, with cumulative bytes and files. */
export function directorySizes(tree: MergedTree, depth: number): Map<string, SizeEntry> {
  const out = new Map<string, SizeEntry>();
  const stack: { node: number; path: string; d: number }[] = [{ node: ROOT, path: '', d: 0 }];
  while (stack.length > 0) {
    const { node, path, d } = stack.pop()!;
    if (d > 0) out.set(path, { bytes: tree.cumulativeBytes(node), files: tree.cumulativeFiles(node) });
    if (d >= depth) continue;
    for (const c of tree.children(node)) if (tree.isDir(c)) stack.push({ node: c, path: `${path}/${tree.nameOf(c)}`, d: d + 1 });
  }
  return out;
}

/**
 * Every regular file of the merged tree (hard-link names each), in `comparePaths` order: a
 * depth-first walk with each directory's children sorted by name.
 */
export function packFiles(tree: MergedTree): FileList {
  const parts: string[] = [];
  const sizes: number[] = [];
  const starts: number[] = [];
  let offset = 0;
  // Iterative depth-first walk (hostile images can nest deeper than the JS stack): each directory's
  // children are pushed in reverse name order so they pop in name order.
  const stack: { node: number; path: string }[] = [{ node: ROOT, path: '' }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (tree.isFile(node)) {
      parts.push(path);
      sizes.push(tree.sizeOf(node));
      starts.push(offset);
      offset += path.length + 1;
      continue;
    }
    if (!tree.isDir(node)) continue;
    const kids: { node: number; name: string }[] = [];
    for (const c of tree.children(node)) kids.push({ node: c, name: tree.nameOf(c) });
    kids.sort((x, y) => (x.name < y.name ? 1 : x.name > y.name ? -1 : 0));
    for (const k of kids) stack.push({ node: k.node, path: `${path}/${k.name}` });
  }
  starts.push(offset);
  return { text: parts.join(SEP), starts: Uint32Array.from(starts), sizes: Float64Array.from(sizes), count: parts.length };
}

export function filePath(list: FileList, i: number): string {
  return list.text.slice(list.starts[i]!, list.starts[i + 1]! - 1);
}

/** Orders paths as packFiles does: component by component ('/' sorts before every other character). */
export function comparePaths(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x === 47) x = -1;
    if (y === 47) y = -1;
    return x - y;
  }
  return a.length - b.length;
}
