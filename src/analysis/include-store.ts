/**
 * Reads, while layers go by, the header names that ROOT dictionaries need: the `header` lines (and
 * libraries) of every `*.rootmap` and, when asked, the `#include` lines of every header and of every
 * dictionary library's embedded payload. Only the names are kept (interned once each), never the
 * files; afterwards it hands out those of the copies the merged tree shows, by node.
 */
import type { EntryConsumer } from '../tar/stream-parser.js';
import { grow } from '../util/growable.js';
import { Kind, type LayerIndex } from '../tree/layer-index.js';
import type { CaptureHook } from '../tree/layer-builder.js';
import type { MergedTree } from '../tree/merged-tree.js';
import { NameTable } from '../tree/name-table.js';
import { forEachInclude, forEachRootmapHeader, forEachRootmapLibrary, isDictionaryLibraryPath, isHeaderPath, isRootmapPath } from './include-scan.js';

/** Headers are read up to this many bytes; a larger one makes the graph incomplete. */
export const MAX_HEADER_READ = 16 * 1024 * 1024;
/** Dictionary libraries likewise (their payload is in `.rodata`, anywhere in the file). */
export const MAX_LIBRARY_READ = 64 * 1024 * 1024;

/** What a file of the graph is: a header, a rootmap, or a dictionary library (its payload). */
export const HEADER = 0;
export const ROOTMAP = 1;
export const DICTIONARY_LIBRARY = 2;

/**
 * What the names may cost at most (a hostile image could hold millions of headers of nothing but
 * #include lines): past either limit reading stops and the graph is incomplete. The demo image at
 * scale 1 uses 3.6M references and 1.7M characters.
 */
export interface IncludeLimits {
  refs: number;
  characters: number;
}
export const INCLUDE_LIMITS: IncludeLimits = { refs: 32 * 1024 * 1024, characters: 32 * 1024 * 1024 };

/** What was read: `rootmaps` (their header lines only) or `headers` (rootmaps and every header's includes). */
export type IncludeScope = 'rootmaps' | 'headers';

/**
 * Header names per file, in columns (156k headers at scale 1 of the demo image: an object and a
 * typed array per file, with the names in a Map of strings, cost 30–60 MB more, measured): ids
 * into `names`, an `<x>` name stored as −1 − id.
 */
export interface IncludeGraph {
  scope: IncludeScope;
  /**
   * Why some names were not read (a header over MAX_HEADER_READ, a limit reached), or null. Rules
   * then treat every file as needed by a dictionary: keeping too much is safe, too little is not.
   */
  incomplete: string | null;
  /** Every name read, by id (Latin-1). */
  names: NameTable;
  /** Visible rootmaps and (scope `headers`) headers: node → file index. */
  fileOf: Map<number, number>;
  /** Per file: its node. */
  node: Int32Array;
  /** Per file: HEADER, ROOTMAP or DICTIONARY_LIBRARY. */
  kind: Uint8Array;
  /** Per file: the header names it uses (`refs.view(f)`). */
  refs: Runs;
  /** Per file: the libraries a rootmap maps classes to (`libs.view(f)`; empty for the others). */
  libs: Runs;
}

/** A growing list of id runs, one per file (set in file order): run f is `ids[start[f] .. start[f + 1])`. */
export class Runs {
  private start = new Int32Array(65);
  private ids = new Int32Array(256);

  set(f: number, ids: ArrayLike<number>): void {
    this.start = grow(this.start, f + 2, Int32Array);
    const at = this.start[f]!;
    this.ids = grow(this.ids, at + ids.length, Int32Array);
    for (let i = 0; i < ids.length; i++) this.ids[at + i] = ids[i]!;
    this.start[f + 1] = at + ids.length;
  }

  view(f: number): Int32Array {
    return this.ids.subarray(this.start[f]!, this.start[f + 1]!);
  }
}

/** Files as captured in one layer, in columns. */
class LayerFiles {
  entry = new Int32Array(64);
  kind = new Uint8Array(64);
  readonly refs = new Runs();
  readonly libs = new Runs();
  count = 0;

  add(entryIndex: number, kind: number, refs: readonly number[], libs: readonly number[]): void {
    const f = this.count++;
    this.entry = grow(this.entry, f + 1, Int32Array);
    this.kind = grow(this.kind, f + 1, Uint8Array);
    this.entry[f] = entryIndex;
    this.kind[f] = kind;
    this.refs.set(f, refs);
    this.libs.set(f, libs);
  }
}

