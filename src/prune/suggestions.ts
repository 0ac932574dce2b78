/**
 * What to look at next when a plan misses its target: the owners and directories holding the most
 * bytes that stay and that no keep rule protects (protected bytes are not a suggestion). Directories
 * are taken from depth 1 to 4; one that only wraps a subdirectory holding 99% of its remaining bytes
 * or more is left out for the deeper one.
 */
import { Kind } from '../tree/layer-index.js';
import type { CompiledRules } from './compile.js';
import type { Decisions } from './evaluate.js';
import type { PlanSuggestion } from './types.js';

const MAX_DIR_DEPTH = 4;

interface Scratch {
  credited: Uint8Array;
  dirBytes: Float64Array;
  dirFiles: Float64Array;
}
const scratches = new WeakMap<CompiledRules, Scratch>();

/** Working arrays reused across evaluations of one compiled rule set (zeroed here). */
function scratchFor(c: CompiledRules): Scratch {
  let sc = scratches.get(c);
  if (!sc) {
    const N = c.analysis.paths.size;
    sc = { credited: new Uint8Array(c.analysis.tree.cols.inodeSize.length), dirBytes: new Float64Array(N), dirFiles: new Float64Array(N) };
    scratches.set(c, sc);
  } else {
    sc.credited.fill(0);
    sc.dirBytes.fill(0);
    sc.dirFiles.fill(0);
  }
  return sc;
}
/** A directory whose one subdirectory holds this share of its bytes is left out for that subdirectory. */
const WRAPPER_SHARE = 0.99;

export function suggest(compiled: CompiledRules, d: Decisions, count: number): PlanSuggestion[] {
  const a = compiled.analysis;
  const { tree, paths } = a;
  const N = paths.size;
  const state = tree.cols.state;
  const inode = tree.cols.inode;
  const inodeSize = tree.cols.inodeSize;
  const { credited, dirBytes, dirFiles } = scratchFor(compiled);
  const owners = a.owners?.owners ?? [];
  const nodeOwner = a.owners?.nodeOwner ?? null;
  const ownerBytes = new Float64Array(owners.length);
  const ownerFiles = new Float64Array(owners.length);
  for (let n = 1; n < N; n++) {
    if (state[n] !== Kind.File + 1 || !d.written[n] || d.keptBy[n]! >= 0) continue;
    const ino = inode[n]!;
    let b = 0;
    if (ino >= 0 && !credited[ino]) {
      credited[ino] = 1;
      // a stripped file stays with what is left of it
      b = d.inodeStrippedSize[ino]! >= 0 ? d.inodeStrippedSize[ino]! : inodeSize[ino]!;
    }
    dirBytes[n] = b;
    dirFiles[n] = 1;
    const o = nodeOwner !== null ? nodeOwner[n]! : -1;
    if (o >= 0) {
      ownerBytes[o]! += b;
      ownerFiles[o]!++;
    }
  }
  for (let n = N - 1; n > 0; n--) {
    if (state[n] === 0 || !d.written[n]) continue;
    const p = paths.parent[n]!;
    dirBytes[p]! += dirBytes[n]!;
    dirFiles[p]! += dirFiles[n]!;
  }

  const out: PlanSuggestion[] = [];
  const ownerOrder = owners.map((_, i) => i).filter((i) => ownerBytes[i]! > 0);
  ownerOrder.sort((x, y) => ownerBytes[y]! - ownerBytes[x]! || (owners[x]!.id < owners[y]!.id ? -1 : 1));
  for (const i of ownerOrder.slice(0, count)) out.push({ kind: 'owner', id: owners[i]!.id, bytes: ownerBytes[i]!, files: ownerFiles[i]! });

  const depth = paths.depth;
  const wrapper = (n: number): boolean => {
    // the child directory holding (nearly) all of the bytes, if there is one
    let only = -1;
    for (const c of tree.children(n)) {
      if (!d.written[c] || dirBytes[c] === 0) continue;
      if (dirBytes[c]! >= WRAPPER_SHARE * dirBytes[n]!) only = c;
    }
    return only !== -1 && tree.isDir(only) && depth[only]! <= MAX_DIR_DEPTH && dirBytes[only]! >= WRAPPER_SHARE * dirBytes[n]!;
  };
  const top: number[] = [];
  for (let n = 1; n < N; n++) {
    if (state[n] !== Kind.Dir + 1 || !d.written[n] || depth[n]! > MAX_DIR_DEPTH || dirBytes[n] === 0) continue;
    const b = dirBytes[n]!;
    if (top.length === count && b <= dirBytes[top[count - 1]!]!) continue;
    if (wrapper(n)) continue;
    let i = top.length;
    while (i > 0 && dirBytes[top[i - 1]!]! < b) i--;
    top.splice(i, 0, n);
    if (top.length > count) top.pop();
  }
  for (const n of top) out.push({ kind: 'dir', id: `/${paths.pathOf(n)}`, bytes: dirBytes[n]!, files: dirFiles[n]! });
  return out;
}
