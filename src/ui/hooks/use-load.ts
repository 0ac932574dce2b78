/**
 * Runs the load (read + analyse) once and reports progress at most ten times a second, from the
 * latest `onProgress(read, total)` figures; the interval also keeps the rate and ETA moving when
 * the input stalls.
 */
import { useEffect, useRef, useState } from 'react';

export type LoadState<T> =
  | { phase: 'loading'; read: number; total: number | null; elapsedMs: number }
  | { phase: 'done'; value: T }
  | { phase: 'error'; error: unknown };

export function useLoad<T>(load: (onProgress: (read: number, total: number | null) => void) => Promise<T>, intervalMs = 100): LoadState<T> {
  const [state, setState] = useState<LoadState<T>>({ phase: 'loading', read: 0, total: null, elapsedMs: 0 });
  const latest = useRef({ read: 0, total: null as number | null });
  useEffect(() => {
    const start = performance.now();
    let finished = false;
    const tick = () => {
      if (!finished) setState({ phase: 'loading', read: latest.current.read, total: latest.current.total, elapsedMs: performance.now() - start });
    };
    const timer = setInterval(tick, intervalMs);
    load((read, total) => {
      latest.current = { read, total };
    }).then(
      (value) => {
        finished = true;
        clearInterval(timer);
        setState({ phase: 'done', value });
      },
      (error: unknown) => {
        finished = true;
        clearInterval(timer);
        setState({ phase: 'error', error });
      },
    );
    return () => {
      finished = true;
      clearInterval(timer);
    };
    // The load runs once per mount.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return state;
}
