/** Fixed-width text cells for the panes (one column per code point; no ANSI in these strings). */
import { bytes, truncate } from '../report/format.js';

/** Truncates with an ellipsis and pads to exactly `width` columns. */
export function cell(s: string, width: number): string {
  if (width <= 0) return '';
  const t = truncate(s, width);
  const len = [...t].length;
  return len < width ? t + ' '.repeat(width - len) : t;
}

/** Right-aligned to exactly `width` columns. */
export function rcell(s: string, width: number): string {
  if (width <= 0) return '';
  const t = truncate(s, width);
  const len = [...t].length;
  return len < width ? ' '.repeat(width - len) + t : t;
}

/** Keeps the end of a long text ("…/lib/python3/site-packages"). */
export function tailCell(s: string, width: number): string {
  const chars = [...s];
  if (chars.length <= width) return cell(s, width);
  if (width <= 1) return '…'.slice(0, width);
  return `…${chars.slice(chars.length - width + 1).join('')}`;
}

/** Bytes for a column: blank for 0 when `blankZero`. */
export function sizeText(n: number, blankZero = false): string {
  return blankZero && n === 0 ? '' : bytes(n);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** Word-wraps text into at most `max` lines of `width` columns (the last one ellipsised when cut). */
export function wrapLines(text: string, width: number, max: number): string[] {
  const out: string[] = [];
  let line = '';
  const words = text.split(/\s+/).filter((w) => w !== '');
  for (let i = 0; i < words.length; i++) {
    let w = words[i]!;
    while ([...w].length > width) {
      if (line !== '') {
        out.push(line);
        line = '';
      }
      out.push([...w].slice(0, width).join(''));
      w = [...w].slice(width).join('');
    }
    if (line === '') line = w;
    else if ([...line].length + 1 + [...w].length <= width) line += ` ${w}`;
    else {
      out.push(line);
      line = w;
    }
  }
  if (line !== '') out.push(line);
  if (out.length > max) {
    const kept = out.slice(0, max);
    kept[max - 1] = cell(`${kept[max - 1]!} ${out.slice(max).join(' ')}`, width).trimEnd();
    return kept;
  }
  return out;
}
