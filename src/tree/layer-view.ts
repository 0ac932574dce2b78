/**
 * One layer's own entries seen as a tree (what `ls --layer N` and the UI's layer pane show):
 * entries of that layer, their implicit parent directories, and whiteouts as "deleted" markers.
 */
import { Kind, type LayerIndex } from './layer-index.js';
import { NO_NODE, ROOT, type PathTable } from './path-table.js';

export class LayerView {
  /** Entry index per node, -1 for an implicit parent, -2 when the layer does not touch the node. */
  private readonly entryOf: Int32Array;
  private readonly cum: Float64Array;
  private readonly files: Float64Array;

  constructor(readonly paths: PathTable, readonly layer: LayerIndex) {
    const n = paths.size;
    this.entryOf = new Int32Array(n).fill(-2);
    this.cum = new Float64Array(n);
    this.files = new Float64Array(n);
    this.entryOf[ROOT] = -1;
    const parent = paths.parent;
    for (let i = 0; i < layer.count; i++) {
      const node = layer.node[i]!;
      if (layer.kind[i] === Kind.Opaque) {
        if (this.entryOf[node] === -2) this.entryOf[node] = -1;
      } else {
        this.entryOf[node] = i;
      }
      for (let a = parent[node]!; a !== NO_NODE && this.entryOf[a] === -2; a = parent[a]!) this.entryOf[a] = -1;
      if (layer.kind[i] === Kind.File) {
        this.cum[node] = layer.size[i]!;
        this.files[node] = 1;
      }
    }
    for (let node = n - 1; node > 0; node--) {
      if (this.entryOf[node] === -2) continue;
      const p = parent[node]!;
      this.cum[p]! += this.cum[node]!;
      this.files[p]! += this.files[node]!;
    }
  }

  has(node: number): boolean {
    return this.entryOf[node]! !== -2;
  }

  /** Kind of the layer's entry at a node (implicit parents are directories), or -1. */
  kindOf(node: number): Kind | -1 {
    const e = this.entryOf[node]!;
    if (e === -2) return -1;
    if (e === -1) return Kind.Dir;
    return this.layer.kind[e] as Kind;
  }

  /** True when the layer's directory entry at this node makes it opaque. */
  isOpaque(node: number): boolean {
    for (let i = 0; i < this.layer.count; i++) if (this.layer.node[i] === node && this.layer.kind[i] === Kind.Opaque) return true;
    return false;
  }

  entry(node: number): number {
    return this.entryOf[node]!;
  }

  cumulativeBytes(node: number): number {
    return this.cum[node]!;
  }

  cumulativeFiles(node: number): number {
    return this.files[node]!;
  }

  *children(node: number): IterableIterator<number> {
    for (let c = this.paths.firstChild[node]!; c !== NO_NODE; c = this.paths.nextSibling[c]!) {
      if (this.entryOf[c] !== -2) yield c;
    }
  }
}
