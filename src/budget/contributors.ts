/** The "largest contributors" lists budgets attach to their results. */
import type { Analysis, LayerSummary } from '../analysis/analyze.js';
import type { Owner } from '../owners/types.js';
import { oneLine, truncate } from '../report/format.js';
import type { Contributor } from './types.js';

export function layerId(l: LayerSummary): string {
  return l.digest ?? l.blobDigest ?? `layer-${l.index}`;
}

export function layerContributor(l: LayerSummary, bytes: number): Contributor {
  const cmd = oneLine(l.command);
  return { kind: 'layer', id: layerId(l), index: l.index, bytes, ...(cmd ? { detail: truncate(cmd, 120) } : {}) };
}

/** Layers by a metric, largest first (or smallest first), ties by index. */
export function topLayers(a: Analysis, n: number, metric: (l: LayerSummary) => number, order: 'desc' | 'asc' = 'desc'): Contributor[] {
  const sign = order === 'desc' ? -1 : 1;
  return [...a.layers]
    .sort((x, y) => sign * (metric(x) - metric(y)) || x.index - y.index)
    .filter((l) => order === 'asc' || metric(l) > 0)
    .slice(0, n)
    .map((l) => layerContributor(l, metric(l)));
}

export function ownerContributor(o: Owner): Contributor {
  const detail = o.kind === 'ups' && o.level ? `ups ${o.level}` : o.version ? `${o.kind} ${o.version}` : o.kind;
  return { kind: 'owner', id: o.id, bytes: o.bytes, detail };
}

export function topOwners(a: Analysis, n: number): Contributor[] {
  if (!a.owners) return [];
  return a.owners.owners.filter((o) => o.bytes > 0).slice(0, n).map(ownerContributor);
}

export function topDirectories(a: Analysis, n: number): Contributor[] {
  return a.tree.largestDirectories(n).map((d) => ({ kind: 'directory', id: `/${a.tree.pathOf(d.node)}`, bytes: d.size }));
}

/** Owners when attributed, else directories: what takes the space of the merged tree. */
export function topHolders(a: Analysis, n: number): Contributor[] {
  return a.owners ? topOwners(a, n) : topDirectories(a, n);
}

/**
 * Paths whose bytes became wasted (a file overwritten or deleted by a later layer), largest first.
 * A scan over the merged tree's per-node wasted bytes.
 */
export function topWastedPaths(a: Analysis, n: number): Contributor[] {
  const wastedAt = a.tree.cols.wastedAt;
  const out: { node: number; bytes: number }[] = [];
  for (const [node, w] of wastedAt) {
    if (w <= 0) continue;
    if (out.length === n && w <= out[n - 1]!.bytes) continue;
    let i = out.length;
    while (i > 0 && out[i - 1]!.bytes < w) i--;
    out.splice(i, 0, { node, bytes: w });
    if (out.length > n) out.pop();
  }
  return out.map(({ node, bytes }) => ({
    kind: 'path',
    id: `/${a.tree.pathOf(node)}`,
    bytes,
    detail: a.tree.isPresent(node) ? 'overwritten by a later layer' : 'deleted by a later layer',
  }));
}
