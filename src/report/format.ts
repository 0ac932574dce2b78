/** Small text-formatting helpers shared by the text reports: sizes, counts, colour, tables. */
import prettyBytes from 'pretty-bytes';

export function bytes(n: number): string {
  return prettyBytes(n);
}

/** Signed size for diffs: "+1.2 MB", "−300 kB", "0 B". */
export function signedBytes(n: number): string {
  if (n === 0) return '0 B';
  return `${n > 0 ? '+' : '−'}${prettyBytes(Math.abs(n))}`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

export function percent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** Whether to colour output written to this stream (NO_COLOR wins, then FORCE_COLOR, then TTY). */
export function colorEnabled(stream: NodeJS.WriteStream | { isTTY?: boolean }): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return Boolean(stream.isTTY) && process.env.TERM !== 'dumb';
}

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
export const COLOR: Style = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
};
const id = (s: string) => s;
export const PLAIN: Style = { bold: id, dim: id, red: id, green: id, yellow: id, cyan: id };

export function style(enabled: boolean): Style {
  return enabled ? COLOR : PLAIN;
}

/** Visible width of a string without ANSI escapes (one column per code point). */
export function visibleWidth(s: string): number {
  // eslint-disable-next-line no-control-regex
  return [...s.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

export function truncate(s: string, width: number): string {
  if (width <= 0) return '';
  const chars = [...s];
  if (chars.length <= width) return s;
  return `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

export type Align = 'left' | 'right';

/** Renders rows as aligned columns; the last column may be truncated to fit `width`. */
export function table(rows: string[][], align: Align[], width: number, gap = 2): string[] {
  if (rows.length === 0) return [];
  const cols = rows[0]!.length;
  const widths = Array.from({ length: cols }, (_, c) => Math.max(...rows.map((r) => visibleWidth(r[c] ?? ''))));
  const fixed = widths.slice(0, -1).reduce((s, w) => s + w + gap, 0);
  widths[cols - 1] = Math.max(8, Math.min(widths[cols - 1]!, width - fixed));
  return rows.map((r) =>
    r
      .map((cell, c) => {
        const w = widths[c]!;
        const text = c === cols - 1 ? truncate(cell, w) : cell;
        const pad = ' '.repeat(Math.max(0, w - visibleWidth(text)));
        if (c === cols - 1) return align[c] === 'right' ? pad + text : text;
        return align[c] === 'right' ? pad + text : text + pad;
      })
      .join(' '.repeat(gap))
      .trimEnd(),
  );
}

/** Collapses whitespace of a shell command for one-line display. */
export function oneLine(s: string | null): string {
  return (s ?? '').replace(/\s+/g, ' ').trim();
}
