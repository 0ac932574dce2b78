/**
 * The filesystem a container sees after all layers are applied, as read-only columns over the
 * PathTable, with cumulative directory sizes (each hard-linked inode counted once, at its first
 * visible name in node order).
 */
import { Kind, type LayerIndex } from './layer-index.js';
import { resolveLinkTarget } from './normalize.js';
import { NO_NODE, ROOT, type PathTable } from './path-table.js';

export interface MergedColumns {
  /** 0 = absent, else Kind + 1 (hard links that resolved are File). */
  state: Uint8Array;
  layer: Int32Array;
  /** Entry index in its layer; -1 for implicit directories. */
  entry: Int32Array;
  inode: Int32Array;
  inodeSize: Float64Array;
  inodeLayer: Int32Array;
  inodeRefs: Int32Array;
  /** Entry index (in inodeLayer's LayerIndex) whose data each inode holds. */
  inodeEntry: Int32Array;
  /** Bytes that became wasted when a path's name was hidden (overwritten or deleted), by node. */
  wastedAt: ReadonlyMap<number, number>;
}

export class MergedTree {
  private cumBytes: Float64Array | null = null;
  private cumFiles: Uint32Array | null = null;
  private cumWasted: Float64Array | null = null;
  /** 1 where a file node is the name that counts its inode (the first visible one). */
  private owns: Uint8Array | null = null;

  constructor(
    readonly paths: PathTable,
    readonly layers: readonly LayerIndex[],
    readonly cols: MergedColumns,
  ) {}

  get nodeCount(): number {
    return this.paths.size;
  }

  isPresent(node: number): boolean {
    return node >= 0 && node < this.cols.state.length && this.cols.state[node] !== 0;
  }

  /** Kind of a present node, or -1. */
  kindOf(node: number): Kind | -1 {
    const s = this.cols.state[node]!;
    return s === 0 ? -1 : ((s - 1) as Kind);
  }

  isDir(node: number): boolean {
    return this.cols.state[node] === Kind.Dir + 1;
  }

  isFile(node: number): boolean {
    return this.cols.state[node] === Kind.File + 1;
  }

  /** Size of a regular file (its inode), 0 for anything else. */
  sizeOf(node: number): number {
    const ino = this.cols.inode[node]!;
    return ino >= 0 ? this.cols.inodeSize[ino]! : 0;
  }

  inodeOf(node: number): number {
    return this.cols.inode[node]!;
  }

  /** Layer that provided the visible entry of a node (-1 when absent). */
  layerOf(node: number): number {
    return this.cols.layer[node]!;
  }

  /** True when the node came from a hard-link entry. */
  isHardlink(node: number): boolean {
    const e = this.cols.entry[node]!;
    return e >= 0 && this.layers[this.cols.layer[node]!]!.kind[e] === Kind.Hardlink;
  }

  /** Inodes shared by several visible names. */
  linkCount(node: number): number {
    const ino = this.cols.inode[node]!;
    return ino >= 0 ? this.cols.inodeRefs[ino]! : 1;
  }

  /**
   * The layer and entry holding a node's metadata: for a hard-link name, the entry that stored its
   * inode (a link's own header is ignored by extractors); -1 entry for implicit directories.
   */
  private metaEntry(node: number): { layer: number; entry: number } {
    const ino = this.cols.inode[node]!;
    if (ino >= 0) return { layer: this.cols.inodeLayer[ino]!, entry: this.cols.inodeEntry[ino]! };
    return { layer: this.cols.layer[node]!, entry: this.cols.entry[node]! };
  }

  modeOf(node: number): number {
    const m = this.metaEntry(node);
    return m.entry >= 0 ? this.layers[m.layer]!.mode[m.entry]! : 0o755;
  }

  uidOf(node: number): number {
    const m = this.metaEntry(node);
    return m.entry >= 0 ? this.layers[m.layer]!.uidOf(m.entry) : 0;
  }

