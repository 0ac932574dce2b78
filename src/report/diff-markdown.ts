/** `whittle diff --markdown`: the diff as a job summary or merge-request comment. */
import type { ImageDiff } from '../diff/types.js';
import { imageLabel } from './check-text.js';
import { countsText, STATUS_MARK, summaryText } from './diff-text.js';
import { bytes, count, oneLine, signedBytes } from './format.js';
import { mdCode, mdTable, mdText } from './markdown.js';

export function renderDiffMarkdown(d: ImageDiff): string {
  const out: string[] = [];
  const t = d.totals;
  out.push(`### whittle diff: ${mdText(signedBytes(t.layerBytes.delta))} (${mdText(bytes(t.layerBytes.old))} → ${mdText(bytes(t.layerBytes.new))})`);
  out.push('');
  out.push(`${mdCode(imageLabel(d.old))} → ${mdCode(imageLabel(d.new))}`);
  out.push('');
  const sc = (n: number) => (n > 0 ? `+${count(n)}` : n < 0 ? `−${count(-n)}` : '0');
  out.push(
    ...mdTable(
      ['', 'Old', 'New', 'Change'],
      [
        ['Size (Σ layers)', bytes(t.layerBytes.old), bytes(t.layerBytes.new), signedBytes(t.layerBytes.delta)],
        ['Merged tree', bytes(t.mergedBytes.old), bytes(t.mergedBytes.new), signedBytes(t.mergedBytes.delta)],
        ['Compressed', bytes(t.blobBytes.old), bytes(t.blobBytes.new), signedBytes(t.blobBytes.delta)],
        ['Layers', count(t.layers.old), count(t.layers.new), sc(t.layers.delta)],
        ['Files', count(t.mergedFiles.old), count(t.mergedFiles.new), sc(t.mergedFiles.delta)],
      ].map((r) => r.map(mdText)),
      ['left', 'right', 'right', 'right'],
    ),
  );
  out.push('');
  out.push(`#### Layers: ${d.layers.shared} shared, ${d.layers.added} added, ${d.layers.removed} removed`);
  out.push('');
  out.push(
    ...mdTable(
      ['', 'Layer', 'Size', 'Change', 'Command'],
      d.layers.entries.map((e) => [
        e.status,
        e.status === 'removed' ? `old #${e.oldIndex}` : `#${e.newIndex}`,
        mdText(bytes(e.size)),
        mdText(e.delta === 0 ? '' : signedBytes(e.delta)),
        e.command ? mdCode(oneLine(e.command).slice(0, 160)) : '',
      ]),
      ['left', 'left', 'right', 'right', 'left'],
    ),
  );
  const section = (title: string, summary: string, rows: string[][], omitted: number) => {
    out.push('');
    out.push(`#### ${title}`);
    out.push('');
    out.push(mdText(summary));
    if (rows.length === 0) return;
    out.push('');
    out.push(...mdTable(['', 'Change', 'Old → new', 'Path / owner'], rows, ['left', 'right', 'right', 'left']));
    if (omitted > 0) out.push('', `_… ${count(omitted)} more_`);
  };
  if (d.owners) {
    section(
      'Owners',
      summaryText(d.owners.summary),
      d.owners.entries.map((e) => [STATUS_MARK[e.status]!, mdText(signedBytes(e.delta)), mdText(`${bytes(e.oldBytes)} → ${bytes(e.newBytes)}`), mdCode(e.id)]),
      d.owners.omitted,
    );
  }
  section(
    `Directories (depth ≤ ${d.directories.depth})`,
    countsText(d.directories.summary),
    d.directories.entries.map((e) => [STATUS_MARK[e.status]!, mdText(signedBytes(e.delta)), mdText(`${bytes(e.oldBytes)} → ${bytes(e.newBytes)}`), mdCode(e.path)]),
    d.directories.omitted,
  );
  if (d.files) {
    section(
      'Files',
      summaryText(d.files.summary, 'changed'),
      d.files.entries.map((e) => [
        STATUS_MARK[e.status]!,
        mdText(signedBytes(e.delta)),
        mdText(e.status === 'changed' ? `${bytes(e.oldSize!)} → ${bytes(e.newSize!)}` : ''),
        mdCode(e.path),
      ]),
      d.files.omitted,
    );
  }
  return `${out.join('\n')}\n`;
}
