/**
 * Gives every path of the image exactly one owner, so owner bytes always sum to the total.
 *
 * Precedence (documented in README, "Who owns a path"):
 *  1. a package database that lists the path (dpkg, rpm, apk); when several list it, the first
 *     collector in that order and the first package in database order;
 *  2. the nearest enclosing install scope: a Spack prefix or a UPS product build, version or
 *     product directory (a deeper scope wins over the one around it);
 *  3. otherwise the directory group `dir:/<first>/<second>` of the path's directory.
 *
 * Paths no longer present (deleted by a later layer) get owners too, so per-owner wasted bytes and
 * per-layer bytes cover everything stored.
 */
import type { Finding } from '../findings.js';
import { Kind } from '../tree/layer-index.js';
import type { MergedTree } from '../tree/merged-tree.js';
import { NO_NODE, ROOT } from '../tree/path-table.js';
import type { Claims, Owner } from './types.js';

export interface OwnersResult {
  /** Sorted by bytes, largest first. */
  owners: Owner[];
  /** Owner index (into `owners`) per node; -1 for directories outside any scope. */
  nodeOwner: Int32Array;
  findings: Finding[];
}

export function attributeOwners(tree: MergedTree, allClaims: Claims[]): OwnersResult {
  const paths = tree.paths;
  const n = paths.size;
  const L = tree.layers.length;
  const drafts: Claims['owners'] = [];
  const byId = new Map<string, number>();
  const add = (o: Claims['owners'][number]): number => {
    const existing = byId.get(o.id);
    if (existing !== undefined) return existing;
    byId.set(o.id, drafts.length);
    drafts.push(o);
    return drafts.length - 1;
  };

  // Exact claims first (collector order), then scopes; Maps, since most nodes have neither.
  const exact = new Map<number, number>();
  const scope = new Map<number, number>();
  const findings: Finding[] = [];
  for (const c of allClaims) {
    findings.push(...c.findings);
    const map = c.owners.map((o) => add(o));
    for (const [node, i] of c.exact) if (!exact.has(node)) exact.set(node, map[i]!);
    for (const [node, i] of c.scopes) if (!scope.has(node)) scope.set(node, map[i]!);
  }
  // One pass in node order (a parent's id is smaller than its children's): each node inherits the
  // scope of its parent; an unowned file falls into the group of its directory's ancestor at depth
  // 1 or 2 (/etc, /mu2e/Offline). No path strings, except one per group.
  const nodeOwner = new Int32Array(n).fill(-1);
  const groupNode = new Int32Array(n); // per directory: the directory that names its group
  const groupOwners = new Map<number, number>();
  const parent = paths.parent;
  const fc = paths.firstChild;
  const depth = paths.depth;
  for (let node = 0; node < n; node++) {
    const isDirNode = node === ROOT || (tree.isPresent(node) ? tree.isDir(node) : fc[node] !== NO_NODE);
    const p = node === ROOT ? -1 : parent[node]!;
    if (isDirNode) groupNode[node] = node === ROOT || depth[node]! <= 2 ? node : groupNode[p]!;
    const sc = scope.get(node);
    const owner = sc !== undefined ? sc : p >= 0 ? nodeOwner[p]! : -1;
    const ex = exact.get(node);
    if (ex !== undefined) nodeOwner[node] = ex;
    else if (owner !== -1) nodeOwner[node] = owner;
    else if (!isDirNode) {
      const gn = groupNode[p]!;
      let g = groupOwners.get(gn);
      if (g === undefined) {
        const key = gn === ROOT ? '/' : `/${paths.pathOf(gn)}`;
        g = add({ id: `dir:${key}`, kind: 'dir', name: key, version: null, declaredBytes: null });
        groupOwners.set(gn, g);
      }
      nodeOwner[node] = g;
    }
  }

  // Figures per owner.
  const bytes = new Float64Array(drafts.length);
  const files = new Float64Array(drafts.length);
  const wasted = new Float64Array(drafts.length);
  const layerBytes = Array.from({ length: drafts.length }, () => new Float64Array(L));
  for (let node = 1; node < n; node++) {
    const o = nodeOwner[node]!;
    if (o < 0) continue;
    if (tree.isFile(node)) {
      bytes[o]! += tree.ownBytesOf(node);
      files[o]! += 1;
    }
  }
  for (const [node, w] of tree.cols.wastedAt) {
    const o = nodeOwner[node]!;
    if (o >= 0) wasted[o]! += w;
  }
  for (let l = 0; l < L; l++) {
    const li = tree.layers[l]!;
    for (let i = 0; i < li.count; i++) {
      if (li.kind[i] !== Kind.File) continue;
      const o = nodeOwner[li.node[i]!]!;
      if (o >= 0) layerBytes[o]![l]! += li.size[i]!;
    }
  }
  const owners: Owner[] = drafts.map((d, i) => ({
    ...d,
    bytes: bytes[i]!,
    files: files[i]!,
    layerBytes: Array.from(layerBytes[i]!),
    wastedBytes: wasted[i]!,
  }));
  // Sort by bytes and remap node owners to the sorted order.
  const order = owners.map((_, i) => i).sort((a, b) => owners[b]!.bytes - owners[a]!.bytes || (owners[a]!.id < owners[b]!.id ? -1 : 1));
  const rank = new Int32Array(order.length);
  order.forEach((old, i) => (rank[old] = i));
  for (let node = 0; node < n; node++) if (nodeOwner[node]! >= 0) nodeOwner[node] = rank[nodeOwner[node]!]!;
  return { owners: order.map((i) => owners[i]!), nodeOwner, findings };
}

