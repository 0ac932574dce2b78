/**
 * Markdown helpers for reports that land in a GitHub job summary or a merge-request comment
 * (GitHub- and GitLab-flavoured Markdown): escaped table cells, code spans, tables.
 */

/** Plain text safe in a table cell: no line breaks, pipes escaped, Markdown/HTML specials neutralised. */
export function mdText(s: string): string {
  return controls(s)
    .replace(/[\r\n]+/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/([|*_`[\]<>#~])/g, '\\$1');
}

/**
 * A code span, safe in a table cell: the fence is longer than any backtick run inside, and `|` is
 * escaped (GitHub's table parser splits on it even inside code spans, and renders `\|` as `|`).
 */
export function mdCode(s: string): string {
  const text = controls(s).replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text === '' ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Control characters (other than line breaks, handled by the callers) become U+FFFD. */
function controls(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]/g, '\uFFFD');
}

export type MdAlign = 'left' | 'right' | 'center';

/** A GFM table; cells must already be escaped (mdText / mdCode). */
export function mdTable(header: string[], rows: string[][], align: MdAlign[] = []): string[] {
  const sep = header.map((_, i) => (align[i] === 'right' ? '---:' : align[i] === 'center' ? ':---:' : '---'));
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(sep), ...rows.map(line)];
}
