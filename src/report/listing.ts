/**
 * `whittle ls`: a directory listing of the merged tree (or of one layer) with cumulative sizes,
 * as data (JSON) and as text.
 */
import type { Analysis } from '../analysis/analyze.js';
import { UsageError } from '../errors.js';
import { Kind, KIND_NAMES } from '../tree/layer-index.js';
import { LayerView } from '../tree/layer-view.js';
import { NO_NODE } from '../tree/path-table.js';
import { bytes, count, table, type Style } from './format.js';

export interface ListOptions {
  path: string;
  depth: number;
  sort: 'size' | 'name';
  layer?: number;
  limit?: number;
}

export interface ListEntry {
  path: string;
  depth: number;
  type: string;
  /** Bytes at and under this path (regular files, each inode once in the merged tree). */
  size: number;
  files: number;
  /** Merged view: the layer that provided this entry; layer view: the layer itself. */
  layer: number | null;
  mode: string | null;
  uid: number | null;
  gid: number | null;
  target: string | null;
  /** Merged view: bytes stored under this path in some layer but hidden by a later one. */
  hiddenBytes: number | null;
  /** Entries not listed under this directory because of --limit. */
  more: number;
}

export interface Listing {
  schemaVersion: 1;
  path: string;
  layer: number | null;
  sort: 'size' | 'name';
  depth: number;
  entries: ListEntry[];
}

interface Source {
  resolve(path: string): number;
  children(node: number): Iterable<number>;
  kind(node: number): string;
  size(node: number): number;
  files(node: number): number;
  entry(node: number): Omit<ListEntry, 'path' | 'depth' | 'type' | 'size' | 'files' | 'more'>;
}

function mergedSource(a: Analysis): Source {
  const t = a.tree;
  return {
    resolve(path) {
      let node = t.resolve(path, false);
      if (node !== NO_NODE && t.kindOf(node) === Kind.Symlink) {
        const followed = t.resolve(path, true);
        if (followed !== NO_NODE && t.isDir(followed)) node = followed;
      }
      return node;
    },
    children: (node) => t.children(node),
    kind: (node) => KIND_NAMES[t.kindOf(node) as number] ?? 'other',
    // A file shows its own size even when it is a second hard-link name (which counts 0 in sums).
    size: (node) => (t.isFile(node) ? t.sizeOf(node) : t.cumulativeBytes(node)),
    files: (node) => t.cumulativeFiles(node),
    entry: (node) => ({
      layer: t.layerOf(node) >= 0 ? t.layerOf(node) : null,
      mode: modeString(t.modeOf(node)),
      uid: t.uidOf(node),
      gid: t.gidOf(node),
      target: t.symlinkTarget(node),
      hiddenBytes: t.cumulativeWasted(node),
    }),
  };
}

function layerSource(a: Analysis, layer: number): Source {
  const li = a.image.layers[layer]!.tree;
  const v = new LayerView(a.paths, li);
  return {
    resolve(path) {
      const node = a.paths.lookup(path.replace(/^\/+|\/+$/g, ''));
      return node !== NO_NODE && v.has(node) ? node : NO_NODE;
    },
    children: (node) => v.children(node),
    kind(node) {
      const k = v.kindOf(node);
      return k === Kind.Whiteout ? 'whiteout' : KIND_NAMES[k as number] ?? 'other';
    },
    size: (node) => v.cumulativeBytes(node),
    files: (node) => v.cumulativeFiles(node),
    entry(node) {
      const e = v.entry(node);
      return {
        layer,
        mode: e >= 0 ? modeString(li.mode[e]!) : null,
        uid: e >= 0 ? li.uidOf(e) : null,
        gid: e >= 0 ? li.gidOf(e) : null,
        target: e >= 0 ? li.symlinkTarget(e) : null,
        hiddenBytes: null,
      };
    },
  };
}

function modeString(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

export function listTree(a: Analysis, o: ListOptions): Listing {
  const src = o.layer === undefined ? mergedSource(a) : layerSource(a, o.layer);
  const root = src.resolve(o.path);
  if (root === NO_NODE) {
    throw new UsageError(`no "${o.path}" in ${o.layer === undefined ? 'the image' : `layer ${o.layer}`}`);
  }
  const entries: ListEntry[] = [];
  const visit = (node: number, depth: number) => {
    const kids = [...src.children(node)];
    if (o.sort === 'size') kids.sort((x, y) => src.size(y) - src.size(x) || cmp(a.paths.nameOf(x), a.paths.nameOf(y)));
    else kids.sort((x, y) => cmp(a.paths.nameOf(x), a.paths.nameOf(y)));
    const shown = o.limit !== undefined ? kids.slice(0, o.limit) : kids;
    for (const c of shown) {
      const e = row(c, depth, kids.length - shown.length);
      entries.push(e);
      if (depth < o.depth && e.type === 'dir') visit(c, depth + 1);
    }
  };
  const row = (node: number, depth: number, more: number): ListEntry => ({
    path: `/${a.paths.pathOf(node)}`,
    depth,
    type: src.kind(node),
    size: src.size(node),
    files: src.files(node),
    ...src.entry(node),
    more,
  });
  entries.push({ ...row(root, 0, 0), more: 0 });
  if (o.depth > 0 && entries[0]!.type === 'dir') visit(root, 1);
  // The limit note belongs to the last listed child of each directory; keep it only there.
  return { schemaVersion: 1, path: `/${a.paths.pathOf(root)}`, layer: o.layer ?? null, sort: o.sort, depth: o.depth, entries };
}

function cmp(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

export function renderListing(l: Listing, o: { width: number; style: Style }): string {
  const s = o.style;
  const rows = [['size', 'files', 'type', l.layer === null ? 'layer' : 'mode', 'path']];
  for (const e of l.entries) {
    const indent = '  '.repeat(e.depth);
    const name = e.depth === 0 ? e.path : e.path.slice(e.path.lastIndexOf('/') + 1);
    const suffix = e.type === 'dir' && e.depth > 0 ? '/' : '';
    const link = e.target !== null ? ` → ${e.target}` : '';
    rows.push([
      e.type === 'dir' || e.type === 'file' ? bytes(e.size) : '',
      e.type === 'dir' ? count(e.files) : '',
      e.type,
      l.layer === null ? (e.layer === null ? '' : String(e.layer)) : (e.mode ?? ''),
      `${indent}${name}${suffix}${link}`,
    ]);
  }
  const out = table(rows, ['right', 'right', 'left', 'right', 'left'], o.width);
  out[0] = s.dim(out[0]!);
  return out.join('\n');
}
