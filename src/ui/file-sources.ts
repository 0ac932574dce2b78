/**
 * What the Files pane shows, as an outline source over the image's node ids:
 * - `merged`: the final filesystem, with the bytes later layers hid under each path;
 * - `asOf`: the filesystem right after layer N (layers 0..N merged);
 * - `changes`: what layer N itself did: each entry tagged added (A), modified (M), deleted by a
 *   whiteout (D) or made opaque (O), with the lower-layer bytes it hid.
 * Sources over earlier layers are built on demand (one merge of layers 0..N) and a few are cached.
 */
import type { Analysis } from '../analysis/analyze.js';
import { Kind } from '../tree/layer-index.js';
import { LayerView } from '../tree/layer-view.js';
import { mergeLayers } from '../tree/merge.js';
import type { MergedTree } from '../tree/merged-tree.js';
import { ROOT, type PathTable } from '../tree/path-table.js';
import type { OutlineSource } from './outline.js';
import type { FilterInput } from './tree-filter.js';

export type FileView = { kind: 'merged' } | { kind: 'changes'; layer: number } | { kind: 'asOf'; layer: number };

export type ChangeTag = '' | 'A' | 'M' | 'D' | 'O';

export interface FileSource extends OutlineSource {
  readonly view: FileView;
  /** One-line description: "merged tree", "layer 3 changes", "tree as of layer 3". */
  readonly title: string;
  readonly paths: PathTable;
  isPresent(node: number): boolean;
  isDir(node: number): boolean;
  /** merged/asOf: bytes stored under the path but hidden by a later layer; changes: lower-layer bytes this layer hid there. */
  hidden(node: number): number;
  tag(node: number): ChangeTag;
  symlinkTarget(node: number): string | null;
  filterInput(): FilterInput;
}

export function viewTitle(v: FileView): string {
  if (v.kind === 'merged') return 'merged tree';
  if (v.kind === 'changes') return `layer ${v.layer} changes`;
  return `tree as of layer ${v.layer}`;
}

export function sameView(a: FileView, b: FileView): boolean {
  return a.kind === b.kind && (a.kind === 'merged' || a.layer === (b as { layer: number }).layer);
}

abstract class PathSource {
  readonly root = ROOT;
  constructor(readonly paths: PathTable) {}
  name(node: number): string {
    return this.paths.nameOf(node);
  }
  depth(node: number): number {
    return this.paths.depth[node]!;
  }
  parent(node: number): number {
    return this.paths.parent[node]!;
  }
  abstract isPresent(node: number): boolean;
  abstract size(node: number): number;
  filterInput(): FilterInput {
    const p = this.paths;
    return { count: p.size, parent: p.parent, nameId: p.nameId, names: p.names, present: (n) => this.isPresent(n), size: (n) => this.size(n) };
  }
}

/** The merged tree (final, or as of some layer). */
export class MergedSource extends PathSource implements FileSource {
  readonly title: string;
  constructor(
    readonly tree: MergedTree,
    readonly view: FileView,
  ) {
    super(tree.paths);
    this.title = viewTitle(view);
  }
  children(node: number): Iterable<number> {
    return this.tree.children(node);
  }
  expandable(node: number): boolean {
    return this.tree.isDir(node);
  }
  isPresent(node: number): boolean {
    return this.tree.isPresent(node);
  }
  isDir(node: number): boolean {
    return this.tree.isDir(node);
  }
  size(node: number): number {
    return this.tree.cumulativeBytes(node);
  }
  hidden(node: number): number {
    return this.tree.cumulativeWasted(node);
  }
  tag(): ChangeTag {
    return '';
  }
  symlinkTarget(node: number): string | null {
    return this.tree.symlinkTarget(node);
  }
}

const TAGS: readonly ChangeTag[] = ['', 'A', 'M', 'D', 'O'];

/** One layer's entries (and their implicit parents) against the tree below it. */
export class ChangesSource extends PathSource implements FileSource {
  readonly title: string;
  private readonly layerView: LayerView;
  private readonly tags: Uint8Array;
  private readonly hid: Float64Array;

