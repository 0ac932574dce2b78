/**
 * The files of the owners chosen in the Owners pane, marked over a file source: computed once per
 * choice (one pass over the nodes), then read per visible row.
 */
import type { FilterInput } from './tree-filter.js';

export interface OwnerChoice {
  /** Owner indices (into analysis.owners.owners). */
  owners: readonly number[];
  /** What the user chose: an owner id, or a group such as `ups:root` or `ups:root/v6_12_06a`. */
  label: string;
  /** A shorter label for narrow places (`ups:root v6_12_06a e17:prof`). */
  short: string;
  bytes: number;
  files: number;
}

export interface Highlight {
  choice: OwnerChoice;
  /** Per node: bit 1 = owned by the choice, bit 2 = holds such a node below it. */
  bits: Uint8Array;
}

export const OWNED = 1;
export const HOLDS = 2;

export function computeHighlight(choice: OwnerChoice, nodeOwner: Int32Array, input: Pick<FilterInput, 'count' | 'parent' | 'present'>): Highlight {
  const { count, parent } = input;
  let max = 0;
  for (const o of choice.owners) if (o > max) max = o;
  const set = new Uint8Array(max + 1);
  for (const o of choice.owners) set[o] = 1;
  const bits = new Uint8Array(count);
  for (let node = 1; node < count; node++) {
    const o = nodeOwner[node]!;
    if (o >= 0 && o < set.length && set[o] === 1 && input.present(node)) bits[node] = OWNED;
  }
  for (let node = count - 1; node > 0; node--) if (bits[node] !== 0) bits[parent[node]!]! |= HOLDS;
  return { choice, bits };
}
