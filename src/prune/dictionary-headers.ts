/**
 * The headers ROOT dictionaries need: starting from the `header` lines of some rootmaps and the
 * payloads of some dictionary libraries, every header they name and, transitively, every header
 * those `#include` (when the analysis read headers; with rootmaps only, just the named ones). cling parses exactly these when it autoloads a
 * class, so a kept dictionary whose headers are gone fails at run time.
 *
 * A name resolves like a compiler's include path, without knowing the path: `"x"` first next to
 * the includer; otherwise, and for `<x>` and rootmap lines, every regular file whose path ends in
 * `/x` (so `boost/any.hpp` finds `…/include/boost/any.hpp` in any product). Over-matching keeps a
 * header too many, never one too few; rules narrow it down by owner.
 */
import type { Analysis } from '../analysis/analyze.js';
import { HEADER, type IncludeGraph } from '../analysis/include-store.js';
import { NO_NODE, ROOT } from '../tree/path-table.js';

/** One resolved name: who names it and the files it resolved to (in the merged tree, before rules). */
export interface HeaderEdge {
  from: number;
  /** Id into `IncludeGraph.names`. */
  name: number;
  targets: Int32Array;
}

export interface DictionaryHeaders {
  /** Per node: 1 when a seed dictionary needs the file. */
  needed: Uint8Array;
  /** Every name read from a seed or a needed header, resolved (names matching nothing are left out). */
  edges: HeaderEdge[];
  /** Names that matched no file (a system header outside the image, a conditional include…). */
  unresolved: number;
  /** Needed headers. */
  count: number;
}

const NONE = new Int32Array(0);

class Resolver {
  private readonly bySuffix = new Map<number, Int32Array>();
  /** Per name id: its components' name-table ids (null: some component exists nowhere, or `..`). */
  private readonly parts: (Int32Array | null)[];
  /** Per name-table id of a last component: regular files with that name. */
  private readonly withName = new Map<number, number[]>();

  constructor(private readonly a: Analysis, private readonly g: IncludeGraph) {
    const names = a.paths.names;
    this.parts = Array.from({ length: g.names.length }, (_, id) => {
      const n = g.names.get(id);
      const comps = n.split('/').filter((c) => c !== '' && c !== '.');
      if (comps.length === 0 || comps.includes('..')) return null;
      const ids = new Int32Array(comps.length);
      for (let i = 0; i < comps.length; i++) {
        const id = names.find(comps[i]!);
        if (id < 0) return null;
        ids[i] = id;
      }
      return ids;
    });
    const last = new Set<number>();
    for (const p of this.parts) if (p) last.add(p[p.length - 1]!);
    const { nameId } = a.paths;
    const tree = a.tree;
    for (let n = 1; n < a.paths.size; n++) {
      if (!last.has(nameId[n]!) || !tree.isFile(n)) continue;
      let list = this.withName.get(nameId[n]!);
      if (!list) this.withName.set(nameId[n]!, (list = []));
      list.push(n);
    }
  }

  /** Files a reference from `from` resolves to. */
  resolve(from: number, ref: number): Int32Array {
    const angle = ref < 0;
    const id = angle ? -1 - ref : ref;
    if (!angle) {
      const near = this.relative(from, this.g.names.get(id));
      if (near !== NO_NODE) return Int32Array.of(near);
    }
    let hit = this.bySuffix.get(id);
    if (!hit) {
      hit = this.suffix(id);
      this.bySuffix.set(id, hit);
    }
    return hit;
  }

  /** `"name"` next to the includer (`..` allowed), or NO_NODE. */
  private relative(from: number, name: string): number {
    const { paths, tree } = this.a;
    let node = paths.parent[from]!;
    for (const c of name.split('/')) {
      if (c === '' || c === '.') continue;
      if (c === '..') {
        if (node !== ROOT) node = paths.parent[node]!;
        continue;
      }
      node = paths.child(node, c);
      if (node === NO_NODE) return NO_NODE;
    }
    return tree.isFile(node) ? node : NO_NODE;
  }

  private suffix(id: number): Int32Array {
    const parts = this.parts[id];
    if (!parts) return NONE;
    const cands = this.withName.get(parts[parts.length - 1]!);
    if (!cands) return NONE;
    const { parent, nameId } = this.a.paths;
    const out: number[] = [];
    for (const c of cands) {
      let n = parent[c]!;
      let i = parts.length - 2;
      for (; i >= 0 && n !== ROOT; i--, n = parent[n]!) if (nameId[n] !== parts[i]) break;
      if (i < 0) out.push(c);
    }
    return out.length ? Int32Array.from(out) : NONE;
  }
}

/** The closure of the seeds' header names (seeds: rootmap and dictionary-library nodes). */
export function dictionaryHeaders(a: Analysis, seeds: Iterable<number>): DictionaryHeaders {
  const g = a.includes;
  const needed = new Uint8Array(a.paths.size);
  const out: DictionaryHeaders = { needed, edges: [], unresolved: 0, count: 0 };
  if (!g) return out;
  const resolver = new Resolver(a, g);
  const queue: number[] = [];
  const visited = new Uint8Array(a.paths.size);
  for (const s of seeds) {
    if (g.fileOf.has(s) && !visited[s]) {
      visited[s] = 1;
      queue.push(s);
    }
  }
  while (queue.length) {
    const f = queue.pop()!;
    const refs = g.refs.view(g.fileOf.get(f)!);
    for (let i = 0; i < refs.length; i++) {
      const targets = resolver.resolve(f, refs[i]!);
      if (targets.length === 0) {
        out.unresolved++;
        continue;
      }
      out.edges.push({ from: f, name: refs[i]! < 0 ? -1 - refs[i]! : refs[i]!, targets });
      for (const t of targets) {
        if (!needed[t]) {
          needed[t] = 1;
          out.count++;
        }
        if (!visited[t] && g.fileOf.has(t)) {
          visited[t] = 1;
          queue.push(t);
        }
      }
    }
  }
  return out;
}

/** The dictionaries (rootmaps and dictionary libraries) in the merged tree that `kept` says stay. */
export function dictionaryNodes(g: IncludeGraph, kept: (node: number) => boolean): number[] {
  const out: number[] = [];
  for (let f = 0; f < g.node.length; f++) if (g.kind[f] !== HEADER && kept(g.node[f]!)) out.push(g.node[f]!);
  return out;
}
