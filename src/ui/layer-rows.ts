/** Rows and details of the Layers pane, as fixed-width text. */
import type { LayerSummary } from '../analysis/analyze.js';
import { bytes, oneLine } from '../report/format.js';
import { visibleRange, type ListWindow } from './list-window.js';
import { cell, plural, rcell, sizeText } from './text.js';

export interface LayerRowCells {
  index: number;
  cursor: boolean;
  /** The layer the Files pane shows (changes or as-of), if any. */
  shown: boolean;
  text: string;
}

export function layerHeader(width: number): string {
  return ` ${rcell('#', 3)} ${rcell('size', 8)} ${rcell('wasted', 8)}  ${cell('command', Math.max(0, width - 24))}`.trimEnd();
}

export function layerRows(layers: readonly LayerSummary[], win: ListWindow, width: number, shownLayer: number): LayerRowCells[] {
  const [from, to] = visibleRange(win);
  const out: LayerRowCells[] = [];
  for (let i = from; i < to; i++) {
    const l = layers[i]!;
    const cmd = oneLine(l.command) || '(no command recorded)';
    out.push({
      index: i,
      cursor: i === win.cursor,
      shown: i === shownLayer,
      text: `${rcell(String(l.index), 3)} ${rcell(sizeText(l.size), 8)} ${rcell(sizeText(l.wastedBytes, true), 8)}  ${cell(cmd, Math.max(0, width - 24))}`,
    });
  }
  return out;
}

/** Lines describing one layer: what it changed and how much of it later layers hid. */
export function layerDetail(l: LayerSummary, width: number): string[] {
  const c = l.changes;
  const w = l.waste;
  const n = (x: number) => x.toLocaleString('en-US');
  const files = (count: number, size: number) => (count === 0 ? 'none' : `${plural(count, 'file')} (${bytes(size)})`);
  const lines = [
    `layer ${l.index} · ${l.digest ? l.digest.replace(/^sha256:/, '').slice(0, 12) : 'no digest'} · ${n(l.entries)} entries · ${bytes(l.size)}${l.created ? ` · ${l.created.slice(0, 19).replace('T', ' ')}` : ''}`,
    `added ${files(c.addedFiles, c.addedBytes)} · modified ${files(c.modifiedFiles, c.modifiedBytes)} · removed ${files(c.removedFiles, c.removedBytes)}`,
    l.wastedBytes > 0
      ? `hidden by later layers: ${bytes(l.wastedBytes)} (overwritten ${bytes(w.overwrittenBytes)}, deleted ${bytes(w.deletedBytes)})`
      : 'nothing in it is hidden by later layers',
    `command: ${oneLine(l.command) || '(none recorded)'}`,
  ];
  return lines.map((s) => cell(s, width));
}
