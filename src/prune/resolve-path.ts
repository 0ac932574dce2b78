/**
 * Path resolution over the merged tree as a kernel would do it inside the image, but with a say in
 * which nodes exist: `alive(node)` is "present" for the image as it is and "present and written"
 * for the slimmed image, so one resolver answers both sides of a safety check. Symlinked
 * directories on the way are followed (40 hops at most); directory resolutions are memoized, since
 * the ELF check asks for thousands of files in the same few library directories.
 */
import { Kind } from '../tree/layer-index.js';
import type { MergedTree } from '../tree/merged-tree.js';
import { resolveLinkTarget } from '../tree/normalize.js';
import { NO_NODE, ROOT } from '../tree/path-table.js';

const MAX_HOPS = 40;

export class PathResolver {
  private readonly dirs = new Map<string, number>();

  constructor(
    private readonly tree: MergedTree,
    private readonly alive: (node: number) => boolean,
  ) {}

  /** Node an absolute or relative in-image path resolves to, or -1. */
  resolve(path: string, followLast: boolean): number {
    return this.walk(trimSlashes(path), followLast, 0);
  }

  exists(absPath: string): boolean {
    return this.resolve(absPath, true) !== NO_NODE;
  }

  private walk(rel: string, followLast: boolean, hops: number): number {
    if (rel === '') return ROOT;
    const slash = rel.lastIndexOf('/');
    const dir = slash < 0 ? ROOT : this.dir(rel.slice(0, slash), hops);
    if (dir === NO_NODE) return NO_NODE;
    const name = slash < 0 ? rel : rel.slice(slash + 1);
    if (name === '.' || name === '') return dir;
    if (name === '..') return dir === ROOT ? ROOT : this.tree.paths.parent[dir]!;
    const child = this.tree.paths.child(dir, name);
    if (child === NO_NODE || !this.tree.isPresent(child) || !this.alive(child)) return NO_NODE;
    if (followLast && this.tree.kindOf(child) === Kind.Symlink) {
      if (hops >= MAX_HOPS) return NO_NODE;
      const target = resolveLinkTarget(this.tree.paths.pathOf(dir), this.tree.symlinkTarget(child) ?? '');
      return this.walk(target, true, hops + 1);
    }
    return child;
  }

  /** A directory path (symlinks followed), memoized; -1 when it does not resolve to a directory. */
  private dir(rel: string, hops: number): number {
    const hit = this.dirs.get(rel);
    if (hit !== undefined) return hit;
    const node = this.walk(rel, true, hops);
    const out = node !== NO_NODE && this.tree.isDir(node) ? node : NO_NODE;
    // a result that hit the hop limit depends on the caller's hops; only cache full-budget answers
    if (hops === 0) this.dirs.set(rel, out);
    return out;
  }
}

function trimSlashes(p: string): string {
  let s = 0;
  let e = p.length;
  while (s < e && p.charCodeAt(s) === 47) s++;
  while (e > s && p.charCodeAt(e - 1) === 47) e--;
  return p.slice(s, e);
}
