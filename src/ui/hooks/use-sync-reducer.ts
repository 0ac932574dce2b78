/**
 * useReducer whose current state is also readable at once through a ref. Keys are routed by what
 * earlier keys did, and several keys can arrive in one stdin chunk, all handled before React
 * renders again (React 19 renders in a microtask); so key handlers read `ref.current`, which each
 * dispatch updates synchronously, never the rendered `state`.
 */
import { useCallback, useRef, useState, type RefObject } from 'react';
import { useLatest } from './use-latest.js';

export function useSyncReducer<S, A>(reduce: (s: S, a: A) => S, init: () => S): [S, (a: A) => void, RefObject<S>] {
  const ref = useRef<S>(undefined as S);
  const started = useRef(false);
  if (!started.current) {
    started.current = true;
    ref.current = init();
  }
  const [state, setState] = useState<S>(ref.current);
  const reducer = useLatest(reduce);
  const dispatch = useCallback(
    (a: A) => {
      const next = reducer.current(ref.current, a);
      if (next === ref.current) return;
      ref.current = next;
      setState(next);
    },
    [reducer],
  );
  return [state, dispatch, ref];
}
