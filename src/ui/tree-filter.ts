/**
 * Path-text and minimum-size filters over a tree of node ids, computed once per filter change in a
 * few passes over typed arrays (parents have smaller ids than their children, so one ascending pass
 * sees every parent before its children).
 *
 * Semantics:
 * - text: case-insensitive substring of the full path (`/usr/share/doc/x`). A *match* is the
 *   topmost node whose path contains the text; everything under a match contains it too and is
 *   shown when the match is expanded. Only the `cap` largest matches are shown (the rest are
 *   counted), so a filter like "lib" on a million files stays a short list.
 * - minSize: a row is shown when its size (cumulative for directories) is at least minSize. A
 *   directory is never smaller than what it holds, so ancestors of a shown row are shown too.
 */
import type { NodePredicate } from './outline.js';

export interface FilterSpec {
  text: string;
  minSize: number;
}

export const NO_FILTER: FilterSpec = { text: '', minSize: 0 };
export const DEFAULT_MATCH_CAP = 1000;

export interface FilterInput {
  /** Node ids are 0..count-1; node 0 is the root. */
  count: number;
  parent: ArrayLike<number>;
  /** Interned name id per node, and the names: each distinct name is tested once. */
  nameId: ArrayLike<number>;
  names: { readonly length: number; get(id: number): string };
  present(node: number): boolean;
  size(node: number): number;
}

export interface FilterResult {
  spec: FilterSpec;
  /** Per node: 0 hidden, 1 ancestor of a shown match, 2 a shown match or inside one; null without text. */
  mark: Uint8Array | null;
  /** Topmost matches at least minSize large. */
  matches: number;
  /** Matches shown (at most the cap). */
  shown: number;
  /** Ancestors of shown matches: expanded so the matches are in view. */
  ancestors: number[];
  /** Row predicate for the tree, or null when nothing is filtered. */
  keep: NodePredicate | null;
}

export function isActive(spec: FilterSpec): boolean {
  return spec.text !== '' || spec.minSize > 0;
}

export function computeFilter(input: FilterInput, spec: FilterSpec, cap = DEFAULT_MATCH_CAP): FilterResult {
  const { minSize } = spec;
  const sizeOk: NodePredicate | null = minSize > 0 ? (node) => input.size(node) >= minSize : null;
  const q = spec.text.toLowerCase();
  if (q === '') return { spec, mark: null, matches: 0, shown: 0, ancestors: [], keep: sizeOk };

  const { count, parent } = input;
  const contains = nodesContaining(input, q);

  // Topmost matches, large enough.
  const top: number[] = [];
  for (let node = 1; node < count; node++) {
    if (contains[node] === 1 && contains[parent[node]!] !== 1 && input.present(node) && (minSize <= 0 || input.size(node) >= minSize)) top.push(node);
  }
  const chosen = largest(top, cap, (n) => input.size(n));

  const mark = new Uint8Array(count);
  const ancestors: number[] = [];
  for (const node of chosen) mark[node] = 2;
  for (const node of chosen) {
    for (let a = parent[node]!; a > 0 && mark[a] === 0; a = parent[a]!) {
      mark[a] = 1;
      ancestors.push(a);
    }
  }
  mark[0] = 1;
  // Everything under a shown match is inside it.
  for (let node = 1; node < count; node++) if (mark[node] === 0 && mark[parent[node]!] === 2) mark[node] = 2;

  const keep: NodePredicate = sizeOk ? (node) => mark[node] !== 0 && sizeOk(node) : (node) => mark[node] !== 0;
  return { spec, mark, matches: top.length, shown: chosen.length, ancestors, keep };
}

/** 1 for every node whose full path (`/a/b`) contains q (lowercase). */
function nodesContaining(input: FilterInput, q: string): Uint8Array {
  const { count, parent, nameId, names } = input;
  const out = new Uint8Array(count);
  if (!q.includes('/')) {
    // A match cannot span a slash: test names, once per distinct name.
    const hit = new Int8Array(names.length).fill(-1);
    for (let node = 1; node < count; node++) {
      if (out[parent[node]!] === 1) {
        out[node] = 1;
        continue;
      }
      const id = nameId[node]!;
      let h = hit[id]!;
      if (h < 0) {
        h = names.get(id).toLowerCase().includes(q) ? 1 : 0;
        hit[id] = h;
      }
      out[node] = h;
    }
    return out;
  }
  // The text spans segments: carry each path's last |q|-1 characters down to its children.
  const keepChars = q.length - 1;
  const tail: string[] = new Array<string>(count);
  tail[0] = '';
  for (let node = 1; node < count; node++) {
    const p = parent[node]!;
    if (out[p] === 1) {
      out[node] = 1;
      tail[node] = '';
      continue;
    }
    const s = `${tail[p] ?? ''}/${names.get(nameId[node]!).toLowerCase()}`;
    if (s.includes(q)) out[node] = 1;
    tail[node] = keepChars === 0 ? '' : s.length > keepChars ? s.slice(-keepChars) : s;
  }
  return out;
}

/** The `cap` nodes with the largest sizes (ties: lower id first), in id order. */
function largest(nodes: number[], cap: number, size: (n: number) => number): number[] {
  if (nodes.length <= cap) return nodes;
  const sizes = Float64Array.from(nodes, size);
  const sorted = Float64Array.from(sizes).sort();
  const threshold = sorted[sorted.length - cap]!;
  let above = 0;
  for (const s of sizes) if (s > threshold) above++;
  let ties = cap - above;
  const out: number[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const s = sizes[i]!;
    if (s > threshold) out.push(nodes[i]!);
    else if (s === threshold && ties > 0) {
      out.push(nodes[i]!);
      ties--;
    }
  }
  return out;
}
