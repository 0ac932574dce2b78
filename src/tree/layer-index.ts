/**
 * The entries of one layer, in tar order, as typed-array columns over interned path nodes.
 * Built while the layer streams by; read by the merge and by per-layer views.
 */
import { grow, trim } from '../util/growable.js';

/** Entry kinds. Whiteouts and opaque markers point at the path they affect, not at the marker. */
export const Kind = {
  File: 0,
  Dir: 1,
  Symlink: 2,
  Hardlink: 3,
  Char: 4,
  Block: 5,
  Fifo: 6,
  /** `.wh.<name>`: node = the deleted path. */
  Whiteout: 7,
  /** `.wh..wh..opq`: node = the directory made opaque. */
  Opaque: 8,
  Other: 9,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

export const KIND_NAMES = ['file', 'dir', 'symlink', 'hardlink', 'char', 'block', 'fifo', 'whiteout', 'opaque', 'other'] as const;
export type KindName = (typeof KIND_NAMES)[number];

export interface LayerCounts {
  files: number;
  dirs: number;
  symlinks: number;
  hardlinks: number;
  devices: number;
  fifos: number;
  whiteouts: number;
  opaques: number;
  other: number;
}

export class LayerIndex {
  count = 0;
  node = new Int32Array(256);
  kind = new Uint8Array(256);
  /** Stored data bytes (regular files); hardlinks and everything else 0. */
  size = new Float64Array(256);
  /** Permission and special bits (mode & 0o7777). */
  mode = new Uint16Array(256);
  /** Symlink: index into `linkTargets`; hardlink: node of the target path; else -1. */
  link = new Int32Array(256);
  readonly linkTargets: string[] = [];
  /**
   * Ownership per entry, as an index into the layer's distinct (uid, gid) pairs: images use a
   * handful, so 2 bytes an entry instead of 8. mtime is not kept.
   */
  private idPair = new Uint16Array(256);
  private readonly pairs: number[] = [];
  private readonly pairIndex = new Map<number, number>();

  /** Σ sizes of regular files (the layer's `size`). */
  regularBytes = 0;
  /** Σ tar header sizes of all entries (dive's layer size). */
  headerBytes = 0;
  readonly counts: LayerCounts = { files: 0, dirs: 0, symlinks: 0, hardlinks: 0, devices: 0, fifos: 0, whiteouts: 0, opaques: 0, other: 0 };

  add(node: number, kind: Kind, size: number, mode: number, link: number, uid: number, gid: number): number {
    const i = this.count++;
    if (i >= this.node.length) this.growTo(i + 1);
    this.node[i] = node;
    this.kind[i] = kind;
    this.size[i] = size;
    this.mode[i] = mode & 0o7777;
    this.link[i] = link;
    this.idPair[i] = this.pairOf(uid, gid);
    const c = this.counts;
    switch (kind) {
      case Kind.File:
        c.files++;
        this.regularBytes += size;
        break;
      case Kind.Dir:
        c.dirs++;
        break;
      case Kind.Symlink:
        c.symlinks++;
        break;
      case Kind.Hardlink:
        c.hardlinks++;
        break;
      case Kind.Char:
      case Kind.Block:
        c.devices++;
        break;
      case Kind.Fifo:
        c.fifos++;
        break;
      case Kind.Whiteout:
        c.whiteouts++;
        break;
      case Kind.Opaque:
        c.opaques++;
        break;
      default:
        c.other++;
    }
    return i;
  }

  private pairOf(uid: number, gid: number): number {
    const key = uid * 4294967296 + gid;
    let p = this.pairIndex.get(key);
    if (p === undefined) {
      // A hostile layer could use more than 65,535 pairs: the last slot then stands for "other".
      if (this.pairs.length >= 0xffff) return 0xffff;
      p = this.pairs.length;
      this.pairs.push(key);
      this.pairIndex.set(key, p);
    }
    return p;
  }

  uidOf(entry: number): number {
    const p = this.idPair[entry]!;
    return p === 0xffff ? 0 : Math.floor(this.pairs[p]! / 4294967296);
  }

  gidOf(entry: number): number {
    const p = this.idPair[entry]!;
    return p === 0xffff ? 0 : this.pairs[p]! % 4294967296;
  }

  addSymlinkTarget(target: string): number {
    this.linkTargets.push(target);
    return this.linkTargets.length - 1;
  }

  symlinkTarget(entry: number): string | null {
    return this.kind[entry] === Kind.Symlink ? this.linkTargets[this.link[entry]!] ?? null : null;
  }

  private growTo(min: number): void {
    this.node = grow(this.node, min, Int32Array);
    this.kind = grow(this.kind, min, Uint8Array);
    this.size = grow(this.size, min, Float64Array);
    this.mode = grow(this.mode, min, Uint16Array);
    this.link = grow(this.link, min, Int32Array);
    this.idPair = grow(this.idPair, min, Uint16Array);
  }

  compact(): void {
    this.node = trim(this.node, this.count);
    this.kind = trim(this.kind, this.count);
    this.size = trim(this.size, this.count);
    this.mode = trim(this.mode, this.count);
    this.link = trim(this.link, this.count);
    this.idPair = trim(this.idPair, this.count);
  }
}