  gidOf(node: number): number {
    const m = this.metaEntry(node);
    return m.entry >= 0 ? this.layers[m.layer]!.gidOf(m.entry) : 0;
  }

  symlinkTarget(node: number): string | null {
    const e = this.cols.entry[node]!;
    if (e < 0 || this.cols.state[node] !== Kind.Symlink + 1) return null;
    return this.layers[this.cols.layer[node]!]!.symlinkTarget(e);
  }

  pathOf(node: number): string {
    return this.paths.pathOf(node);
  }

  nameOf(node: number): string {
    return this.paths.nameOf(node);
  }

  /** Present children of a node. */
  *children(node: number): IterableIterator<number> {
    const st = this.cols.state;
    for (let c = this.paths.firstChild[node]!; c !== NO_NODE; c = this.paths.nextSibling[c]!) {
      if (st[c] !== 0) yield c;
    }
  }

  /** Node of a path in the merged tree without following symlinks, or -1. */
  lookup(path: string): number {
    const node = this.paths.lookup(stripSlashes(path));
    return node >= 0 && this.cols.state[node] !== 0 ? node : NO_NODE;
  }

  /**
   * Resolves a path as the kernel would inside the image root: symlinked directories on the way are
   * followed (Debian's merged /usr: "bin/bash" → "usr/bin/bash"); the last component is followed
   * only when `followLast`. Returns -1 when it does not resolve; loops are cut after 40 links.
   */
  resolve(path: string, followLast = false): number {
    let pending = stripSlashes(path).split('/').filter((p) => p !== '' && p !== '.');
    let node = ROOT;
    let hops = 0;
    for (let i = 0; i < pending.length; i++) {
      const part = pending[i]!;
      if (part === '..') {
        node = node === ROOT ? ROOT : this.paths.parent[node]!;
        continue;
      }
      const child = this.paths.child(node, part);
      if (child < 0 || this.cols.state[child] === 0) return NO_NODE;
      const isLast = i === pending.length - 1;
      if (this.cols.state[child] === Kind.Symlink + 1 && (!isLast || followLast)) {
        if (++hops > 40) return NO_NODE;
        const target = this.symlinkTarget(child) ?? '';
        const base = resolveLinkTarget(this.paths.pathOf(node), target);
        pending = [...(base === '' ? [] : base.split('/')), ...pending.slice(i + 1)];
        node = ROOT;
        i = -1;
        continue;
      }
      node = child;
    }
    return node;
  }

  private ensureCumulative(): void {
    if (this.cumBytes) return;
    const n = this.paths.size;
    const { state, inode, inodeSize } = this.cols;
    const parent = this.paths.parent;
    const owns = new Uint8Array(n);
    const bytes = new Float64Array(n);
    const files = new Uint32Array(n);
    const claimed = new Uint8Array(this.cols.inodeSize.length);
    for (let node = 0; node < n; node++) {
      if (state[node] !== Kind.File + 1) continue;
      files[node] = 1;
      const ino = inode[node]!;
      if (ino >= 0 && !claimed[ino]) {
        claimed[ino] = 1;
        owns[node] = 1;
        bytes[node] = inodeSize[ino]!;
      }
    }
    for (let node = n - 1; node > 0; node--) {
      if (state[node] === 0) continue;
      const p = parent[node]!;
      bytes[p]! += bytes[node]!;
      files[p]! += files[node]!;
    }
    this.owns = owns;
    this.cumBytes = bytes;
    this.cumFiles = files;
  }

  /** Wasted bytes per subtree: computed on first use (ls and the UI want it, analyze does not). */
  private ensureCumulativeWasted(): Float64Array {
    if (this.cumWasted) return this.cumWasted;
    const n = this.paths.size;
    const parent = this.paths.parent;
    const wasted = new Float64Array(n);
    for (const [node, bytes] of this.cols.wastedAt) wasted[node] = bytes;
    for (let node = n - 1; node > 0; node--) {
      const w = wasted[node]!;
      if (w !== 0) wasted[parent[node]!]! += w;
    }
    this.cumWasted = wasted;
    return wasted;
  }

