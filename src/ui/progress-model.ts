/**
 * The loading screen's figures: bytes read, rate, and the ETA when the input size is known (a
 * file); for stdin only bytes and rate. Pure: the hook feeds it the numbers and the clock.
 */
import { bytes } from '../report/format.js';

export interface LoadProgress {
  read: number;
  /** Input size, or null when unknown (stdin). */
  total: number | null;
  elapsedMs: number;
}

export interface ProgressView {
  /** `████████░░░░` when the total is known, else null. */
  bar: string | null;
  filled: number;
  text: string;
}

export function progressView(p: LoadProgress, width: number): ProgressView {
  const secs = p.elapsedMs / 1000;
  const rate = secs > 0 ? p.read / secs : 0;
  const rateText = secs >= 0.2 ? ` · ${bytes(rate)}/s` : '';
  if (p.total === null || p.total <= 0) {
    return { bar: null, filled: 0, text: `${bytes(p.read)} read${rateText}` };
  }
  const frac = Math.min(1, p.read / p.total);
  const barWidth = Math.max(10, Math.min(50, width - 4));
  const filled = Math.round(frac * barWidth);
  const bar = '█'.repeat(filled) + '░'.repeat(barWidth - filled);
  let text = `${Math.floor(frac * 100)}% · ${bytes(p.read)} of ${bytes(p.total)}${rateText}`;
  if (rate > 0 && secs >= 0.5 && p.read < p.total) text += ` · ETA ${duration((p.total - p.read) / rate)}`;
  return { bar, filled, text };
}

/** "4s", "2m 05s", "1h 02m". */
export function duration(secs: number): string {
  const s = Math.max(0, Math.round(secs));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
