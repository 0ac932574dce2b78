/**
 * Applies layers in order, as a container runtime's overlay would, producing the merged tree plus
 * per-layer statistics, wasted bytes and dive's figures. Pure computation over typed arrays.
 *
 * Per layer, in two phases (the OCI spec says whiteouts only hide what lower layers hold):
 *  1. whiteouts (`.wh.<name>`) delete a path and everything under it; opaque markers
 *     (`.wh..wh..opq`) delete everything below the directory that lower layers hold;
 *  2. entries are applied in tar order: a non-directory replaces whatever was at its path (a
 *     directory with everything under it); a directory over a directory keeps the children; missing
 *     parents become implicit directories, and a non-directory in the way of a parent is replaced.
 *
 * Wasted bytes: each regular-file entry stores an inode (hard links in the same layer add names to
 * it). An inode is wasted when none of its names is visible in the merged tree; it is
 * "overwritten" when a later layer has an entry at the path of its last name (the path was
 * replaced, whatever removed the old file first), otherwise "deleted" (whiteout, opaque dir, or a
 * parent replaced, and nothing at that path since). So Σ layer sizes = merged bytes + wasted bytes.
 */
import type { Finding } from '../findings.js';
import { grow, trim } from '../util/growable.js';
import { Kind, type LayerIndex } from './layer-index.js';
import { MergedTree } from './merged-tree.js';
import { NO_NODE, ROOT, type PathTable } from './path-table.js';

export const Reason = { None: 0, Overwritten: 1, Deleted: 2 } as const;

export interface LayerChanges {
  /** Regular files at paths no lower layer had. */
  addedFiles: number;
  addedBytes: number;
  /** Regular files replacing a path a lower layer had. */
  modifiedFiles: number;
  modifiedBytes: number;
  /** Regular-file names of lower layers this layer hides, and the bytes that leaves unseen. */
  removedFiles: number;
  removedBytes: number;
}

export interface LayerWaste {
  overwrittenBytes: number;
  overwrittenFiles: number;
  deletedBytes: number;
  deletedFiles: number;
}

export interface LayerStats {
  changes: LayerChanges;
  /** This layer's bytes hidden by later layers. */
  waste: LayerWaste;
  /** Largest regular files this layer stores: node and size, largest first. */
  topFiles: { node: number; size: number }[];
}

export interface DiveFigures {
  efficiency: number;
  wastedBytes: number;
  userSizeBytes: number;
  /** null when the user size is 0 (dive would divide by zero). */
  wastedUserPercent: number | null;
}

export interface MergeResult {
  tree: MergedTree;
  layerStats: LayerStats[];
  dive: DiveFigures;
  findings: Finding[];
}

const TOP_FILES = 10;

export function mergeLayers(paths: PathTable, layers: LayerIndex[]): MergeResult {
  return new Merger(paths, layers).run();
}

class Merger {
  private readonly n: number;
  readonly state: Uint8Array; // 0 = absent, else Kind + 1 (File for hard links too)
  readonly layer: Int32Array;
  readonly entry: Int32Array; // -1 = implicit directory
  readonly inode: Int32Array;
  /** Bytes that became wasted at a node (only nodes where some did: most have none). */
  readonly wastedAt = new Map<number, number>();
  inodeSize = new Float64Array(1024);
  inodeLayer = new Int32Array(1024);
  inodeRefs = new Int32Array(1024);
  /** Entry (in inodeLayer) that stored each inode's data. */
  inodeEntry = new Int32Array(1024);
  inodeLayerNames = new Int32Array(1024);
  /** Node of the name an inode lost last (where it died). */
  inodeDeath = new Int32Array(1024);
  inodeCount = 0;
  /** Last layer with an entry (not a whiteout) at each node. */
  /** Last layer + 1 with an entry (not a whiteout) at each node; 0 = none. */
  private readonly lastEntryLayer: Uint16Array | Int32Array;

  private readonly stats: LayerStats[];
  private readonly findings: Finding[] = [];
  private stack = new Int32Array(1024);

  // dive
  // dive's sums are kept running: per node only how often it was seen and its smallest size.
  private readonly diveCount: Uint8Array;
  private readonly diveMin: Float64Array;
  private diveMinSum = 0;
  private diveAllSum = 0;
  private diveWasted = 0;
  /** Per node: layer + 1 that last marked it (0 = none); Uint16 unless an image has 65,535+ layers. */
  private readonly childMark: Uint16Array | Int32Array;
  private readonly seenMark: Uint16Array | Int32Array;

