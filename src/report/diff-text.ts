/** The human-readable report of `whittle diff OLD NEW`. */
import type { ChangeCounts, ChangeSummary, Delta, ImageDiff } from '../diff/types.js';
import { imageLabel } from './check-text.js';
import { bytes, count, oneLine, PLAIN, signedBytes, table, type Style } from './format.js';

export interface DiffTextOptions {
  width: number;
  style?: Style;
}

export const STATUS_MARK: Record<string, string> = { added: '+', removed: '-', grown: '↑', shrunk: '↓', changed: '~', unchanged: '=' };

export function deltaLine(label: string, d: Delta, fmt: (n: number) => string, signed: (n: number) => string): string[] {
  return [label, fmt(d.old), '→', fmt(d.new), d.delta === 0 ? '' : signed(d.delta)];
}

export function countsText(s: ChangeCounts): string {
  const parts: string[] = [];
  for (const k of ['added', 'removed', 'grown', 'shrunk'] as const) if (s[k]) parts.push(`${count(s[k])} ${k}`);
  parts.push(`${count(s.unchanged)} unchanged`);
  return parts.join(', ');
}

export function summaryText(s: ChangeSummary, changedWord = 'grown'): string {
  const parts: string[] = [];
  if (s.added.count) parts.push(`${count(s.added.count)} added ${signedBytes(s.added.bytes)}`);
  if (s.removed.count) parts.push(`${count(s.removed.count)} removed ${signedBytes(s.removed.bytes)}`);
  if (changedWord === 'grown') {
    if (s.grown.count) parts.push(`${count(s.grown.count)} grown ${signedBytes(s.grown.bytes)}`);
    if (s.shrunk.count) parts.push(`${count(s.shrunk.count)} shrunk ${signedBytes(s.shrunk.bytes)}`);
  } else {
    const n = s.grown.count + s.shrunk.count;
    if (n) parts.push(`${count(n)} changed size ${signedBytes(s.grown.bytes + s.shrunk.bytes)}`);
  }
  parts.push(`${count(s.unchanged)} unchanged`);
  return parts.join(', ');
}

const signedCount = (n: number) => (n > 0 ? `+${count(n)}` : n < 0 ? `−${count(-n)}` : '0');

export function renderDiffText(d: ImageDiff, o: DiffTextOptions): string {
  const s = o.style ?? PLAIN;
  const w = o.width;
  const out: string[] = [];
  out.push(`${s.bold('whittle diff')}  ${imageLabel(d.old)}  →  ${imageLabel(d.new)}`);
  out.push('');
  out.push(s.bold('Totals'));
  const t = d.totals;
  const rows = [
    deltaLine('size (Σ layers)', t.layerBytes, bytes, signedBytes),
    deltaLine('merged tree', t.mergedBytes, bytes, signedBytes),
    deltaLine('compressed', t.blobBytes, bytes, signedBytes),
    deltaLine('layers', t.layers, count, signedCount),
    deltaLine('files', t.mergedFiles, count, signedCount),
  ];
  for (const l of table(rows, ['left', 'right', 'left', 'right', 'right'], w)) out.push(`  ${l}`);

  out.push('');
  out.push(`${s.bold('Layers')}  ${d.layers.shared} shared, ${d.layers.added} added, ${d.layers.removed} removed`);
  const lrows = d.layers.entries.map((e) => [
    e.status === 'unchanged' ? '=' : e.status === 'added' ? '+' : '-',
    e.status === 'removed' ? `old #${e.oldIndex}` : `#${e.newIndex}`,
    bytes(e.size),
    e.delta === 0 ? '' : signedBytes(e.delta),
    `${(e.digest ?? '').slice(0, 19)}  ${oneLine(e.command)}`,
  ]);
  for (const l of table(lrows, ['left', 'left', 'right', 'right', 'left'], w - 2)) out.push(`  ${l}`);

  if (d.owners) {
    out.push('');
    out.push(`${s.bold('Owners')}  ${summaryText(d.owners.summary)}`);
    const orows = d.owners.entries.map((e) => [STATUS_MARK[e.status]!, signedBytes(e.delta), `${bytes(e.oldBytes)} → ${bytes(e.newBytes)}`, e.id]);
    for (const l of table(orows, ['left', 'right', 'right', 'left'], w - 2)) out.push(`  ${l}`);
    if (d.owners.omitted > 0) out.push(`  ${s.dim(`… ${count(d.owners.omitted)} more (--top)`)}`);
  }

  out.push('');
  out.push(`${s.bold(`Directories (depth ≤ ${d.directories.depth})`)}  ${countsText(d.directories.summary)}`);
  const drows = d.directories.entries.map((e) => [STATUS_MARK[e.status]!, signedBytes(e.delta), `${bytes(e.oldBytes)} → ${bytes(e.newBytes)}`, e.path]);
  for (const l of table(drows, ['left', 'right', 'right', 'left'], w - 2)) out.push(`  ${l}`);
  if (d.directories.omitted > 0) out.push(`  ${s.dim(`… ${count(d.directories.omitted)} more (--top)`)}`);

  if (d.files) {
    out.push('');
    out.push(`${s.bold('Files')}  ${summaryText(d.files.summary, 'changed')}`);
    const frows = d.files.entries.map((e) => [
      STATUS_MARK[e.status]!,
      signedBytes(e.delta),
      e.status === 'changed' ? `${bytes(e.oldSize!)} → ${bytes(e.newSize!)}` : '',
      e.path,
    ]);
    for (const l of table(frows, ['left', 'right', 'right', 'left'], w - 2)) out.push(`  ${l}`);
    if (d.files.omitted > 0) out.push(`  ${s.dim(`… ${count(d.files.omitted)} more (--top)`)}`);
  }
  return out.join('\n');
}
