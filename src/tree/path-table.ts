/**
 * Interned paths: every distinct path of every layer is one node id in a trie. A node stores its
 * parent and an interned name id in typed arrays; children are found through an open-addressing
 * hash keyed by (parent, name). No per-path JS object or full path string is kept.
 *
 * Invariant used throughout whittle: a parent's id is smaller than its children's ids, so a reverse
 * scan over ids visits children before parents (cumulative sizes in one pass).
 */
import { grow, trim } from '../util/growable.js';
import { NameTable } from './name-table.js';

export const ROOT = 0;
const EMPTY = -1;

export class PathTable {
  parent = new Int32Array(1024);
  nameId = new Int32Array(1024);
  firstChild = new Int32Array(1024).fill(EMPTY);
  nextSibling = new Int32Array(1024).fill(EMPTY);
  depth = new Int32Array(1024);
  /** Number of nodes (the root included). */
  size = 1;

  readonly names = new NameTable();

  // Open addressing over node ids. (Storing parent and name beside each id saved no measurable time
  // and cost 134 MB at 5M entries.)
  private slots = new Int32Array(4096).fill(EMPTY);
  private mask = 4095;

  // The last directory interned and the node and end offset of each of its components (its own
  // node is the deepest one, or the root).
  private lastPath = '';
  private lastDirEnd = 0;
  private stackEnd = new Int32Array(64);
  private stackNode = new Int32Array(64);
  private stackDepth = 0;

  constructor() {
    this.parent[0] = EMPTY;
    this.nameId[0] = 0;
  }

  private hash(parent: number, name: number): number {
    return (Math.imul(parent, 0x9e3779b1) ^ Math.imul(name + 0x7f4a7c15, 0x85ebca77)) & this.mask;
  }

  /** Child of `parent` called `name`, or -1. */
  child(parent: number, name: string): number {
    const id = this.names.find(name);
    if (id === EMPTY) return EMPTY;
    return this.childById(parent, id);
  }

  private childById(parent: number, name: number): number {
    let slot = this.hash(parent, name);
    for (;;) {
      const node = this.slots[slot]!;
      if (node === EMPTY) return EMPTY;
      if (this.parent[node] === parent && this.nameId[node] === name) return node;
      slot = (slot + 1) & this.mask;
    }
  }

  /** The child of `parent` called `name`, created when missing. */
  internChild(parent: number, name: string): number {
    return this.internChildRange(parent, name, 0, name.length);
  }

  /** The child of `parent` called `s.slice(from, to)`, created when missing. */
  private internChildRange(parent: number, s: string, from: number, to: number): number {
    const nameId = this.names.internRange(s, from, to);
    let slot = this.hash(parent, nameId);
    for (;;) {
      const node = this.slots[slot]!;
      if (node === EMPTY) break;
      if (this.parent[node] === parent && this.nameId[node] === nameId) return node;
      slot = (slot + 1) & this.mask;
    }
    const node = this.size++;
    if (node >= this.parent.length) this.growNodes(node + 1);
    this.parent[node] = parent;
    this.nameId[node] = nameId;
    this.depth[node] = this.depth[parent]! + 1;
    this.nextSibling[node] = this.firstChild[parent]!;
    this.firstChild[parent] = node;
    this.slots[slot] = node;
    if (this.size * 2 > this.mask) this.rehash(); // load factor up to 1/2: probed for every entry
    return node;
  }

  /** Node for a normalised relative path ('' = root), created with its ancestors when missing. */
  intern(path: string): number {
    if (path === '') return ROOT;
    const slash = path.lastIndexOf('/');
    if (slash < 0) return this.internChild(ROOT, path);
    return this.internChildRange(this.internDir(path, slash), path, slash + 1, path.length);
  }

