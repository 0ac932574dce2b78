/**
 * The Prune pane's view-model: rule toggles, and evaluating the plan for them. Evaluation runs on a
 * timer after the frame that shows "updating…", so a slow plan never holds up the keypress frame.
 */
import { useCallback, useEffect } from 'react';
import { navAction } from '../keymap.js';
import type { PlanProvider } from '../plan-provider.js';
import { createPruneState, enabledKey, reducePrune, type PruneAction, type PruneState } from '../prune-model.js';
import { useLatest } from './use-latest.js';
import { useSyncReducer } from './use-sync-reducer.js';

export interface PrunePaneOptions {
  provider: PlanProvider | null;
  rulesHeight: number;
  findingsHeight: number;
  /** Findings rows when they have the pane to themselves (`f`). */
  findingsFullHeight: number;
}

export interface PrunePane {
  state: PruneState;
  dispatch(a: PruneAction): void;
  onKey(name: string): void;
}

export function usePrunePane(o: PrunePaneOptions): PrunePane {
  const [state, dispatch, ref] = useSyncReducer(reducePrune, () => createPruneState(o.provider?.ruleNames.length ?? 0, o.rulesHeight, o.findingsHeight));
  const findingsHeight = state.inFindings ? o.findingsFullHeight : o.findingsHeight;
  useEffect(() => dispatch({ type: 'heights', rules: o.rulesHeight, findings: findingsHeight }), [dispatch, o.rulesHeight, findingsHeight]);

  useEffect(() => {
    const provider = o.provider;
    if (!provider || state.pending === null || state.running !== null) return;
    const work = state.pending;
    const enabled = state.enabled.slice();
    dispatch({ type: 'started', work });
    // Not cancelled on re-render: the result is recorded against the toggles it was made for.
    setTimeout(() => {
      const evaluation = provider.evaluate(enabled, { findings: work === 'findings' });
      dispatch({ type: 'evaluated', evaluation, key: enabledKey(enabled), findings: work === 'findings' });
    }, 0);
  }, [dispatch, o.provider, state.pending, state.running, state.enabled]);

  const opts = useLatest(o);
  const onKey = useCallback(
    (name: string) => {
      if (!opts.current.provider) return undefined;
      const nav = navAction(name);
      if (nav) return dispatch(nav);
      switch (name) {
        case ' ':
        case 'enter':
          return ref.current.inFindings ? undefined : dispatch({ type: 'toggle' });
        case 'a':
          return dispatch({ type: 'all', on: true });
        case 'n':
          return dispatch({ type: 'all', on: false });
        case 'r':
          return dispatch({ type: 'recheck' });
        case 'f':
          return dispatch({ type: 'switchList' });
        default:
          return undefined;
      }
    },
    [dispatch, ref, opts],
  );
  return { state, dispatch, onKey };
}
