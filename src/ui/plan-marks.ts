/**
 * What the current prune plan removes, per node of the merged tree: the bytes it drops at and under
 * each path, from the plan's per-node `dropped` flags (one reverse pass per plan). A file counts its
 * own bytes (a second hard-link name counts 0, as in the merged tree's sizes).
 */
import type { MergedTree } from '../tree/merged-tree.js';

export interface PlanMarks {
  dropped: ArrayLike<number>;
  /** Bytes the plan removes at and under each node. */
  droppedBytes: Float64Array;
}

export function planMarks(tree: MergedTree, dropped: ArrayLike<number>): PlanMarks {
  const n = tree.nodeCount;
  const bytes = new Float64Array(n);
  const parent = tree.paths.parent;
  for (let node = n - 1; node > 0; node--) {
    if (dropped[node] && tree.isFile(node)) bytes[node]! += tree.ownBytesOf(node);
    if (bytes[node] !== 0) bytes[parent[node]!]! += bytes[node]!;
  }
  return { dropped, droppedBytes: bytes };
}
