/** The root of `whittle inspect`: a progress screen while the image loads, then the App. */
import { useApp, useInput } from 'ink';
import { useEffect } from 'react';
import type { Analysis } from '../../analysis/analyze.js';
import { useLoad } from '../hooks/use-load.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { keyName } from '../keymap.js';
import type { PlanProvider } from '../plan-provider.js';
import { progressView } from '../progress-model.js';
import { App } from './App.js';
import { LoadingView } from './LoadingView.js';

export interface Loaded {
  analysis: Analysis;
  plan: PlanProvider | null;
  planNote?: string[];
}

export interface InspectAppProps {
  /** What is read: a path, or "stdin". */
  readonly label: string;
  readonly load: (onProgress: (read: number, total: number | null) => void) => Promise<Loaded>;
  readonly color: boolean;
  readonly columns?: number;
  readonly rows?: number;
  /** Called with 'cancelled' when the user quits before the image is loaded, 'quit' after. */
  readonly onQuit: (how: 'quit' | 'cancelled') => void;
  readonly onError: (error: unknown) => void;
}

export function InspectApp(p: InspectAppProps) {
  const state = useLoad(p.load);
  const size = useTerminalSize(p.columns, p.rows);
  const { exit } = useApp();
  useInput(
    (input, key) => {
      const name = keyName(input, key);
      if (name === 'q' || name === 'ctrl-c') p.onQuit('cancelled');
    },
    { isActive: state.phase === 'loading' },
  );
  useEffect(() => {
    if (state.phase === 'error') {
      p.onError(state.error);
      exit();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.phase]);
  if (state.phase === 'done') {
    const v = state.value;
    return (
      <App
        analysis={v.analysis}
        plan={v.plan}
        {...(v.planNote ? { planNote: v.planNote } : {})}
        title={p.label}
        color={p.color}
        {...(p.columns !== undefined ? { columns: p.columns } : {})}
        {...(p.rows !== undefined ? { rows: p.rows } : {})}
        onQuit={() => p.onQuit('quit')}
      />
    );
  }
  if (state.phase === 'error') return null;
  const done = state.total !== null && state.read >= state.total;
  return <LoadingView label={p.label} phase={done ? 'analysing' : 'reading'} progress={progressView(state, size.columns)} color={p.color} />;
}