  constructor(private readonly paths: PathTable, private readonly layers: LayerIndex[]) {
    this.n = paths.size;
    this.state = new Uint8Array(this.n);
    this.layer = new Int32Array(this.n).fill(-1);
    this.entry = new Int32Array(this.n).fill(-1);
    this.inode = new Int32Array(this.n).fill(-1);
    const Stamp = layers.length < 0xffff ? Uint16Array : Int32Array;
    this.lastEntryLayer = new Stamp(this.n);
    this.diveCount = new Uint8Array(this.n);
    this.diveMin = new Float64Array(this.n);
    this.childMark = new Stamp(this.n);
    this.seenMark = new Stamp(this.n);
    this.state[ROOT] = Kind.Dir + 1;
    this.stats = layers.map(() => ({
      changes: { addedFiles: 0, addedBytes: 0, modifiedFiles: 0, modifiedBytes: 0, removedFiles: 0, removedBytes: 0 },
      waste: { overwrittenBytes: 0, overwrittenFiles: 0, deletedBytes: 0, deletedFiles: 0 },
      topFiles: [],
    }));
  }

  run(): MergeResult {
    for (let L = 0; L < this.layers.length; L++) this.applyLayer(L);
    for (let i = 0; i < this.inodeCount; i++) {
      if (this.inodeRefs[i]! > 0) continue;
      const w = this.stats[this.inodeLayer[i]!]!.waste;
      if (this.lastEntryLayer[this.inodeDeath[i]!]! > this.inodeLayer[i]! + 1) {
        w.overwrittenBytes += this.inodeSize[i]!;
        w.overwrittenFiles += this.inodeLayerNames[i]!;
      } else {
        w.deletedBytes += this.inodeSize[i]!;
        w.deletedFiles += this.inodeLayerNames[i]!;
      }
    }
    const tree = new MergedTree(this.paths, this.layers, {
      state: this.state,
      layer: this.layer,
      entry: this.entry,
      inode: this.inode,
      inodeSize: trim(this.inodeSize, this.inodeCount),
      inodeLayer: trim(this.inodeLayer, this.inodeCount),
      inodeRefs: trim(this.inodeRefs, this.inodeCount),
      inodeEntry: trim(this.inodeEntry, this.inodeCount),
      wastedAt: this.wastedAt,
    });
    return { tree, layerStats: this.stats, dive: this.diveFigures(), findings: this.findings };
  }

