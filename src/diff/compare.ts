/**
 * Compares two image snapshots: totals, layers by digest (shared base layers are `unchanged`),
 * owners by id, directories to a depth, and files by path (added, removed, size changed). Every
 * list is sorted by absolute byte change, largest first, then by id, and cut to `top` entries; the
 * summaries always cover everything.
 */
import { comparePaths, filePath } from './snapshot.js';
import type {
  ChangeCounts,
  ChangeList,
  ChangeStatus,
  ChangeSummary,
  Delta,
  DirectoryChange,
  FileChange,
  FileList,
  ImageDiff,
  ImageSnapshot,
  LayerChange,
  OwnerChange,
  SizeEntry,
} from './types.js';

export interface DiffOptions {
  /** Entries kept per list (0 = all; default 20). */
  top?: number;
}

export const DEFAULT_DIFF_TOP = 20;

export function diffSnapshots(a: ImageSnapshot, b: ImageSnapshot, opts: DiffOptions = {}): ImageDiff {
  const top = opts.top ?? DEFAULT_DIFF_TOP;
  const d = (x: number, y: number): Delta => ({ old: x, new: y, delta: y - x });
  return {
    old: a.image,
    new: b.image,
    totals: {
      layers: d(a.totals.layers, b.totals.layers),
      layerBytes: d(a.totals.layerBytes, b.totals.layerBytes),
      mergedBytes: d(a.totals.mergedBytes, b.totals.mergedBytes),
      blobBytes: d(a.totals.blobBytes, b.totals.blobBytes),
      mergedFiles: d(a.totals.mergedFiles, b.totals.mergedFiles),
    },
    layers: diffLayers(a, b),
    owners: a.owners && b.owners ? diffOwners(a.owners, b.owners, top) : null,
    directories: { depth: Math.min(a.depth, b.depth), ...diffDirectories(a.dirs, b.dirs, Math.min(a.depth, b.depth), top) },
    files: a.files && b.files ? diffFiles(a.files, b.files, top) : null,
  };
}

/** Layers matched by digest, as a multiset (identical empty layers can repeat), in order. */
export function diffLayers(a: ImageSnapshot, b: ImageSnapshot): ImageDiff['layers'] {
  const oldByDigest = new Map<string, number[]>();
  for (const l of a.layers) {
    if (l.digest === null) continue;
    const list = oldByDigest.get(l.digest);
    if (list) list.push(l.index);
    else oldByDigest.set(l.digest, [l.index]);
  }
  const matched = new Set<number>();
  const entries: LayerChange[] = [];
  for (const l of b.layers) {
    const candidates = l.digest === null ? undefined : oldByDigest.get(l.digest);
    const oldIndex = candidates && candidates.length > 0 ? candidates.shift()! : null;
    if (oldIndex !== null) {
      matched.add(oldIndex);
      entries.push({ status: 'unchanged', digest: l.digest, oldIndex, newIndex: l.index, size: l.size, delta: 0, command: l.command });
    } else {
      entries.push({ status: 'added', digest: l.digest, oldIndex: null, newIndex: l.index, size: l.size, delta: l.size, command: l.command });
    }
  }
  for (const l of a.layers) {
    if (matched.has(l.index)) continue;
    entries.push({ status: 'removed', digest: l.digest, oldIndex: l.index, newIndex: null, size: l.size, delta: -l.size, command: l.command });
  }
  const shared = entries.filter((e) => e.status === 'unchanged').length;
  const added = entries.filter((e) => e.status === 'added').length;
  const removed = entries.length - shared - added;
  // Largest change first; unchanged layers (delta 0) last, in image order.
  entries.sort(
    (x, y) =>
      Math.abs(y.delta) - Math.abs(x.delta) ||
      (x.newIndex ?? Number.MAX_SAFE_INTEGER) - (y.newIndex ?? Number.MAX_SAFE_INTEGER) ||
      (x.oldIndex ?? 0) - (y.oldIndex ?? 0),
  );
  return { shared, added, removed, entries };
}

function emptySummary(): ChangeSummary {
  return { added: { count: 0, bytes: 0 }, removed: { count: 0, bytes: 0 }, grown: { count: 0, bytes: 0 }, shrunk: { count: 0, bytes: 0 }, unchanged: 0 };
}

function statusOf(inOld: boolean, inNew: boolean, delta: number): ChangeStatus | null {
  if (!inOld) return 'added';
  if (!inNew) return 'removed';
  if (delta > 0) return 'grown';
  if (delta < 0) return 'shrunk';
  return null;
}

function count(s: ChangeSummary, status: ChangeStatus, delta: number): void {
  const bucket = s[status];
  bucket.count++;
  bucket.bytes += delta;
}

