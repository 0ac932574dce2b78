/**
 * State of the Files pane: which tree it shows (merged, a layer's changes, as of a layer), the sort,
 * the filters, the owner highlight, and the outline over it. Pure reducer; the file sources (and
 * their caches) come from the environment.
 */
import type { FileSources, FileSource, FileView } from './file-sources.js';
import { sameView } from './file-sources.js';
import { computeHighlight, type Highlight, type OwnerChoice } from './highlight.js';
import { ChildOrder, createOutline, cursorNode, reduceOutline, type NodePredicate, type OutlineAction, type OutlineState, type SortKey } from './outline.js';
import { computeFilter, DEFAULT_MATCH_CAP, isActive, NO_FILTER, type FilterResult, type FilterSpec } from './tree-filter.js';

export interface FilesEnv {
  sources: FileSources;
  nodeOwner: Int32Array | null;
  /** Most text matches shown. */
  cap?: number;
  /** Rows auto-expanded to reveal highlighted files. */
  revealBudget?: number;
}

export interface FilesState {
  view: FileView;
  source: FileSource;
  sort: SortKey;
  filter: FilterSpec;
  filterResult: FilterResult;
  highlight: Highlight | null;
  onlyHighlighted: boolean;
  /** The expanded set before a text filter opened its matches; restored when the text is cleared. */
  savedExpanded: ReadonlySet<number> | null;
  outline: OutlineState;
}

export type FilesAction =
  | OutlineAction
  | { type: 'view'; view: FileView }
  | { type: 'sort'; sort?: SortKey }
  | { type: 'filter'; spec: FilterSpec }
  | { type: 'highlight'; choice: OwnerChoice | null; only?: boolean }
  | { type: 'onlyHighlighted'; on?: boolean };

export function createFilesState(env: FilesEnv, height: number, view: FileView = { kind: 'merged' }): FilesState {
  const source = env.sources.get(view);
  const filterResult = computeFilter(source.filterInput(), NO_FILTER);
  const base = { view, source, sort: 'size' as SortKey, filter: NO_FILTER, filterResult, highlight: null, onlyHighlighted: false, savedExpanded: null };
  return { ...base, outline: createOutline(orderFor(base), height) };
}

function orderFor(s: Pick<FilesState, 'source' | 'sort' | 'filterResult' | 'highlight' | 'onlyHighlighted'>): ChildOrder {
  const f = s.filterResult.keep;
  const bits = s.onlyHighlighted && s.highlight ? s.highlight.bits : null;
  let keep: NodePredicate | null = f;
  if (bits) keep = f ? (n) => bits[n] !== 0 && f(n) : (n) => bits[n] !== 0;
  return new ChildOrder(s.source, s.sort, keep);
}

export function reduceFiles(env: FilesEnv, s: FilesState, a: FilesAction): FilesState {
  switch (a.type) {
    case 'view': {
      if (sameView(a.view, s.view)) return s;
      const source = env.sources.get(a.view);
      const filterResult = isActive(s.filter) ? computeFilter(source.filterInput(), s.filter, env.cap ?? DEFAULT_MATCH_CAP) : s.filterResult;
      const highlight = s.highlight ? computeHighlight(s.highlight.choice, env.nodeOwner ?? new Int32Array(0), source.filterInput()) : null;
      const next = { ...s, view: a.view, source, filterResult, highlight };
      const expanded = filterResult.spec.text ? union(s.savedExpanded ?? s.outline.expanded, filterResult.ancestors) : s.outline.expanded;
      return { ...next, outline: reduceOutline(s.outline, { type: 'reorder', order: orderFor(next), expanded }) };
    }
    case 'sort': {
      const sort = a.sort ?? (s.sort === 'size' ? 'name' : 'size');
      if (sort === s.sort) return s;
      const next = { ...s, sort };
      return { ...next, outline: reduceOutline(s.outline, { type: 'reorder', order: orderFor(next) }) };
    }
    case 'filter': {
      const spec = { text: a.spec.text.trim(), minSize: Math.max(0, a.spec.minSize) };
      if (spec.text === s.filter.text && spec.minSize === s.filter.minSize) return s;
      const filterResult = computeFilter(s.source.filterInput(), spec, env.cap ?? DEFAULT_MATCH_CAP);
      let savedExpanded = s.savedExpanded;
      let expanded: ReadonlySet<number>;
      if (spec.text !== '') {
        savedExpanded = savedExpanded ?? s.outline.expanded;
        expanded = union(savedExpanded, filterResult.ancestors);
      } else {
        expanded = savedExpanded ?? s.outline.expanded;
        savedExpanded = null;
      }
      const next = { ...s, filter: spec, filterResult, savedExpanded };
      return { ...next, outline: reduceOutline(s.outline, { type: 'reorder', order: orderFor(next), expanded }) };
    }
    case 'highlight': {
      const highlight = a.choice ? computeHighlight(a.choice, env.nodeOwner ?? new Int32Array(0), s.source.filterInput()) : null;
      const onlyHighlighted = highlight !== null && (a.only ?? s.onlyHighlighted);
      const next = { ...s, highlight, onlyHighlighted };
      const order = orderFor(next);
      const expanded = highlight ? union(s.outline.expanded, revealed(order, highlight.bits, env.revealBudget ?? 200)) : s.outline.expanded;
      return { ...next, outline: reduceOutline(s.outline, { type: 'reorder', order, expanded, cursorNode: highlight ? -1 : cursorNode(s.outline) }) };
    }
    case 'onlyHighlighted': {
      const on = s.highlight !== null && (a.on ?? !s.onlyHighlighted);
      if (on === s.onlyHighlighted) return s;
      const next = { ...s, onlyHighlighted: on };
      return { ...next, outline: reduceOutline(s.outline, { type: 'reorder', order: orderFor(next) }) };
    }
    default: {
      const outline = reduceOutline(s.outline, a);
      return outline === s.outline ? s : { ...s, outline };
    }
  }
}

function union(a: ReadonlySet<number>, more: Iterable<number>): ReadonlySet<number> {
  const out = new Set(a);
  for (const n of more) out.add(n);
  return out;
}

/**
 * Directories to open so highlighted files come into view: breadth first from the root, largest
 * first, only through directories holding highlighted files, while the rows opened stay within budget.
 */
export function revealed(order: ChildOrder, bits: Uint8Array, budget: number): number[] {
  const src = order.source;
  const out: number[] = [];
  let rows = order.of(src.root).length;
  const queue: number[] = [src.root];
  for (let qi = 0; qi < queue.length; qi++) {
    for (const c of order.of(queue[qi]!)) {
      if ((bits[c]! & 2) === 0 || !src.expandable(c)) continue;
      const n = order.of(c).length;
      if (rows + n > budget) continue;
      rows += n;
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}