  private applyLayer(L: number): void {
    const li = this.layers[L]!;
    const count = li.count;
    const kinds = li.kind;
    const nodes = li.node;
    const whiteoutDive = new Map<number, number>();

    // dive: mark every ancestor that has something under it in this layer's own tree.
    const parent = this.paths.parent;
    for (let i = 0; i < count; i++) {
      if (kinds[i] === Kind.Opaque) continue;
      for (let a = parent[nodes[i]!]!; a !== NO_NODE && this.childMark[a] !== L + 1; a = parent[a]!) this.childMark[a] = L + 1;
    }

    // Phase 1: whiteouts and opaque markers act on lower layers only.
    for (let i = 0; i < count; i++) {
      const k = kinds[i];
      if (k === Kind.Whiteout) {
        const node = nodes[i]!;
        whiteoutDive.set(i, this.diveWhiteoutSize(node));
        if (this.state[node] !== 0) this.removeSubtree(node, L, Reason.Deleted);
      } else if (k === Kind.Opaque) {
        const dir = nodes[i]!;
        if (this.state[dir] === Kind.Dir + 1) {
          for (let c = this.paths.firstChild[dir]!; c !== NO_NODE; c = this.paths.nextSibling[c]!) {
            if (this.state[c] !== 0) this.removeSubtree(c, L, Reason.Deleted);
          }
        }
      }
    }

    // Phase 2: entries in tar order.
    const ch = this.stats[L]!.changes;
    const top = this.stats[L]!.topFiles;
    for (let i = 0; i < count; i++) {
      const k = kinds[i]!;
      if (k === Kind.Whiteout || k === Kind.Opaque) continue;
      const node = nodes[i]!;
      if (node === ROOT) continue;
      this.ensureParents(node, L);
      this.lastEntryLayer[node] = L + 1;
      const prev = this.state[node]!;
      const existed = prev !== 0;
      if (existed) {
        if (prev === Kind.Dir + 1) {
          if (k !== Kind.Dir) this.removeChildren(node, L);
        } else {
          const ino = this.inode[node]!;
          if (ino >= 0) this.unref(ino, node, L, Reason.Overwritten);
          this.inode[node] = -1;
        }
      }
      this.layer[node] = L;
      this.entry[node] = i;
      if (k === Kind.File) {
        const size = li.size[i]!;
        this.state[node] = Kind.File + 1;
        this.inode[node] = this.newInode(size, L, i);
        if (existed) {
          ch.modifiedFiles++;
          ch.modifiedBytes += size;
        } else {
          ch.addedFiles++;
          ch.addedBytes += size;
        }
        if (size > 0) insertTop(top, node, size);
      } else if (k === Kind.Hardlink) {
        const target = li.link[i]!;
        const ino = target >= 0 && this.state[target] === Kind.File + 1 ? this.inode[target]! : -1;
        if (ino >= 0 && target !== node) {
          this.state[node] = Kind.File + 1;
          this.inode[node] = ino;
          this.inodeRefs[ino]!++;
          if (this.inodeLayer[ino] === L) this.inodeLayerNames[ino]!++;
        } else {
          // A dangling hard link extracts to nothing in real runtimes; keep the name visible as an
          // empty entry so the user can find it, and say so.
          this.state[node] = Kind.Hardlink + 1;
          this.inode[node] = -1;
          this.findings.push({
            severity: 'warning',
            code: 'hardlink-target-missing',
            message: `hard link "/${this.paths.pathOf(node)}" points to "/${target >= 0 ? this.paths.pathOf(target) : ''}", which is not a regular file at that point`,
            layer: L,
            path: this.paths.pathOf(node),
          });
        }
      } else {
        this.state[node] = k + 1;
        this.inode[node] = -1;
      }
    }

    // dive: one record per path of this layer's tree, leaves only, the last entry for a path wins.
    for (let i = count - 1; i >= 0; i--) {
      const k = kinds[i]!;
      if (k === Kind.Opaque) continue;
      const node = nodes[i]!;
      if (this.seenMark[node] === L + 1) continue;
      this.seenMark[node] = L + 1;
      if (this.childMark[node] === L + 1) continue; // not a leaf
      let size = 0;
      if (k === Kind.Whiteout) size = whiteoutDive.get(i) ?? 0;
      else if (k === Kind.File) size = li.size[i]!;
      this.diveRecord(node, size);
    }
  }

  private newInode(size: number, L: number, entry: number): number {
    const i = this.inodeCount++;
    if (i >= this.inodeSize.length) {
      this.inodeSize = grow(this.inodeSize, i + 1, Float64Array);
      this.inodeLayer = grow(this.inodeLayer, i + 1, Int32Array);
      this.inodeRefs = grow(this.inodeRefs, i + 1, Int32Array);
      this.inodeEntry = grow(this.inodeEntry, i + 1, Int32Array);
      this.inodeLayerNames = grow(this.inodeLayerNames, i + 1, Int32Array);
      this.inodeDeath = grow(this.inodeDeath, i + 1, Int32Array);
    }
    this.inodeSize[i] = size;
    this.inodeLayer[i] = L;
    this.inodeRefs[i] = 1;
    this.inodeEntry[i] = entry;
    this.inodeLayerNames[i] = 1;
    return i;
  }

  /** Drops one visible name of an inode; when it was the last, its bytes become wasted. */
  private unref(ino: number, node: number, byLayer: number, reason: number): void {
    const ch = this.stats[byLayer]!.changes;
    const removed = reason !== Reason.Overwritten;
    if (removed) ch.removedFiles++;
    if (--this.inodeRefs[ino]! === 0) {
      this.inodeDeath[ino] = node;
      if (removed) ch.removedBytes += this.inodeSize[ino]!;
      this.wastedAt.set(node, (this.wastedAt.get(node) ?? 0) + this.inodeSize[ino]!);
    }
  }

  /** Makes every missing or non-directory ancestor of `node` a directory. */
  private ensureParents(node: number, L: number): void {
    const parent = this.paths.parent;
    let a = parent[node]!;
    if (this.state[a] === Kind.Dir + 1) return;
    // Collect the chain up to the first existing directory, then fix it top-down.
    let depth = 0;
    for (; a !== NO_NODE && this.state[a] !== Kind.Dir + 1; a = parent[a]!) {
      if (depth >= this.stack.length) this.stack = grow(this.stack, depth + 1, Int32Array);
      this.stack[depth++] = a;
    }
    const chain = this.stack.slice(0, depth);
    for (let d = depth - 1; d >= 0; d--) {
      const anc = chain[d]!;
      if (this.state[anc] !== 0) {
        // A file, symlink or device where a directory is needed: the new path replaces it.
        const ino = this.inode[anc]!;
        if (ino >= 0) this.unref(ino, anc, L, Reason.Deleted);
        this.inode[anc] = -1;
      }
      this.state[anc] = Kind.Dir + 1;
      this.layer[anc] = L;
      this.entry[anc] = -1;
    }
  }

