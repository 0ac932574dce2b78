/**
 * The view-model of a collapsible tree (the Files and Owners panes): which nodes are expanded, the
 * visible rows in display order, and the cursor window over them. Pure reducer over node ids.
 *
 * Cost model, so a 1,000,000-entry tree stays smooth: nothing here walks the whole tree. Children
 * are sorted once per node (memoised in `ChildOrder`) the first time that node is expanded;
 * expanding splices the node's visible subtree into the row list, collapsing cuts it out, and cursor
 * moves touch only the window. A new sort or filter makes a new `ChildOrder` and rebuilds the rows
 * from the expanded set (work proportional to the rows shown, not to the tree).
 */
import { follow, reduceList, type ListAction, type ListWindow } from './list-window.js';

export type SortKey = 'size' | 'name';
export type NodePredicate = (node: number) => boolean;

/** A tree over integer node ids. */
export interface OutlineSource {
  readonly root: number;
  /** Children of a node, in any order. */
  children(node: number): Iterable<number>;
  /** Whether the node can hold children (a directory, a group). */
  expandable(node: number): boolean;
  name(node: number): string;
  /** What the tree is sorted by (cumulative bytes). */
  size(node: number): number;
  depth(node: number): number;
  parent(node: number): number;
}

/** Sorted (and filtered) children per node, computed on first use. */
export class ChildOrder {
  private readonly memo = new Map<number, Int32Array>();
  private readonly rootDepth: number;

  constructor(
    readonly source: OutlineSource,
    readonly sort: SortKey,
    readonly keep: NodePredicate | null = null,
  ) {
    this.rootDepth = source.depth(source.root);
  }

