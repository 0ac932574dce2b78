/**
 * One streaming pass over an archive input (a file or stdin): unwraps a whole-archive gzip/zstd,
 * then walks the outer tar. An image archive's members are collected (JSON buffered, layer blobs
 * parsed on the fly, nested tars included); a bare layer tar is indexed directly.
 */
import { createHash, type Hash } from 'node:crypto';
import { InputError } from '../errors.js';
import type { TarEntry } from '../tar/entry.js';
import { TarFormatError, TarStreamParser, type EntryConsumer, type TarHandler } from '../tar/stream-parser.js';
import { LayerBuilder } from '../tree/layer-builder.js';
import type { PathTable } from '../tree/path-table.js';
import { emptyMembers, MAX_JSON_BYTES, normalizeMemberPath, type ArchiveMembers } from './archive-members.js';
import { createDecompressor, type Decompressor } from './decompress.js';
import { LayerSink, type LayerReadResult } from './layer-sink.js';
import { describeHead, sniff, SNIFF_BYTES } from './sniff.js';
import type { Compression, ReadImageOptions } from './types.js';

export type StreamReadResult =
  | { mode: 'archive'; members: ArchiveMembers; outerCompression: Compression; inputBytes: number }
  | { mode: 'layer'; layer: LayerReadResult; outerCompression: Compression; inputBytes: number };

const HEX64 = /^[0-9a-f]{64}(\.json|\.tar|\/.*)?$/;

/** Whether an archive's first member name says "image archive" rather than "root filesystem". */
export function looksLikeImageArchive(memberPath: string): boolean {
  if (memberPath === 'manifest.json' || memberPath === 'index.json' || memberPath === 'oci-layout' || memberPath === 'repositories') return true;
  if (memberPath === 'blobs' || memberPath.startsWith('blobs/')) return true;
  return HEX64.test(memberPath);
}

export async function readArchiveStream(
  source: AsyncIterable<Uint8Array>,
  label: string,
  paths: PathTable,
  opts: ReadImageOptions,
  totalBytes: number | null,
): Promise<StreamReadResult> {
  const hash = opts.verify !== false;
  const outer = new OuterHandler(paths, opts, hash);
  const parser = new TarStreamParser(outer);
  let outerCompression: Compression = 'none';
  let decompressor: Decompressor | null = null;
  let read = 0;
  let head: Buffer | null = Buffer.alloc(0);
  let decided = false;

  const feedTar = async (chunk: Uint8Array): Promise<void> => {
    outer.hashOuter(chunk);
    await parser.push(chunk);
  };
  let innerHead: Buffer | null = null;
  const onInner = async (chunk: Uint8Array): Promise<void> => {
    if (innerHead) {
      innerHead = Buffer.concat([innerHead, chunk]);
      if (innerHead.length < SNIFF_BYTES) return;
      const h = innerHead;
      innerHead = null;
      const kind = sniff(h);
      if (kind !== 'tar') throw new InputError(`${label}: ${outerCompression} data is not a tar archive (${describeHead(h)})`);
      await feedTar(h);
      return;
    }
    await feedTar(chunk);
  };

  const start = async (h: Buffer): Promise<void> => {
    decided = true;
    const kind = sniff(h);
    if (kind === 'gzip' || kind === 'zstd') {
      outerCompression = kind;
      innerHead = Buffer.alloc(0);
      decompressor = createDecompressor(kind, onInner, { maxBytes: opts.maxBytes, compressedSize: totalBytes });
      await decompressor.write(h);
      return;
    }
    if (kind === 'tar') {
      await feedTar(h);
      return;
    }
    if (h.length === 0) throw new InputError(`${label}: input is empty`);
    if (kind === 'json') {
      throw new InputError(`${label}: is a JSON document, not an image archive`, {
        hint: 'to read an OCI image layout, pass its directory',
      });
    }
    throw new InputError(`${label}: not an image: neither a tar archive nor gzip/zstd data (${describeHead(h)})`);
  };

  try {
    for await (const raw of source) {
      const chunk = raw instanceof Uint8Array ? raw : Buffer.from(raw as string);
      read += chunk.length;
      opts.onProgress?.(read, totalBytes);
      if (!decided) {
        head = Buffer.concat([head!, chunk]);
        if (head.length < SNIFF_BYTES) continue;
        const h = head;
        head = null;
        await start(h);
        continue;
      }
      if (decompressor) await (decompressor as Decompressor).write(chunk);
      else await feedTar(chunk);
    }
    if (!decided) await start(head!);
    if (decompressor) {
      await (decompressor as Decompressor).end();
      if (innerHead !== null) {
        const h: Buffer = innerHead;
        if (h.length === 0) throw new InputError(`${label}: ${outerCompression} data is empty`);
        const kind = sniff(padTo(h, SNIFF_BYTES));
        if (kind !== 'tar') throw new InputError(`${label}: ${outerCompression} data is not a tar archive (${describeHead(h)})`);
        await feedTar(h);
      }
    }
    parser.finish();
    outer.finish();
  } catch (err) {
    throw asInputError(label, err);
  }

  if (outer.mode === 'layer') {
    return { mode: 'layer', layer: outer.layerResult(parser), outerCompression, inputBytes: read };
  }
  if (outer.mode === null) {
    throw new InputError(`${label}: the archive is empty`);
  }
  return { mode: 'archive', members: outer.members, outerCompression, inputBytes: read };
}

