/**
 * The visible rows of the Files pane as fixed-width cells: size, hidden bytes, marks, the tree
 * column (indent, ▸/▾, name, symlink target) and the owner. Only the rows in the window are built.
 */
import type { Owner } from '../owners/types.js';
import type { ChangeTag, FileSource } from './file-sources.js';
import type { PlanMarks } from './plan-marks.js';
import { HOLDS, OWNED, type Highlight } from './highlight.js';
import { cursorNode, type OutlineState } from './outline.js';
import { visibleRange } from './list-window.js';
import { bytes } from '../report/format.js';
import { cell, rcell, sizeText, tailCell } from './text.js';

export interface FileColumns {
  size: number;
  hidden: number;
  marks: number;
  tree: number;
  owner: number;
}

/** Column widths for a pane `width` columns wide (1 column is the cursor mark; cells are space-separated). */
export function fileColumns(width: number): FileColumns {
  const size = 8;
  const hidden = width >= 60 ? 8 : 0;
  const marks = 2;
  const owner = width >= 70 ? Math.min(28, Math.floor(width * 0.28)) : 0;
  const fixed = 1 + size + 1 + (hidden ? hidden + 1 : 0) + marks + 1 + (owner ? owner + 1 : 0);
  return { size, hidden, marks, tree: Math.max(8, width - fixed), owner };
}

export interface FileRowCells {
  node: number;
  cursor: boolean;
  size: string;
  hidden: string;
  marks: string;
  tree: string;
  owner: string;
  tag: ChangeTag;
  dir: boolean;
  /** Owned by the highlighted owners (bit 1), or holds such files (bit 2). */
  highlight: number;
  dropped: boolean;
}

export interface FileRowContext {
  source: FileSource;
  outline: OutlineState;
  columns: FileColumns;
  owners: readonly Owner[] | null;
  nodeOwner: Int32Array | null;
  highlight: Highlight | null;
  /** What the current prune plan removes, when there is a plan. */
  plan: PlanMarks | null;
}

export function fileHeader(c: FileColumns): string {
  const parts = [rcell('size', c.size)];
  if (c.hidden) parts.push(rcell('hidden', c.hidden));
  parts.push(cell('', c.marks), cell('path', c.tree));
  if (c.owner) parts.push(cell('owner', c.owner));
  return ` ${parts.join(' ')}`.trimEnd();
}

export function fileRows(ctx: FileRowContext): FileRowCells[] {
  const { source, outline, columns: c } = ctx;
  const [from, to] = visibleRange(outline.win);
  const cur = cursorNode(outline);
  const out: FileRowCells[] = [];
  for (let i = from; i < to; i++) {
    const node = outline.rows[i]!;
    const dir = source.isDir(node);
    const tag = source.tag(node);
    const hl = ctx.highlight ? ctx.highlight.bits[node]! : 0;
    const dropped = ctx.plan !== null && (ctx.plan.dropped[node] ?? 0) !== 0;
    const partly = !dropped && ctx.plan !== null && ctx.plan.droppedBytes[node]! > 0;
    const second = hl & OWNED ? '•' : hl & HOLDS ? '◦' : dropped ? 'x' : partly ? '-' : ' ';
    const level = outline.order.level(node);
    const indent = '  '.repeat(Math.min(level, 16));
    const glyph = dir ? (outline.expanded.has(node) ? '▾ ' : '▸ ') : '  ';
    const target = source.symlinkTarget(node);
    const name = source.name(node) + (dir ? '/' : '') + (target !== null ? ` → ${target}` : '');
    const ownerIdx = ctx.nodeOwner ? ctx.nodeOwner[node]! : -1;
    const owner = ownerIdx >= 0 && ctx.owners ? ownerLabel(ctx.owners[ownerIdx]!) : '';
    out.push({
      node,
      cursor: node === cur && i === outline.win.cursor,
      size: rcell(tag === 'D' ? '' : sizeText(source.size(node)), c.size),
      hidden: c.hidden ? rcell(sizeText(source.hidden(node), true), c.hidden) : '',
      marks: cell((tag === '' ? ' ' : tag) + second, c.marks),
      tree: cell(indent + glyph + name, c.tree),
      owner: c.owner ? (ownerIdx >= 0 && ctx.owners![ownerIdx]!.kind === 'ups' ? tailCell(owner, c.owner) : cell(owner, c.owner)) : '',
      tag,
      dir,
      highlight: hl,
      dropped,
    });
  }
  return out;
}

/** Short owner text for a column: UPS builds drop the flavor ("ups:root v6_12_06a e17:prof"). */
export function ownerLabel(o: Owner): string {
  if (o.kind === 'ups' && o.level === 'build' && o.product) {
    return `ups:${o.product} ${o.version ?? ''}${o.qualifiers ? ` ${o.qualifiers}` : ''}`.trimEnd();
  }
  return o.id;
}

/** One line about the row under the cursor: full path, size, what hid bytes there, owner id. */
export function fileDetail(ctx: Pick<FileRowContext, 'source' | 'owners' | 'nodeOwner' | 'plan'>, node: number, width: number): string {
  if (node < 0) return '';
  const src = ctx.source;
  const parts = [bytes(src.size(node))];
  const hidden = src.hidden(node);
  if (hidden > 0) parts.push(`${bytes(hidden)} ${src.view.kind === 'changes' ? 'hidden by this layer' : 'hidden by later layers'}`);
  const o = ctx.nodeOwner ? ctx.nodeOwner[node]! : -1;
  if (o >= 0 && ctx.owners) parts.push(ctx.owners[o]!.id);
  if (ctx.plan && ctx.plan.droppedBytes[node]! > 0) parts.push(`plan drops ${bytes(ctx.plan.droppedBytes[node]!)}`);
  const rest = parts.join(' · ');
  // The path gives way first, keeping its end (the name).
  const room = Math.max(12, width - [...rest].length - 3);
  return cell(`${tailCell(`/${src.paths.pathOf(node)}`, room).trimEnd()} · ${rest}`, width).trimEnd();
}
