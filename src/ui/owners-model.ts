/** State of the Owners pane: the owner outline, its sort and text filter, and the chosen owner. */
import { ChildOrder, createOutline, cursorNode, reduceOutline, type OutlineAction, type OutlineState, type SortKey } from './outline.js';
import type { OwnerOutline } from './owner-outline.js';
import { computeFilter, NO_FILTER, type FilterResult } from './tree-filter.js';

export interface OwnersState {
  sort: SortKey;
  filterText: string;
  filterResult: FilterResult;
  savedExpanded: ReadonlySet<number> | null;
  /** Outline node whose files are highlighted, or -1. */
  chosen: number;
  outline: OutlineState;
}

export type OwnersAction = OutlineAction | { type: 'sort'; sort?: SortKey } | { type: 'filter'; text: string } | { type: 'choose'; node: number };

export function createOwnersState(tree: OwnerOutline, height: number): OwnersState {
  const filterResult = computeFilter(tree.filterInput(), NO_FILTER);
  // Groups start open: with one kind of owner the list is the first thing to see.
  const outline = createOutline(new ChildOrder(tree, 'size'), height, new Set(tree.groups));
  return { sort: 'size', filterText: '', filterResult, savedExpanded: null, chosen: -1, outline };
}

export function reduceOwners(tree: OwnerOutline, s: OwnersState, a: OwnersAction): OwnersState {
  switch (a.type) {
    case 'sort': {
      const sort = a.sort ?? (s.sort === 'size' ? 'name' : 'size');
      if (sort === s.sort) return s;
      return { ...s, sort, outline: reduceOutline(s.outline, { type: 'reorder', order: new ChildOrder(tree, sort, s.filterResult.keep) }) };
    }
    case 'filter': {
      const text = a.text.trim();
      if (text === s.filterText) return s;
      const filterResult = computeFilter(tree.filterInput(), { text, minSize: 0 }, Infinity);
      let savedExpanded = s.savedExpanded;
      let expanded: ReadonlySet<number>;
      if (text !== '') {
        savedExpanded = savedExpanded ?? s.outline.expanded;
        expanded = new Set([...savedExpanded, ...filterResult.ancestors]);
      } else {
        expanded = savedExpanded ?? s.outline.expanded;
        savedExpanded = null;
      }
      const order = new ChildOrder(tree, s.sort, filterResult.keep);
      return { ...s, filterText: text, filterResult, savedExpanded, outline: reduceOutline(s.outline, { type: 'reorder', order, expanded }) };
    }
    case 'choose':
      return a.node === s.chosen ? s : { ...s, chosen: a.node };
    default: {
      const outline = reduceOutline(s.outline, a);
      return outline === s.outline ? s : { ...s, outline };
    }
  }
}

export { cursorNode };
