/**
 * The analysis pipeline: read the image (one pass), merge its layers, and gather the figures every
 * report, budget, plan and UI reads. The result is plain data plus the typed-array tree; nothing
 * downstream writes back into it.
 */
import type { Finding } from '../findings.js';
import { readImage } from '../image/read-image.js';
import type { ImageLayer, ReadImageOptions, ResolvedImage } from '../image/types.js';
import type { LayerCounts } from '../tree/layer-index.js';
import { mergeLayers, type DiveFigures, type LayerChanges, type LayerWaste } from '../tree/merge.js';
import type { MergedTree } from '../tree/merged-tree.js';
import type { PathTable } from '../tree/path-table.js';
import { CaptureStore } from '../owners/capture.js';
import { collectOwners, ownersWant, type OwnersAnalysis } from '../owners/index.js';
import type { ElfInfo } from '../elf/index.js';
import type { CaptureHook } from '../tree/layer-builder.js';
import { ElfStore } from './elf-store.js';
import type { EntryConsumer } from '../tar/stream-parser.js';
import { teeConsumers } from '../tar/tee-consumer.js';
import { IncludeStore, type IncludeGraph, type IncludeLimits, type IncludeScope } from './include-store.js';

export interface LayerSummary {
  index: number;
  digest: string | null;
  blobDigest: string | null;
  mediaType: string | null;
  compression: ImageLayer['compression'];
  blobSize: number;
  tarSize: number;
  command: string | null;
  created: string | null;
  /** Σ bytes of regular files in this layer's tar (hard-link entries count 0). */
  size: number;
  /** Tar entries. */
  entries: number;
  counts: LayerCounts;
  /** This layer's bytes hidden by later layers. */
  wastedBytes: number;
  waste: LayerWaste;
  changes: LayerChanges;
  /** dive's layer size: Σ tar header sizes of its entries. */
  diveSize: number;
  topFiles: { path: string; size: number }[];
}

export interface Totals {
  layers: number;
  /** Σ layers[].size */
  layerBytes: number;
  /** Regular-file bytes of the merged tree, each inode once. */
  mergedBytes: number;
  /** Regular-file paths of the merged tree (hard-link names each count). */
  mergedFiles: number;
  mergedDirs: number;
  mergedSymlinks: number;
  mergedOther: number;
  /** Σ layers[].wastedBytes = layerBytes − mergedBytes. */
  wastedBytes: number;
  overwrittenBytes: number;
  deletedBytes: number;
  /** Bytes of the layer blobs as stored (compressed where they are). */
  blobBytes: number;
  /** Bytes of the uncompressed layer tars. */
  tarBytes: number;
  entries: number;
}

export interface Analysis {
  image: ResolvedImage;
  paths: PathTable;
  tree: MergedTree;
  layers: LayerSummary[];
  totals: Totals;
  dive: DiveFigures;
  /** Who owns every byte (null when owner attribution was turned off). */
  owners: OwnersAnalysis | null;
  /** Dynamic-section info of the ELF files in the merged tree, by node (null unless asked for). */
  elf: Map<number, ElfInfo> | null;
  /** Header names of rootmaps (and headers, scope `headers`) in the merged tree (null unless asked for). */
  includes: IncludeGraph | null;
  findings: Finding[];
}

export interface AnalyzeOptions extends ReadImageOptions {
  /** Attribute bytes to packages and products (default true). */
  owners?: boolean;
  /** Read the dynamic section of ELF files (for prune safety checks; default false). */
  elf?: boolean;
  /** Read rootmaps' header lines, or those and every header's `#include` lines (default: neither). */
  includes?: IncludeScope;
  /** Most header names and characters kept (default INCLUDE_LIMITS). */
  includeLimits?: IncludeLimits;
}

export async function analyzeImage(input: string, opts: AnalyzeOptions = {}): Promise<Analysis> {
  const store = opts.owners === false ? null : new CaptureStore(ownersWant);
  const elfStore = opts.elf ? new ElfStore() : null;
  const includeStore = opts.includes ? new IncludeStore(opts.includes, opts.includeLimits) : null;
  // The owners' databases are never ELF files or headers; a dictionary library is both an ELF file
  // and a carrier of #include lines, so those two readers share it.
  const capture = (): CaptureHook | null => {
    const hooks = [store?.hook(), elfStore?.hook(), includeStore?.hook()].filter((h): h is CaptureHook => h !== undefined);
    if (hooks.length <= 1) return hooks[0] ?? null;
    return (...args) => {
      let out: EntryConsumer | null = null;
      for (const h of hooks) {
        const c = h(...args);
        if (c) out = out ? teeConsumers(out, c) : c;
      }
      return out;
    };
  };
  const { image, paths } = await readImage(input, { ...opts, ...(store || elfStore || includeStore ? { capture } : {}) });
  const a = buildAnalysis(image, paths);
  if (store) {
    a.owners = await collectOwners(a.tree, store);
    a.findings.push(...a.owners.findings);
  }
  if (elfStore) {
    const v = elfStore.visible(a.tree);
    a.elf = v.byNode;
    a.findings.push(...v.findings);
  }
  if (includeStore) a.includes = includeStore.visible(a.tree);
  return a;
}

/** Pure: merges the layers of a read image and summarises. */
export function buildAnalysis(image: ResolvedImage, paths: PathTable): Analysis {
  const merged = mergeLayers(paths, image.layers.map((l) => l.tree));
  const tree = merged.tree;
  const layers: LayerSummary[] = image.layers.map((l, i) => {
    const st = merged.layerStats[i]!;
    const w = st.waste;
    return {
      index: l.index,
      digest: l.digest,
      blobDigest: l.blobDigest,
      mediaType: l.mediaType,
      compression: l.compression,
      blobSize: l.blobSize,
      tarSize: l.tarSize,
      command: l.command,
      created: l.created,
      size: l.tree.regularBytes,
      entries: l.entries,
      counts: { ...l.tree.counts },
      wastedBytes: w.overwrittenBytes + w.deletedBytes,
      waste: w,
      changes: st.changes,
      diveSize: l.tree.headerBytes,
      topFiles: st.topFiles.map((t) => ({ path: `/${paths.pathOf(t.node)}`, size: t.size })),
    };
  });
  const kinds = tree.countByKind();
  const sum = (f: (l: LayerSummary) => number) => layers.reduce((s, l) => s + f(l), 0);
  const totals: Totals = {
    layers: layers.length,
    layerBytes: sum((l) => l.size),
    mergedBytes: tree.cumulativeBytes(0),
    mergedFiles: kinds.files,
    mergedDirs: kinds.dirs,
    mergedSymlinks: kinds.symlinks,
    mergedOther: kinds.devices + kinds.fifos + kinds.other + kinds.danglingHardlinks,
    wastedBytes: sum((l) => l.wastedBytes),
    overwrittenBytes: sum((l) => l.waste.overwrittenBytes),
    deletedBytes: sum((l) => l.waste.deletedBytes),
    blobBytes: sum((l) => l.blobSize),
    tarBytes: sum((l) => l.tarSize),
    entries: sum((l) => l.entries),
  };
  return {
    image,
    paths,
    tree,
    layers,
    totals,
    dive: merged.dive,
    owners: null,
    elf: null,
    includes: null,
    findings: [...image.findings, ...merged.findings],
  };
}
