/** The Owners pane's view-model: the owner outline reducer and its key handler. */
import { useCallback, useEffect } from 'react';
import { navAction } from '../keymap.js';
import { cursorNode } from '../outline.js';
import type { OwnerOutline } from '../owner-outline.js';
import { createOwnersState, reduceOwners, type OwnersAction, type OwnersState } from '../owners-model.js';
import { useLatest } from './use-latest.js';
import { useSyncReducer } from './use-sync-reducer.js';

export interface OwnersPaneOptions {
  tree: OwnerOutline;
  height: number;
  openPrompt(kind: 'owners-text'): void;
  /** A node was chosen (-1: cleared); `show`: also show only its files in the Files pane. */
  onChoose(node: number, show: boolean): void;
}

export interface OwnersPane {
  state: OwnersState;
  current(): OwnersState;
  dispatch(a: OwnersAction): void;
  onKey(name: string): void;
}

export function useOwnersPane(o: OwnersPaneOptions): OwnersPane {
  const [state, dispatch, ref] = useSyncReducer((s: OwnersState, a: OwnersAction) => reduceOwners(o.tree, s, a), () => createOwnersState(o.tree, o.height));
  useEffect(() => dispatch({ type: 'resize', height: o.height }), [dispatch, o.height]);
  const opts = useLatest(o);
  const onKey = useCallback(
    (name: string) => {
      const nav = navAction(name);
      if (nav) return dispatch(nav);
      const node = cursorNode(ref.current.outline);
      switch (name) {
        case 'right':
        case 'l':
          return dispatch({ type: 'right' });
        case 'left':
        case 'h':
          return dispatch({ type: 'left' });
        case 'enter':
        case ' ':
          if (node < 0) return undefined;
          dispatch({ type: 'choose', node });
          return opts.current.onChoose(node, name === 'enter');
        case 'x':
          dispatch({ type: 'choose', node: -1 });
          return opts.current.onChoose(-1, false);
        case 's':
          return dispatch({ type: 'sort' });
        case '/':
          return opts.current.openPrompt('owners-text');
        case 'escape':
          return dispatch({ type: 'filter', text: '' });
        default:
          return undefined;
      }
    },
    [dispatch, ref, opts],
  );
  const current = useCallback(() => ref.current, [ref]);
  return { state, current, dispatch, onKey };
}
