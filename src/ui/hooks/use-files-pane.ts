/** The Files pane's view-model: the files reducer, its key handler, and resizes. */
import { useCallback, useEffect, useMemo } from 'react';
import type { FileSources, FileView } from '../file-sources.js';
import { createFilesState, reduceFiles, type FilesAction, type FilesEnv, type FilesState } from '../files-model.js';
import { navAction } from '../keymap.js';
import { useLatest } from './use-latest.js';
import { useSyncReducer } from './use-sync-reducer.js';

export interface FilesPaneOptions {
  sources: FileSources;
  nodeOwner: Int32Array | null;
  height: number;
  /** Layer under the Layers pane's cursor (for `v`). */
  selectedLayer(): number;
  openPrompt(kind: 'files-text' | 'files-size'): void;
  /** Switches the view (the caller may build it later, saying so first). */
  showView(view: FileView): void;
}

export interface FilesPane {
  state: FilesState;
  /** The state as of the last dispatch (for key handlers). */
  current(): FilesState;
  dispatch(a: FilesAction): void;
  /** Handles a key (see keymap.ts) while the pane has the focus. */
  onKey(name: string): void;
}

export function useFilesPane(o: FilesPaneOptions): FilesPane {
  const env = useMemo<FilesEnv>(() => ({ sources: o.sources, nodeOwner: o.nodeOwner }), [o.sources, o.nodeOwner]);
  const [state, dispatch, ref] = useSyncReducer((s: FilesState, a: FilesAction) => reduceFiles(env, s, a), () => createFilesState(env, o.height));
  useEffect(() => dispatch({ type: 'resize', height: o.height }), [dispatch, o.height]);
  const opts = useLatest(o);

  const onKey = useCallback(
    (name: string) => {
      const nav = navAction(name);
      if (nav) return dispatch(nav);
      switch (name) {
        case 'right':
        case 'l':
        case 'enter':
          return dispatch({ type: 'right' });
        case 'left':
        case 'h':
          return dispatch({ type: 'left' });
        case ' ':
          return dispatch({ type: 'toggle' });
        case 's':
          return dispatch({ type: 'sort' });
        case 'c':
          return dispatch({ type: 'collapseAll' });
        case '/':
          return opts.current.openPrompt('files-text');
        case '>':
          return opts.current.openPrompt('files-size');
        case 'escape':
          return dispatch({ type: 'filter', spec: { text: '', minSize: 0 } });
        case 'o':
          return dispatch({ type: 'onlyHighlighted' });
        case 'x':
          return dispatch({ type: 'highlight', choice: null });
        case 'v':
          return opts.current.showView(nextView(ref.current.view, opts.current.selectedLayer()));
        default:
          return undefined;
      }
    },
    [dispatch, ref, opts],
  );
  const current = useCallback(() => ref.current, [ref]);
  return { state, current, dispatch, onKey };
}

/** merged → changes of the selected layer → tree as of it → merged. */
export function nextView(v: FileView, layer: number): FileView {
  if (v.kind === 'merged') return { kind: 'changes', layer };
  if (v.kind === 'changes') return { kind: 'asOf', layer: v.layer };
  return { kind: 'merged' };
}