function padTo(b: Buffer, n: number): Buffer {
  if (b.length >= n) return b;
  const out = Buffer.alloc(n);
  b.copy(out);
  return out;
}

function asInputError(label: string, err: unknown): Error {
  if (err instanceof InputError) return err;
  if (err instanceof TarFormatError) return new InputError(`${label}: corrupt tar: ${err.message}`);
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string' && e.syscall) {
    return new InputError(`${label}: ${e.message}`);
  }
  const msg = err instanceof Error ? err.message : String(err);
  return new InputError(`${label}: ${msg}`);
}

/** Handles the outer tar's entries: decides archive vs bare layer on the first real member. */
class OuterHandler implements TarHandler {
  mode: 'archive' | 'layer' | null = null;
  readonly members = emptyMembers();
  private layerBuilder: LayerBuilder | null = null;
  private outerHash: Hash | null;
  private readonly rootEntries: TarEntry[] = [];

  constructor(
    private readonly paths: PathTable,
    private readonly opts: ReadImageOptions,
    private readonly hash: boolean,
  ) {
    this.outerHash = hash ? createHash('sha256') : null;
  }

  hashOuter(chunk: Uint8Array): void {
    if (this.mode !== 'archive') this.outerHash?.update(chunk);
  }

  onEntry(e: TarEntry): EntryConsumer | null {
    const path = normalizeMemberPath(e.name);
    if (this.mode === null) {
      if (path === '') {
        this.rootEntries.push(e); // "./": replayed into the layer if this is a bare layer tar
        return null;
      }
      this.mode = looksLikeImageArchive(path) ? 'archive' : 'layer';
      if (this.mode === 'layer') {
        this.layerBuilder = new LayerBuilder(this.paths, this.opts.capture?.() ?? null);
        for (const r of this.rootEntries) this.layerBuilder.onEntry(r);
      } else {
        this.outerHash = null;
      }
      this.rootEntries.length = 0;
    }
    if (this.mode === 'layer') return this.layerBuilder!.onEntry(e);

    const m = this.members;
    if (path === '') return null;
    m.order.push(path);
    switch (e.type) {
      case 'dir':
        return null;
      case 'symlink': {
        const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
        m.links.set(path, normalizeMemberPath(e.linkname.startsWith('/') ? e.linkname : `${dir}/${e.linkname}`));
        return null;
      }
      case 'hardlink':
        m.links.set(path, normalizeMemberPath(e.linkname));
        return null;
      case 'file':
        break;
      default:
        m.other.set(path, { size: 0, why: `it is a ${e.type}, not a file` });
        return null;
    }
    if (e.size === 0) {
      m.other.set(path, { size: 0, why: 'it is empty' });
      return null;
    }
    return new MemberSink(path, e.size, this);
  }

  /** Called by a member sink once it knows its member is a layer blob. */
  createLayerSink(size: number): LayerSink {
    const bound = { maxBytes: this.opts.maxBytes, compressedSize: size };
    return new LayerSink({ paths: this.paths, capture: this.opts.capture?.() ?? null, hash: this.hash, bound });
  }