/** Keeps the `top` largest absolute changes (0 = all), ties by key. */
function cut<T extends { delta: number }>(list: T[], top: number, key: (t: T) => string): { entries: T[]; omitted: number } {
  list.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || compareKeys(key(x), key(y)));
  if (top <= 0 || list.length <= top) return { entries: list, omitted: 0 };
  return { entries: list.slice(0, top), omitted: list.length - top };
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function diffOwners(
  a: Map<string, SizeEntry & { kind: string }>,
  b: Map<string, SizeEntry & { kind: string }>,
  top: number,
): ChangeList<OwnerChange> {
  const summary = emptySummary();
  const list: OwnerChange[] = [];
  const ids = new Set([...a.keys(), ...b.keys()]);
  for (const id of ids) {
    const o = a.get(id);
    const n = b.get(id);
    const delta = (n?.bytes ?? 0) - (o?.bytes ?? 0);
    const status = statusOf(o !== undefined, n !== undefined, delta);
    if (status === null) {
      summary.unchanged++;
      continue;
    }
    count(summary, status, delta);
    list.push({
      id,
      kind: (n ?? o)!.kind,
      status,
      oldBytes: o?.bytes ?? 0,
      newBytes: n?.bytes ?? 0,
      delta,
      oldFiles: o?.files ?? 0,
      newFiles: n?.files ?? 0,
    });
  }
  return { summary, ...cut(list, top, (e) => e.id) };
}

export function diffDirectories(a: Map<string, SizeEntry>, b: Map<string, SizeEntry>, depth: number, top: number): ChangeList<DirectoryChange, ChangeCounts> {
  const summary: ChangeCounts = { added: 0, removed: 0, grown: 0, shrunk: 0, unchanged: 0 };
  const list: DirectoryChange[] = [];
  const within = (p: string) => p.split('/').length - 1 <= depth;
  const paths = new Set([...[...a.keys()].filter(within), ...[...b.keys()].filter(within)]);
  for (const path of paths) {
    const o = a.get(path);
    const n = b.get(path);
    const delta = (n?.bytes ?? 0) - (o?.bytes ?? 0);
    const status = statusOf(o !== undefined, n !== undefined, delta);
    if (status === null) {
      summary.unchanged++;
      continue;
    }
    summary[status]++;
    list.push({ path, status, oldBytes: o?.bytes ?? 0, newBytes: n?.bytes ?? 0, delta, oldFiles: o?.files ?? 0, newFiles: n?.files ?? 0 });
  }
  return { summary, ...cut(list, top, (e) => e.path) };
}

/**
 * Merge-join of two packed, sorted file lists. Only the `top` largest changes are kept while
 * joining (a bounded insertion list), so a million changed files cost no more memory than twenty.
 */
export function diffFiles(a: FileList, b: FileList, top: number): ChangeList<FileChange> {
  const summary = emptySummary();
  const kept: FileChange[] = [];
  let changes = 0;
  const keep = (c: FileChange) => {
    changes++;
    if (top <= 0) {
      kept.push(c);
      return;
    }
    if (kept.length === top) {
      const last = kept[top - 1]!;
      if (Math.abs(c.delta) < Math.abs(last.delta) || (Math.abs(c.delta) === Math.abs(last.delta) && compareKeys(c.path, last.path) >= 0)) return;
    }
    let i = kept.length;
    while (i > 0) {
      const p = kept[i - 1]!;
      if (Math.abs(p.delta) > Math.abs(c.delta) || (Math.abs(p.delta) === Math.abs(c.delta) && compareKeys(p.path, c.path) <= 0)) break;
      i--;
    }
    kept.splice(i, 0, c);
    if (kept.length > top) kept.pop();
  };
  let i = 0;
  let j = 0;
  let pa = i < a.count ? filePath(a, i) : '';
  let pb = j < b.count ? filePath(b, j) : '';
  while (i < a.count || j < b.count) {
    const cmp = i >= a.count ? 1 : j >= b.count ? -1 : comparePaths(pa, pb);
    if (cmp < 0) {
      const size = a.sizes[i]!;
      summary.removed.count++;
      summary.removed.bytes -= size;
      keep({ path: pa, status: 'removed', oldSize: size, newSize: null, delta: -size });
      if (++i < a.count) pa = filePath(a, i);
    } else if (cmp > 0) {
      const size = b.sizes[j]!;
      summary.added.count++;
      summary.added.bytes += size;
      keep({ path: pb, status: 'added', oldSize: null, newSize: size, delta: size });
      if (++j < b.count) pb = filePath(b, j);
    } else {
      const delta = b.sizes[j]! - a.sizes[i]!;
      if (delta === 0) summary.unchanged++;
      else {
        count(summary, delta > 0 ? 'grown' : 'shrunk', delta);
        keep({ path: pa, status: 'changed', oldSize: a.sizes[i]!, newSize: b.sizes[j]!, delta });
      }
      if (++i < a.count) pa = filePath(a, i);
      if (++j < b.count) pb = filePath(b, j);
    }
  }
  if (top <= 0) return { summary, ...cut(kept, 0, (e) => e.path) };
  return { summary, entries: kept, omitted: changes - kept.length };
}