  constructor(
    paths: PathTable,
    readonly view: FileView & { kind: 'changes' },
    layerView: LayerView,
    /** The merged tree before this layer (null for layer 0). */
    before: MergedTree | null,
  ) {
    super(paths);
    this.title = viewTitle(view);
    this.layerView = layerView;
    const n = paths.size;
    const li = layerView.layer;
    this.tags = new Uint8Array(n);
    this.hid = new Float64Array(n);
    const had = (node: number) => before !== null && before.isPresent(node);
    // Opaque directories first: what they hide is counted once, at the directory, not again at
    // the entries this layer puts back inside them.
    for (let i = 0; i < li.count; i++) if (li.kind[i] === Kind.Opaque) this.tags[li.node[i]!] = 4;
    const underOpaque = (node: number): boolean => {
      for (let p = paths.parent[node]!; p > 0; p = paths.parent[p]!) if (this.tags[p] === 4) return true;
      return false;
    };
    for (let i = 0; i < li.count; i++) {
      const node = li.node[i]!;
      const k = li.kind[i]!;
      if (k === Kind.Opaque) {
        if (had(node) && !underOpaque(node)) this.hid[node]! += before!.cumulativeBytes(node);
      } else if (k === Kind.Whiteout) {
        this.tags[node] = 3;
        if (had(node) && !underOpaque(node)) this.hid[node]! += before!.cumulativeBytes(node);
      } else if (this.tags[node] !== 4) {
        if (!had(node)) this.tags[node] = 1;
        else if (k === Kind.Dir && before!.isDir(node)) this.tags[node] = 0;
        else {
          this.tags[node] = 2;
          if (!underOpaque(node)) this.hid[node]! += before!.cumulativeBytes(node);
        }
      }
    }
    const parent = paths.parent;
    for (let node = n - 1; node > 0; node--) if (this.hid[node] !== 0) this.hid[parent[node]!]! += this.hid[node]!;
  }

  children(node: number): Iterable<number> {
    return this.layerView.children(node);
  }
  expandable(node: number): boolean {
    return this.layerView.kindOf(node) === Kind.Dir;
  }
  isPresent(node: number): boolean {
    return this.layerView.has(node);
  }
  isDir(node: number): boolean {
    return this.layerView.kindOf(node) === Kind.Dir;
  }
  size(node: number): number {
    return this.layerView.cumulativeBytes(node);
  }
  hidden(node: number): number {
    return this.hid[node]!;
  }
  tag(node: number): ChangeTag {
    return TAGS[this.tags[node]!]!;
  }
  symlinkTarget(node: number): string | null {
    const e = this.layerView.entry(node);
    return e >= 0 ? this.layerView.layer.symlinkTarget(e) : null;
  }
}

/** Builds and caches the sources of one analysis (a merge of layers 0..N per earlier layer viewed). */
export class FileSources {
  private readonly merged: MergedSource;
  private readonly asOfTrees = new Map<number, MergedTree>();
  private readonly built = new Map<string, FileSource>();

  constructor(
    readonly analysis: Analysis,
    private readonly keep = 2,
  ) {
    this.merged = new MergedSource(analysis.tree, { kind: 'merged' });
  }

  get layerCount(): number {
    return this.analysis.image.layers.length;
  }

  /** Whether `get(view)` is ready without building anything. */
  has(view: FileView): boolean {
    if (view.kind === 'merged' || (view.kind === 'asOf' && view.layer >= this.layerCount - 1)) return true;
    return this.built.has(`${view.kind}:${view.layer}`);
  }

  get(view: FileView): FileSource {
    if (view.kind === 'merged') return this.merged;
    const key = `${view.kind}:${view.layer}`;
    const hit = this.built.get(key);
    if (hit) {
      this.touch(this.built, key, hit);
      return hit;
    }
    let src: FileSource;
    if (view.kind === 'asOf') {
      src = new MergedSource(this.treeAsOf(view.layer), view);
    } else {
      const paths = this.analysis.paths;
      const layerView = new LayerView(paths, this.analysis.image.layers[view.layer]!.tree);
      src = new ChangesSource(paths, view, layerView, view.layer === 0 ? null : this.treeAsOf(view.layer - 1));
    }
    this.built.set(key, src);
    this.evict(this.built);
    return src;
  }

  /** The merged tree right after layer `layer`. */
  treeAsOf(layer: number): MergedTree {
    if (layer >= this.layerCount - 1) return this.analysis.tree;
    const hit = this.asOfTrees.get(layer);
    if (hit) {
      this.touch(this.asOfTrees, layer, hit);
      return hit;
    }
    const layers = this.analysis.image.layers.slice(0, layer + 1).map((l) => l.tree);
    const tree = mergeLayers(this.analysis.paths, layers).tree;
    this.asOfTrees.set(layer, tree);
    this.evict(this.asOfTrees);
    return tree;
  }

  private touch<K, V>(m: Map<K, V>, k: K, v: V): void {
    m.delete(k);
    m.set(k, v);
  }

  private evict<K, V>(m: Map<K, V>): void {
    while (m.size > this.keep) m.delete(m.keys().next().value as K);
  }
}