  /** A tar holding nothing but "./" is an empty layer. */
  finish(): void {
    if (this.mode === null && this.rootEntries.length > 0) {
      this.mode = 'layer';
      this.layerBuilder = new LayerBuilder(this.paths, null);
      for (const r of this.rootEntries) this.layerBuilder.onEntry(r);
    }
  }

  layerResult(parser: TarStreamParser): LayerReadResult {
    const b = this.layerBuilder!;
    b.index.compact();
    const digest = this.outerHash ? `sha256:${this.outerHash.digest('hex')}` : null;
    const findings = [...b.findings];
    if (!parser.sawEndMarker && parser.entries > 0) {
      findings.push({ severity: 'warning', code: 'tar-no-end-marker', message: 'the tar ends without the end-of-archive marker (possibly truncated at an entry boundary)' });
    }
    return {
      index: b.index,
      findings,
      compression: 'none',
      blobSize: parser.offset,
      tarSize: parser.offset,
      entries: parser.entries,
      blobDigest: digest,
      diffId: digest,
      error: null,
    };
  }
}

/** One outer-archive member: sniffed, then buffered (JSON) or parsed as a layer blob. */
class MemberSink implements EntryConsumer {
  private head: Buffer | null;
  private headFill = 0;
  private json: Buffer | null = null;
  private jsonFill = 0;
  private layer: LayerSink | null = null;

  constructor(private readonly path: string, private readonly size: number, private readonly outer: OuterHandler) {
    this.head = Buffer.allocUnsafe(Math.min(SNIFF_BYTES, size));
  }

  write(chunk: Uint8Array): void | boolean | Promise<void | boolean> {
    if (this.head) {
      const take = Math.min(this.head.length - this.headFill, chunk.length);
      this.head.set(chunk.subarray(0, take), this.headFill);
      this.headFill += take;
      if (this.headFill < this.head.length) return;
      const head = this.head;
      this.head = null;
      const keep = this.decide(head);
      if (!keep) return false;
      const r = this.deliver(head);
      const rest = chunk.subarray(take);
      if (rest.length === 0) return r;
      if (r instanceof Promise) return r.then((v) => (v === false ? false : this.deliver(rest)));
      if (r === false) return false;
      return this.deliver(rest);
    }
    return this.deliver(chunk);
  }

  private decide(head: Buffer): boolean {
    const kind = sniff(head.length < SNIFF_BYTES ? padded(head) : head);
    const m = this.outer.members;
    if (kind === 'json' && head[0] !== 0) {
      if (this.size > MAX_JSON_BYTES) {
        m.other.set(this.path, { size: this.size, why: `it is ${this.size} bytes of JSON, over the ${MAX_JSON_BYTES}-byte limit` });
        return false;
      }
      this.json = Buffer.allocUnsafe(this.size);
      return true;
    }
    if (kind === 'tar' || kind === 'gzip' || kind === 'zstd') {
      this.layer = this.outer.createLayerSink(this.size);
      return true;
    }
    m.other.set(this.path, { size: this.size, why: `it is neither JSON nor a tar layer (${describeHead(head)})` });
    return false;
  }

  private deliver(chunk: Uint8Array): void | boolean | Promise<void | boolean> {
    if (this.json) {
      this.json.set(chunk, this.jsonFill);
      this.jsonFill += chunk.length;
      return;
    }
    if (this.layer) return this.layer.write(chunk);
    return false;
  }

  async end(): Promise<void> {
    if (this.head) {
      // Member shorter than the sniff window (only possible when size < 512, handled in the ctor).
      const head = this.head.subarray(0, this.headFill);
      this.head = null;
      if (!this.decide(Buffer.from(head))) return;
      const r = this.deliver(head);
      if (r instanceof Promise) await r;
    }
    const m = this.outer.members;
    if (this.json) {
      m.json.set(this.path, this.json.subarray(0, this.jsonFill));
    } else if (this.layer) {
      await this.layer.end();
      m.layers.set(this.path, this.layer.result());
    }
  }
}

function padded(head: Buffer): Buffer {
  const b = Buffer.alloc(SNIFF_BYTES);
  head.copy(b);
  return b;
}
