/**
 * A cursor over a list of `count` rows and the window of `height` rows shown around it. Pure: every
 * pane (layers, rules, findings, and the trees through outline.ts) moves its cursor with these.
 */

export interface ListWindow {
  readonly count: number;
  readonly cursor: number;
  /** First row shown. */
  readonly top: number;
  /** Rows shown at once (at least 1). */
  readonly height: number;
}

export type ListAction =
  | { type: 'move'; by: number }
  | { type: 'page'; by: number }
  | { type: 'home' }
  | { type: 'end' }
  | { type: 'goto'; index: number }
  | { type: 'resize'; height: number }
  | { type: 'count'; count: number };

export function createListWindow(count: number, height: number, cursor = 0): ListWindow {
  return follow({ count, cursor, top: 0, height: Math.max(1, height) });
}

/** Clamps the cursor and scrolls the window the least needed to keep it in view. */
export function follow(w: ListWindow): ListWindow {
  const count = Math.max(0, w.count);
  const height = Math.max(1, w.height);
  const cursor = count === 0 ? 0 : Math.min(Math.max(0, w.cursor), count - 1);
  let top = w.top;
  if (cursor < top) top = cursor;
  if (cursor >= top + height) top = cursor - height + 1;
  // Never leave empty rows below the list while rows above are hidden (after a shrink or resize).
  top = Math.max(0, Math.min(top, count - height));
  if (count === w.count && cursor === w.cursor && top === w.top && height === w.height) return w;
  return { count, cursor, top, height };
}

export function reduceList(w: ListWindow, a: ListAction): ListWindow {
  switch (a.type) {
    case 'move':
      return follow({ ...w, cursor: w.cursor + a.by });
    case 'page':
      return follow({ ...w, cursor: w.cursor + a.by * Math.max(1, w.height - 1) });
    case 'home':
      return follow({ ...w, cursor: 0 });
    case 'end':
      return follow({ ...w, cursor: w.count - 1 });
    case 'goto':
      return follow({ ...w, cursor: a.index });
    case 'resize':
      return follow({ ...w, height: a.height });
    case 'count':
      return follow({ ...w, count: a.count });
  }
}

/** Indices of the rows in view: [top, end). */
export function visibleRange(w: ListWindow): [number, number] {
  return [w.top, Math.min(w.count, w.top + w.height)];
}