  /**
   * Node of the directory `path.slice(0, dirEnd)`. Tar entries come in depth-first order, so the
   * directory usually shares most of its components with the previous one (on the 4.3 GB corpus
   * image 124k of 169k entries change directory, at an average depth of 7): only the components
   * past the shared prefix are looked up.
   */
  private internDir(path: string, dirEnd: number): number {
    const last = this.lastPath;
    const lastEnd = this.lastDirEnd;
    // First character where the two directories differ.
    const limit = Math.min(dirEnd, lastEnd);
    let same = 0;
    while (same < limit && path.charCodeAt(same) === last.charCodeAt(same)) same++;
    if (same === dirEnd && dirEnd === lastEnd) return this.stackDepth === 0 ? ROOT : this.stackNode[this.stackDepth - 1]!;
    // Deepest cached component that ends at a component boundary of the new directory too.
    let k = this.stackDepth;
    while (k > 0) {
      const end = this.stackEnd[k - 1]!;
      if (end <= same && (end === dirEnd || path.charCodeAt(end) === 47)) break;
      k--;
    }
    let parent = k === 0 ? ROOT : this.stackNode[k - 1]!;
    let start = k === 0 ? 0 : this.stackEnd[k - 1]! + 1;
    while (start <= dirEnd) {
      let next = path.indexOf('/', start);
      if (next < 0 || next > dirEnd) next = dirEnd;
      if (next > start) {
        parent = this.internChildRange(parent, path, start, next);
        if (k === this.stackEnd.length) {
          this.stackEnd = grow(this.stackEnd, k + 1, Int32Array);
          this.stackNode = grow(this.stackNode, k + 1, Int32Array);
        }
        this.stackEnd[k] = next;
        this.stackNode[k] = parent;
        k++;
      }
      start = next + 1;
    }
    this.stackDepth = k;
    this.lastPath = path;
    this.lastDirEnd = dirEnd;
    return parent;
  }

  /** Node for a normalised relative path, or -1 when no layer has it. */
  lookup(path: string): number {
    if (path === '') return ROOT;
    let node = ROOT;
    let start = 0;
    for (;;) {
      const next = path.indexOf('/', start);
      const part = next < 0 ? path.slice(start) : path.slice(start, next);
      if (part !== '') {
        node = this.child(node, part);
        if (node === EMPTY) return EMPTY;
      }
      if (next < 0) return node;
      start = next + 1;
    }
  }

  nameOf(node: number): string {
    return this.names.get(this.nameId[node]!);
  }

  /** Relative path of a node (no leading slash; '' for the root). */
  pathOf(node: number): string {
    if (node === ROOT) return '';
    const parts: string[] = [];
    for (let n = node; n !== ROOT; n = this.parent[n]!) parts.push(this.names.get(this.nameId[n]!));
    parts.reverse();
    return parts.join('/');
  }

  /** Iterates the ids of a node's children (all layers, present or not). */
  *children(node: number): IterableIterator<number> {
    for (let c = this.firstChild[node]!; c !== EMPTY; c = this.nextSibling[c]!) yield c;
  }

  /** True when `ancestor` is `node` or one of its ancestors. */
  isWithin(node: number, ancestor: number): boolean {
    for (let n = node; n !== EMPTY; n = this.parent[n]!) if (n === ancestor) return true;
    return false;
  }

  private growNodes(min: number): void {
    this.parent = grow(this.parent, min, Int32Array);
    this.nameId = grow(this.nameId, min, Int32Array);
    this.firstChild = grow(this.firstChild, min, Int32Array, EMPTY);
    this.nextSibling = grow(this.nextSibling, min, Int32Array, EMPTY);
    this.depth = grow(this.depth, min, Int32Array);
  }

  private rehash(): void {
    const cap = (this.mask + 1) * 2;
    this.mask = cap - 1;
    this.slots = new Int32Array(cap).fill(EMPTY);
    for (let node = 1; node < this.size; node++) {
      let slot = this.hash(this.parent[node]!, this.nameId[node]!);
      while (this.slots[slot] !== EMPTY) slot = (slot + 1) & this.mask;
      this.slots[slot] = node;
    }
  }

  /** Drops growth slack and the lookup caches' temporary state after building. */
  compact(): void {
    this.parent = trim(this.parent, this.size);
    this.nameId = trim(this.nameId, this.size);
    this.firstChild = trim(this.firstChild, this.size);
    this.nextSibling = trim(this.nextSibling, this.size);
    this.depth = trim(this.depth, this.size);
    this.lastPath = '';
    this.lastDirEnd = 0;
    this.stackDepth = 0;
  }
}


export const NO_NODE = EMPTY;