  private removeChildren(dir: number, L: number): void {
    for (let c = this.paths.firstChild[dir]!; c !== NO_NODE; c = this.paths.nextSibling[c]!) {
      if (this.state[c] !== 0) this.removeSubtree(c, L, Reason.Deleted);
    }
  }

  /** Removes a present node and everything present under it (iteratively: trees can be deep). */
  private removeSubtree(root: number, L: number, reason: number): void {
    const fc = this.paths.firstChild;
    const ns = this.paths.nextSibling;
    let sp = 0;
    this.stack[sp++] = root;
    while (sp > 0) {
      const node = this.stack[--sp]!;
      const s = this.state[node]!;
      if (s === 0) continue;
      const ino = this.inode[node]!;
      if (ino >= 0) this.unref(ino, node, L, node === root ? reason : Reason.Deleted);
      this.state[node] = 0;
      this.inode[node] = -1;
      this.layer[node] = -1;
      this.entry[node] = -1;
      if (s === Kind.Dir + 1) {
        for (let c = fc[node]!; c !== NO_NODE; c = ns[c]!) {
          if (this.state[c] === 0) continue;
          if (sp >= this.stack.length) this.stack = grow(this.stack, sp + 1, Int32Array);
          this.stack[sp++] = c;
        }
      }
    }
  }

  /**
   * dive's size for a whiteout: 0 for a file; for a directory, the tar header sizes of everything
   * under it in the layers below. dive only sees a directory when some layer had an explicit entry
   * for it, so an implicit directory counts 0, as in dive.
   */
  private diveWhiteoutSize(node: number): number {
    if (this.state[node] !== Kind.Dir + 1 || this.entry[node] === -1) return 0;
    let total = 0;
    const fc = this.paths.firstChild;
    const ns = this.paths.nextSibling;
    let sp = 0;
    this.stack[sp++] = node;
    while (sp > 0) {
      const n = this.stack[--sp]!;
      const s = this.state[n]!;
      if (s === 0) continue;
      const e = this.entry[n]!;
      if (e >= 0) {
        const li = this.layers[this.layer[n]!]!;
        if (li.kind[e] === Kind.File) total += li.size[e]!;
      }
      if (s === Kind.Dir + 1) {
        for (let c = fc[n]!; c !== NO_NODE; c = ns[c]!) {
          if (this.state[c] === 0) continue;
          if (sp >= this.stack.length) this.stack = grow(this.stack, sp + 1, Int32Array);
          this.stack[sp++] = c;
        }
      }
    }
    return total;
  }

  private diveRecord(node: number, size: number): void {
    const c = this.diveCount[node]!;
    this.diveAllSum += size;
    if (c === 0) {
      this.diveMin[node] = size;
      this.diveMinSum += size;
      this.diveCount[node] = 1;
      return;
    }
    const min = this.diveMin[node]!;
    // dive's wasted bytes: every copy of a path seen in two or more layers, the first too.
    this.diveWasted += c === 1 ? min + size : size;
    if (size < min) {
      this.diveMinSum -= min - size;
      this.diveMin[node] = size;
    }
    this.diveCount[node] = 2;
  }

  private diveFigures(): DiveFigures {
    const min = this.diveMinSum;
    const sum = this.diveAllSum;
    const wasted = this.diveWasted;
    let user = 0;
    for (let L = 1; L < this.layers.length; L++) user += this.layers[L]!.headerBytes;
    return {
      efficiency: sum === 0 ? 1 : min / sum,
      wastedBytes: wasted,
      userSizeBytes: user,
      wastedUserPercent: user === 0 ? null : wasted / user,
    };
  }
}

function insertTop(top: { node: number; size: number }[], node: number, size: number): void {
  if (top.length === TOP_FILES && size <= top[TOP_FILES - 1]!.size) return;
  let i = top.length;
  while (i > 0 && top[i - 1]!.size < size) i--;
  top.splice(i, 0, { node, size });
  if (top.length > TOP_FILES) top.pop();
}
