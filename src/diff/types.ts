/**
 * The image diff data model. `ImageSnapshot` is the little a diff needs from one image (so the first
 * of two large images can be dropped before the second is read); `ImageDiff` is the comparison,
 * mirrored field for field by `diff --json` (docs/diff.schema.json, a contract).
 */

export interface ImageRef {
  input: string;
  tags: string[];
  platform: string | null;
  configDigest: string | null;
}

export interface SnapshotLayer {
  index: number;
  /** diff_id, else the blob digest; null when neither is known. */
  digest: string | null;
  size: number;
  blobSize: number;
  command: string | null;
}

export interface SnapshotTotals {
  layers: number;
  layerBytes: number;
  mergedBytes: number;
  blobBytes: number;
  mergedFiles: number;
}

/** Regular files of the merged tree, sorted by path (code-unit order), packed to save memory. */
export interface FileList {
  /** All paths joined by '\n' (paths never contain a newline here: see snapshot.ts). */
  text: string;
  /** Start of path i in `text`; `starts[count]` = text.length + 1. */
  starts: Uint32Array;
  sizes: Float64Array;
  count: number;
}

export interface SizeEntry {
  bytes: number;
  files: number;
}

export interface ImageSnapshot {
  image: ImageRef;
  totals: SnapshotTotals;
  layers: SnapshotLayer[];
  /** Owner id → bytes and files; null when owners were not attributed. */
  owners: Map<string, SizeEntry & { kind: string }> | null;
  /** Directory depth the `dirs` map goes down to (1 = `/usr`). */
  depth: number;
  /** Present directories to `depth` (path with a leading slash) → cumulative bytes and files. */
  dirs: Map<string, SizeEntry>;
  files: FileList | null;
}

export interface Delta {
  old: number;
  new: number;
  delta: number;
}

export type ChangeStatus = 'added' | 'removed' | 'grown' | 'shrunk';

export interface LayerChange {
  status: 'unchanged' | 'added' | 'removed';
  digest: string | null;
  oldIndex: number | null;
  newIndex: number | null;
  size: number;
  /** +size for added, −size for removed, 0 for unchanged. */
  delta: number;
  command: string | null;
}

export interface OwnerChange {
  id: string;
  kind: string;
  status: ChangeStatus;
  oldBytes: number;
  newBytes: number;
  delta: number;
  oldFiles: number;
  newFiles: number;
}

export interface DirectoryChange {
  path: string;
  status: ChangeStatus;
  oldBytes: number;
  newBytes: number;
  delta: number;
  oldFiles: number;
  newFiles: number;
}

export interface FileChange {
  path: string;
  status: 'added' | 'removed' | 'changed';
  oldSize: number | null;
  newSize: number | null;
  delta: number;
}

export interface ChangeSummary {
  added: { count: number; bytes: number };
  removed: { count: number; bytes: number };
  /** Grown and shrunk for owners and directories; size-changed for files (bytes = net delta). */
  grown: { count: number; bytes: number };
  shrunk: { count: number; bytes: number };
  unchanged: number;
}

/**
 * Directory changes are counted only: a directory's bytes include its subdirectories', so summing
 * deltas across depths would count the same bytes several times.
 */
export interface ChangeCounts {
  added: number;
  removed: number;
  grown: number;
  shrunk: number;
  unchanged: number;
}

/** A list of changes, largest absolute change first, cut to `top` entries. */
export interface ChangeList<T, S = ChangeSummary> {
  summary: S;
  entries: T[];
  /** Changes left out by the `top` limit. */
  omitted: number;
}

export interface ImageDiff {
  old: ImageRef;
  new: ImageRef;
  totals: {
    layers: Delta;
    layerBytes: Delta;
    mergedBytes: Delta;
    blobBytes: Delta;
    mergedFiles: Delta;
  };
  layers: { shared: number; added: number; removed: number; entries: LayerChange[] };
  owners: ChangeList<OwnerChange> | null;
  directories: ChangeList<DirectoryChange, ChangeCounts> & { depth: number };
  files: ChangeList<FileChange> | null;
}
