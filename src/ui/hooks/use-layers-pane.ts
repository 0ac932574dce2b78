/** The Layers pane's view-model: a cursor over the layers and its key handler. */
import { useCallback, useEffect } from 'react';
import { navAction } from '../keymap.js';
import { createListWindow, reduceList, type ListAction, type ListWindow } from '../list-window.js';
import { useLatest } from './use-latest.js';
import { useSyncReducer } from './use-sync-reducer.js';

export interface LayersPaneOptions {
  count: number;
  height: number;
  /** Enter: the layer's changes; t: the tree as of it; m: the merged tree. */
  onShow(view: 'changes' | 'asOf' | 'merged', layer: number): void;
}

export interface LayersPane {
  win: ListWindow;
  current(): ListWindow;
  dispatch(a: ListAction): void;
  onKey(name: string): void;
}

export function useLayersPane(o: LayersPaneOptions): LayersPane {
  const [win, dispatch, ref] = useSyncReducer(reduceList, () => createListWindow(o.count, o.height));
  useEffect(() => dispatch({ type: 'resize', height: o.height }), [dispatch, o.height]);
  const opts = useLatest(o);
  const onKey = useCallback(
    (name: string) => {
      const nav = navAction(name);
      if (nav) return dispatch(nav);
      const cursor = ref.current.cursor;
      if (name === 'enter' || name === 'right' || name === 'l') opts.current.onShow('changes', cursor);
      else if (name === 't') opts.current.onShow('asOf', cursor);
      else if (name === 'm') opts.current.onShow('merged', cursor);
      return undefined;
    },
    [dispatch, ref, opts],
  );
  const current = useCallback(() => ref.current, [ref]);
  return { win, current, dispatch, onKey };
}