export class IncludeStore {
  private readonly byLayer = new Map<LayerIndex, LayerFiles>();
  private readonly names = new NameTable();
  private readonly ids: number[] = [];
  private readonly libIds: number[] = [];
  /** Names stored so far, all files and layers together (for the limit). */
  private stored = 0;
  private incomplete: string | null = null;

  constructor(readonly scope: IncludeScope, private readonly limits: IncludeLimits = INCLUDE_LIMITS) {}

  hook(): CaptureHook {
    return (path, entry, kind, layer, entryIndex) => {
      if (kind !== Kind.File || entry.size === 0) return null;
      const what = isRootmapPath(path) ? ROOTMAP : this.scope === 'rootmaps' ? -1 : isDictionaryLibraryPath(path) ? DICTIONARY_LIBRARY : isHeaderPath(path) ? HEADER : -1;
      if (what < 0) return null;
      if (this.incomplete !== null && this.stored >= this.limits.refs) return null;
      const limit = what === DICTIONARY_LIBRARY ? MAX_LIBRARY_READ : MAX_HEADER_READ;
      if (entry.size > limit) this.incomplete ??= `/${path} is larger than ${limit} bytes and was read only in part`;
      return new TextConsumer(Math.min(entry.size, limit), (data) => {
        const ids = this.ids;
        const libs = this.libIds;
        ids.length = 0;
        libs.length = 0;
        const intern = (list: number[], from: number, to: number, angle: boolean): void => {
          if (this.stored + ids.length + libs.length >= this.limits.refs || this.names.characters + (to - from) > this.limits.characters) {
            this.incomplete ??= `over ${this.limits.refs} header names or ${this.limits.characters} characters of them`;
            this.stored = this.limits.refs;
            return;
          }
          const id = this.names.internBytes(data, from, to);
          list.push(angle ? -1 - id : id);
        };
        (what === ROOTMAP ? forEachRootmapHeader : forEachInclude)(data, (from, to, angle) => intern(ids, from, to, angle));
        if (what === ROOTMAP) forEachRootmapLibrary(data, (from, to) => intern(libs, from, to, false));
        this.stored = Math.min(this.limits.refs, this.stored + ids.length + libs.length);
        let files = this.byLayer.get(layer);
        if (!files) this.byLayer.set(layer, (files = new LayerFiles()));
        files.add(entryIndex, what, ids, libs);
      });
    };
  }

  /** The graph of the copies the merged tree shows. */
  visible(tree: MergedTree): IncludeGraph {
    const picked: [LayerFiles, number, number][] = [];
    for (const [layer, files] of this.byLayer) {
      const L = tree.layers.indexOf(layer);
      if (L < 0) continue;
      for (let f = 0; f < files.count; f++) {
        const node = layer.node[files.entry[f]!]!;
        if (tree.layerOf(node) === L && tree.cols.entry[node] === files.entry[f]) picked.push([files, f, node]);
      }
    }
    const g: IncludeGraph = {
      scope: this.scope,
      incomplete: this.incomplete,
      names: this.names,
      fileOf: new Map(),
      node: new Int32Array(picked.length),
      kind: new Uint8Array(picked.length),
      refs: new Runs(),
      libs: new Runs(),
    };
    picked.forEach(([files, f, node], i) => {
      g.refs.set(i, files.refs.view(f));
      g.libs.set(i, files.libs.view(f));
      g.node[i] = node;
      g.kind[i] = files.kind[f]!;
      g.fileOf.set(node, i);
    });
    this.byLayer.clear();
    return g;
  }
}

/** Collects the first `limit` bytes of an entry, streamed or read at once. */
class TextConsumer implements EntryConsumer {
  private buf: Buffer | null = null;
  private fill = 0;
  private finished = false;
  constructor(private readonly limit: number, private readonly done: (data: Buffer) => void) {}
  write(chunk: Uint8Array): boolean | void {
    this.buf ??= Buffer.allocUnsafe(this.limit);
    const n = Math.min(chunk.length, this.limit - this.fill);
    this.buf.set(chunk.subarray(0, n), this.fill);
    this.fill += n;
    if (this.fill === this.limit) {
      this.end();
      return false;
    }
  }
  end(): void {
    if (this.finished) return;
    this.finished = true;
    this.done(this.buf ? this.buf.subarray(0, this.fill) : Buffer.alloc(0));
  }
  readAt(read: (offset: number, length: number) => Uint8Array | null): void {
    this.finished = true;
    const data = read(0, this.limit);
    if (data) this.done(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }
}
