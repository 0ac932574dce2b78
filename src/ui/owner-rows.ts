/** Visible rows and the detail line of the Owners pane, as fixed-width text. */
import type { Owner } from '../owners/types.js';
import { bytes } from '../report/format.js';
import { visibleRange } from './list-window.js';
import type { OutlineState } from './outline.js';
import type { OwnerOutline } from './owner-outline.js';
import { cell, rcell, sizeText } from './text.js';

export interface OwnerColumns {
  size: number;
  files: number;
  wasted: number;
  label: number;
}

export function ownerColumns(width: number): OwnerColumns {
  const size = 8;
  const files = 9;
  const wasted = width >= 64 ? 8 : 0;
  const fixed = 1 + size + 1 + files + 1 + (wasted ? wasted + 1 : 0) + 2;
  return { size, files, wasted, label: Math.max(8, width - fixed) };
}

export interface OwnerRowCells {
  node: number;
  cursor: boolean;
  chosen: boolean;
  size: string;
  files: string;
  wasted: string;
  label: string;
  group: boolean;
}

export function ownerHeader(c: OwnerColumns): string {
  const parts = [rcell('size', c.size), rcell('files', c.files)];
  if (c.wasted) parts.push(rcell('wasted', c.wasted));
  parts.push(cell('  owner', c.label + 2));
  return ` ${parts.join(' ')}`.trimEnd();
}

export function ownerRows(tree: OwnerOutline, outline: OutlineState, c: OwnerColumns, chosen: number): OwnerRowCells[] {
  const [from, to] = visibleRange(outline.win);
  const out: OwnerRowCells[] = [];
  for (let i = from; i < to; i++) {
    const node = outline.rows[i]!;
    const n = tree.nodes[node]!;
    const group = n.children.length > 0;
    const glyph = group ? (outline.expanded.has(node) ? '▾ ' : '▸ ') : '  ';
    const level = outline.order.level(node);
    const text = '  '.repeat(Math.min(level, 12)) + glyph + n.label + (n.detail ? `  ${n.detail}` : '');
    out.push({
      node,
      cursor: i === outline.win.cursor,
      chosen: node === chosen,
      size: rcell(sizeText(n.bytes), c.size),
      files: rcell(n.files.toLocaleString('en-US'), c.files),
      wasted: c.wasted ? rcell(sizeText(n.wasted, true), c.wasted) : '',
      label: cell((node === chosen ? '• ' : '  ') + text, c.label + 2),
      group,
    });
  }
  return out;
}

/** Two lines about the owner (or group) under the cursor: its id, then its figures. */
export function ownerDetail(tree: OwnerOutline, node: number, owners: readonly Owner[]): [string, string] {
  const n = tree.nodes[node];
  if (!n) return ['', ''];
  const count = (x: number) => x.toLocaleString('en-US');
  if (n.owner < 0) return [n.choiceLabel, `${bytes(n.bytes)} in ${count(n.files)} files · ${count(n.owners.length)} owners${n.wasted > 0 ? ` · wasted ${bytes(n.wasted)}` : ''}`];
  const o = owners[n.owner]!;
  const parts = [`${bytes(o.bytes)} in ${count(o.files)} files`];
  if (o.declaredBytes !== null) parts.push(`declared ${bytes(o.declaredBytes)}`);
  if (o.wastedBytes > 0) parts.push(`wasted ${bytes(o.wastedBytes)}`);
  if (o.missingFiles) parts.push(`${count(o.missingFiles)} listed files missing`);
  if (o.requires && o.requires.length > 0) parts.push(`requires ${[...new Set(o.requires.map((r) => r.replace(/^ups:/, '').split(/[/ ]/)[0]))].join(', ')}`);
  return [`${o.id}${o.version && o.kind !== 'ups' ? ` ${o.version}` : ''}`, parts.join(' · ')];
}