  /** Regular-file bytes at and under a node, each inode once. */
  cumulativeBytes(node: number): number {
    this.ensureCumulative();
    return this.cumBytes![node]!;
  }

  /** Regular-file paths at and under a node (hard-link names each count). */
  cumulativeFiles(node: number): number {
    this.ensureCumulative();
    return this.cumFiles![node]!;
  }

  /** Bytes stored in some layer under this path but hidden by a later layer. */
  cumulativeWasted(node: number): number {
    return this.ensureCumulativeWasted()[node]!;
  }

  /** Bytes this node counts itself (0 for a second hard-link name). */
  ownBytesOf(node: number): number {
    this.ensureCumulative();
    return this.owns![node] ? this.cols.inodeSize[this.cols.inode[node]!]! : 0;
  }

  /** Largest regular files (by inode size; each inode once), largest first. */
  largestFiles(limit: number): { node: number; size: number }[] {
    this.ensureCumulative();
    const owns = this.owns!;
    const { inode, inodeSize } = this.cols;
    return topN(this.paths.size, limit, (node) => (this.cols.state[node] === Kind.File + 1 ? (owns[node] ? inodeSize[inode[node]!]! : 0) : -1));
  }

  /**
   * Largest directories by cumulative bytes, from depth 1 to `maxDepth`. A directory that only wraps
   * one subdirectory holding all its bytes (/opt around /opt/data) is left out for the deeper one.
   */
  largestDirectories(limit: number, maxDepth = 3): { node: number; size: number }[] {
    this.ensureCumulative();
    const cum = this.cumBytes!;
    const depth = this.paths.depth;
    const wrapper = (node: number): boolean => {
      let only = -1;
      for (const c of this.children(node)) {
        if (only !== -1) return false;
        only = c;
      }
      return only !== -1 && this.isDir(only) && depth[only]! <= maxDepth && cum[only] === cum[node];
    };
    return topN(this.paths.size, limit, (node) =>
      this.cols.state[node] === Kind.Dir + 1 && node !== ROOT && depth[node]! <= maxDepth && !wrapper(node) ? cum[node]! : -1,
    );
  }

  /** Counts of present nodes by kind (hard-link names count as files). */
  countByKind(): Record<'files' | 'dirs' | 'symlinks' | 'devices' | 'fifos' | 'other' | 'danglingHardlinks', number> {
    const out = { files: 0, dirs: 0, symlinks: 0, devices: 0, fifos: 0, other: 0, danglingHardlinks: 0 };
    const st = this.cols.state;
    for (let node = 1; node < this.paths.size; node++) {
      switch (st[node]! - 1) {
        case -1:
          break;
        case Kind.File:
          out.files++;
          break;
        case Kind.Dir:
          out.dirs++;
          break;
        case Kind.Symlink:
          out.symlinks++;
          break;
        case Kind.Char:
        case Kind.Block:
          out.devices++;
          break;
        case Kind.Fifo:
          out.fifos++;
          break;
        case Kind.Hardlink:
          out.danglingHardlinks++;
          break;
        default:
          out.other++;
      }
    }
    return out;
  }
}

function stripSlashes(path: string): string {
  let s = path;
  while (s.startsWith('/')) s = s.slice(1);
  while (s.endsWith('/')) s = s.slice(0, -1);
  return s;
}

/** Top `limit` node ids by score (score < 0 = skip), largest first, ties by node id. */
function topN(n: number, limit: number, score: (node: number) => number): { node: number; size: number }[] {
  const out: { node: number; size: number }[] = [];
  for (let node = 0; node < n; node++) {
    const s = score(node);
    if (s < 0) continue;
    if (out.length === limit && s <= out[limit - 1]!.size) continue;
    let i = out.length;
    while (i > 0 && out[i - 1]!.size < s) i--;
    out.splice(i, 0, { node, size: s });
    if (out.length > limit) out.pop();
  }
  return out;
}
