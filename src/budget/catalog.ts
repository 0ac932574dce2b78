/** What each budget kind measures: its unit, which way it fails, and a description for reports. */
import { bytes, count, percent, signedBytes } from '../report/format.js';
import type { BudgetKind, BudgetUnit } from './types.js';

export interface KindInfo {
  unit: BudgetUnit;
  comparison: 'max' | 'min';
  description: string;
}

export const KINDS: Readonly<Record<BudgetKind, KindInfo>> = {
  'max-size': { unit: 'bytes', comparison: 'max', description: 'image size: Σ regular-file bytes of all layers (uncompressed, what docker images shows)' },
  'max-merged-size': { unit: 'bytes', comparison: 'max', description: 'merged tree: regular-file bytes a container sees (each inode once)' },
  'max-compressed-size': { unit: 'bytes', comparison: 'max', description: 'Σ stored layer blob sizes (compressed where the blobs are)' },
  'max-layers': { unit: 'count', comparison: 'max', description: 'number of layers' },
  'max-layer-size': { unit: 'bytes', comparison: 'max', description: 'the largest single layer (Σ regular-file bytes)' },
  'max-wasted': { unit: 'bytes', comparison: 'max', description: 'wasted bytes: stored in a layer but overwritten or deleted by a later one' },
  'max-wasted-percent': { unit: 'ratio', comparison: 'max', description: 'wasted bytes as a share of the image size' },
  'min-efficiency': { unit: 'ratio', comparison: 'min', description: "dive's image efficiency score" },
  'dive-wasted-bytes': { unit: 'bytes', comparison: 'max', description: "dive's wasted bytes (every copy of a path stored in 2+ layers)" },
  'dive-user-wasted-percent': { unit: 'ratio', comparison: 'max', description: "dive's wasted bytes relative to the bytes added above the base layer" },
  owner: { unit: 'bytes', comparison: 'max', description: 'merged-tree bytes of the matching owners' },
  path: { unit: 'bytes', comparison: 'max', description: 'merged-tree bytes under the matching paths' },
  baseline: { unit: 'bytes', comparison: 'max', description: 'growth of the image size over the baseline image' },
  plan: { unit: 'bytes', comparison: 'max', description: 'merged-tree bytes after pruning with the rule set (must reach the target)' },
};

/** Budget kinds whose name is the kind itself (flags and config keys of the same name). */
export const SCALAR_KINDS = [
  'max-size',
  'max-merged-size',
  'max-compressed-size',
  'max-layers',
  'max-layer-size',
  'max-wasted',
  'max-wasted-percent',
  'min-efficiency',
  'dive-wasted-bytes',
  'dive-user-wasted-percent',
] as const satisfies readonly BudgetKind[];
export type ScalarKind = (typeof SCALAR_KINDS)[number];

/** The budget name for a kind and selector. */
export function budgetName(kind: BudgetKind, selector?: string): string {
  if (kind === 'owner') return `owner:${selector ?? ''}`;
  if (kind === 'path') return `path:${selector ?? ''}`;
  if (kind === 'plan') return `plan:${selector ?? ''}`;
  return kind;
}

/** A measured value or limit for display: "1.2 GB", "12", "87.25%". */
export function formatValue(unit: BudgetUnit, n: number): string {
  if (unit === 'bytes') return bytes(n);
  if (unit === 'count') return count(n);
  return percent(n, 2);
}

/** A difference for display; bytes get a sign, ratios are in percentage points. */
export function formatExcess(unit: BudgetUnit, n: number): string {
  if (unit === 'bytes') return signedBytes(n).replace(/^\+/, '');
  if (unit === 'count') return count(n);
  return `${(n * 100).toFixed(2)} points`;
}