  of(node: number): Int32Array {
    const hit = this.memo.get(node);
    if (hit) return hit;
    const src = this.source;
    const keep = this.keep;
    const list: number[] = [];
    for (const c of src.children(node)) if (keep === null || keep(c)) list.push(c);
    const names = list.map((c) => src.name(c));
    const idx = list.map((_, i) => i);
    if (this.sort === 'size') {
      const sizes = list.map((c) => src.size(c));
      idx.sort((a, b) => sizes[b]! - sizes[a]! || cmp(names[a]!, names[b]!));
    } else {
      idx.sort((a, b) => cmp(names[a]!, names[b]!));
    }
    const out = new Int32Array(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = list[idx[i]!]!;
    this.memo.set(node, out);
    return out;
  }

  /** Indentation level of a row: the root's children are at 0. */
  level(node: number): number {
    return this.source.depth(node) - this.rootDepth - 1;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface OutlineState {
  readonly order: ChildOrder;
  /** Node ids of the visible rows, in display order. */
  readonly rows: Int32Array;
  readonly expanded: ReadonlySet<number>;
  readonly win: ListWindow;
}

export type OutlineAction =
  | ListAction
  | { type: 'expand' }
  | { type: 'collapse' }
  | { type: 'toggle' }
  /** →: expand, or step into an expanded node. */
  | { type: 'right' }
  /** ←: collapse, or step out to the parent row. */
  | { type: 'left' }
  | { type: 'collapseAll' }
  /** New sort or filter (a new ChildOrder), optionally a new expanded set and a node to put the cursor on. */
  | { type: 'reorder'; order: ChildOrder; expanded?: ReadonlySet<number>; cursorNode?: number };

export function createOutline(order: ChildOrder, height: number, expanded: ReadonlySet<number> = new Set()): OutlineState {
  const rows = buildRows(order, expanded);
  return { order, rows, expanded, win: follow({ count: rows.length, cursor: 0, top: 0, height: Math.max(1, height) }) };
}

/** Node under the cursor, or -1 when there are no rows. */
export function cursorNode(s: OutlineState): number {
  return s.rows.length === 0 ? -1 : s.rows[s.win.cursor]!;
}

export function reduceOutline(s: OutlineState, a: OutlineAction): OutlineState {
  switch (a.type) {
    case 'expand':
      return expandAt(s, s.win.cursor);
    case 'collapse':
      return collapseAt(s, s.win.cursor);
    case 'toggle': {
      const node = cursorNode(s);
      if (node < 0) return s;
      return s.expanded.has(node) ? collapseAt(s, s.win.cursor) : expandAt(s, s.win.cursor);
    }
    case 'right': {
      const node = cursorNode(s);
      if (node < 0 || !s.order.source.expandable(node)) return s;
      if (!s.expanded.has(node)) return expandAt(s, s.win.cursor);
      const next = s.win.cursor + 1;
      if (next < s.rows.length && s.order.source.parent(s.rows[next]!) === node) return withWin(s, follow({ ...s.win, cursor: next }));
      return s;
    }
    case 'left': {
      const node = cursorNode(s);
      if (node < 0) return s;
      if (s.expanded.has(node)) return collapseAt(s, s.win.cursor);
      const parent = s.order.source.parent(node);
      if (parent === s.order.source.root || parent < 0) return s;
      const row = lastIndexBefore(s.rows, parent, s.win.cursor);
      return row < 0 ? s : withWin(s, follow({ ...s.win, cursor: row }));
    }
    case 'collapseAll':
      return rebuild(s, s.order, new Set(), topAncestorRow(s));
    case 'reorder':
      return rebuild(s, a.order, a.expanded ?? s.expanded, a.cursorNode ?? cursorNode(s));
    default:
      return withWin(s, reduceList(s.win, a));
  }
}

function withWin(s: OutlineState, win: ListWindow): OutlineState {
  return win === s.win ? s : { ...s, win };
}

function expandAt(s: OutlineState, row: number): OutlineState {
  const node = s.rows[row];
  if (node === undefined || s.expanded.has(node) || !s.order.source.expandable(node)) return s;
  const expanded = new Set(s.expanded).add(node);
  const sub = subtreeRows(s.order, expanded, node);
  const rows = new Int32Array(s.rows.length + sub.length);
  rows.set(s.rows.subarray(0, row + 1), 0);
  rows.set(sub, row + 1);
  rows.set(s.rows.subarray(row + 1), row + 1 + sub.length);
  return { ...s, rows, expanded, win: follow({ ...s.win, count: rows.length }) };
}

function collapseAt(s: OutlineState, row: number): OutlineState {
  const node = s.rows[row];
  if (node === undefined || !s.expanded.has(node)) return s;
  const level = s.order.level(node);
  let end = row + 1;
  while (end < s.rows.length && s.order.level(s.rows[end]!) > level) end++;
  const rows = new Int32Array(s.rows.length - (end - row - 1));
  rows.set(s.rows.subarray(0, row + 1), 0);
  rows.set(s.rows.subarray(end), row + 1);
  const expanded = new Set(s.expanded);
  expanded.delete(node);
  return { ...s, rows, expanded, win: follow({ ...s.win, count: rows.length }) };
}

/** Rebuilds the rows for a new order or expanded set, keeping the cursor on `keepNode` (or its nearest visible ancestor) at the same screen line. */
function rebuild(s: OutlineState, order: ChildOrder, expanded: ReadonlySet<number>, keepNode: number): OutlineState {
  const rows = buildRows(order, expanded);
  let cursor = 0;
  for (let n = keepNode; n >= 0 && n !== order.source.root; n = order.source.parent(n)) {
    const i = rows.indexOf(n);
    if (i >= 0) {
      cursor = i;
      break;
    }
  }
  // The cursor keeps its screen line, unless it fits on the first page: then the list starts at the top.
  const offset = s.win.cursor - s.win.top;
  const top = cursor < s.win.height ? 0 : Math.max(0, cursor - offset);
  const win = follow({ count: rows.length, cursor, top, height: s.win.height });
  return { order, rows, expanded, win };
}

function topAncestorRow(s: OutlineState): number {
  let n = cursorNode(s);
  const src = s.order.source;
  while (n >= 0 && src.parent(n) !== src.root && src.parent(n) >= 0) n = src.parent(n);
  return n;
}

function lastIndexBefore(rows: Int32Array, node: number, before: number): number {
  for (let i = before - 1; i >= 0; i--) if (rows[i] === node) return i;
  return -1;
}

/** All visible rows under the root. */
export function buildRows(order: ChildOrder, expanded: ReadonlySet<number>): Int32Array {
  return subtreeRows(order, expanded, order.source.root);
}

/** Visible rows under `node` (not including it), depth first, in sort order. */
export function subtreeRows(order: ChildOrder, expanded: ReadonlySet<number>, node: number): Int32Array {
  const out: number[] = [];
  const stackKids: Int32Array[] = [order.of(node)];
  const stackPos: number[] = [0];
  while (stackKids.length > 0) {
    const top = stackKids.length - 1;
    const kids = stackKids[top]!;
    const pos = stackPos[top]!;
    if (pos >= kids.length) {
      stackKids.pop();
      stackPos.pop();
      continue;
    }
    stackPos[top] = pos + 1;
    const c = kids[pos]!;
    out.push(c);
    if (expanded.has(c)) {
      stackKids.push(order.of(c));
      stackPos.push(0);
    }
  }
  return Int32Array.from(out);
}
