/**
 * Reading from a regular file or an OCI layout directory without streaming every byte: tar headers
 * are read and contents skipped, nested layer tars included (a layer inside a docker save archive
 * is a byte range of the same file). Compressed layers are streamed from their byte range, several
 * at once, so zlib's thread pool keeps both cores busy. Digests are not verified here (that needs
 * every byte); `--verify` takes the streaming path instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { walkTarRange, WindowReader } from '../tar/seek-walker.js';
import { TarFormatError } from '../tar/stream-parser.js';
import { LayerBuilder } from '../tree/layer-builder.js';
import type { PathTable } from '../tree/path-table.js';
import { emptyMembers, MAX_JSON_BYTES, normalizeMemberPath, parseJson, resolveMember, type ArchiveMembers } from './archive-members.js';
import type { ImageStore } from './image-store.js';
import { LayerSink, type LayerReadResult } from './layer-sink.js';
import { looksLikeImageArchive } from './read-stream.js';
import { describeHead, sniff, SNIFF_BYTES } from './sniff.js';
import type { ReadImageOptions } from './types.js';

const COMPRESSED_CHUNK = 1024 * 1024;
/** Compressed layers decompressed at the same time (zlib runs on libuv's thread pool). */
const CONCURRENCY = 3;

/** Shared progress over all ranges read from one input. */
export class ProgressCounter {
  read = 0;
  constructor(readonly total: number | null, private readonly cb?: (read: number, total: number | null) => void) {}
  add(n: number): void {
    this.read += n;
    this.cb?.(this.read, this.total);
  }
}

/**
 * Parses the layer blob in [start, start + length) of `fd`: a tar is walked by seeking; a gzip or
 * zstd blob is streamed through the decompressor. Errors are kept in the result.
 */
export async function readLayerRange(
  fd: number,
  start: number,
  length: number,
  paths: PathTable,
  opts: ReadImageOptions,
  progress: ProgressCounter,
): Promise<LayerReadResult> {
  const reader = new WindowReader(fd);
  const head = Buffer.from(reader.read(start, Math.min(SNIFF_BYTES, length)));
  const kind = sniff(head.length < SNIFF_BYTES ? Buffer.concat([head, Buffer.alloc(SNIFF_BYTES - head.length)]) : head);
  if (kind === 'tar') {
    const builder = new LayerBuilder(paths, opts.capture?.() ?? null);
    try {
      const r = await walkTarRange(reader, start, length, builder);
      progress.add(length);
      builder.index.compact();
      const findings = [...builder.findings];
      if (!r.sawEndMarker && r.entries > 0) {
        findings.push({ severity: 'warning', code: 'tar-no-end-marker', message: 'layer tar ends without the end-of-archive marker (possibly truncated at an entry boundary)' });
      }
      return { index: builder.index, findings, compression: 'none', blobSize: length, tarSize: length, entries: r.entries, blobDigest: null, diffId: null, error: null };
    } catch (err) {
      builder.index.compact();
      const e = err instanceof TarFormatError ? new Error(`corrupt tar: ${err.message}`) : (err as Error);
      return { index: builder.index, findings: builder.findings, compression: 'none', blobSize: length, tarSize: length, entries: 0, blobDigest: null, diffId: null, error: e };
    }
  }
  // Compressed (or not a layer at all, which the sink reports): stream the range.
  const sink = new LayerSink({ paths, capture: opts.capture?.() ?? null, hash: false, bound: { maxBytes: opts.maxBytes, compressedSize: length } });
  let off = 0;
  while (off < length) {
    const n = Math.min(COMPRESSED_CHUNK, length - off);
    const chunk = Buffer.allocUnsafe(n);
    const got = await readAsync(fd, chunk, start + off);
    if (got === 0) break;
    progress.add(got);
    off += got;
    let w = sink.write(got === n ? chunk : chunk.subarray(0, got));
    if (w instanceof Promise) w = await w;
    if (w === false) break;
  }
  await sink.end();
  return sink.result();
}

function readAsync(fd: number, buf: Buffer, position: number): Promise<number> {
  return new Promise((resolve, reject) => fs.read(fd, buf, 0, buf.length, position, (err, n) => (err ? reject(err) : resolve(n))));
}

/** Runs layer reads with bounded concurrency, memoised by key. */
class LayerCache {
  private readonly results = new Map<string, Promise<LayerReadResult>>();
  private running = 0;
  private readonly queue: (() => void)[] = [];

  get(key: string, start: () => Promise<LayerReadResult>): Promise<LayerReadResult> {
    let p = this.results.get(key);
    if (!p) {
      p = this.slot().then(async (release) => {
        try {
          return await start();
        } finally {
          release();
        }
      });
      this.results.set(key, p);
    }
    return p;
  }

  private slot(): Promise<() => void> {
    const release = () => {
      this.running--;
      this.queue.shift()?.();
    };
    if (this.running < CONCURRENCY) {
      this.running++;
      return Promise.resolve(release);
    }
    return new Promise((resolve) => this.queue.push(() => {
      this.running++;
      resolve(release);
    }));
  }
}

// ---------------------------------------------------------------- archive file

interface Member {
  offset: number;
  size: number;
}

export class SeekArchiveStore implements ImageStore {
  private readonly files = new Map<string, Member>();
  private readonly members: ArchiveMembers = emptyMembers();
  private readonly cache = new LayerCache();

  constructor(
    readonly label: string,
    private readonly fd: number,
    private readonly paths: PathTable,
    private readonly opts: ReadImageOptions,
    private readonly progress: ProgressCounter,
  ) {}

  /** Indexes the outer tar's members (headers only) and reads the small JSON ones. */
  async index(fileSize: number): Promise<'archive' | 'layer'> {
    const reader = new WindowReader(this.fd);
    let mode: 'archive' | 'layer' | null = null;
    await walkTarRange(reader, 0, fileSize, {
      onEntry: (e) => {
        const p = normalizeMemberPath(e.name);
        if (p === '') return null;
        if (mode === null) mode = looksLikeImageArchive(p) ? 'archive' : 'layer';
        if (mode === 'layer') throw new NotAnArchive();
        this.members.order.push(p);
        if (e.type === 'symlink') {
          const dir = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '';
          this.members.links.set(p, normalizeMemberPath(e.linkname.startsWith('/') ? e.linkname : `${dir}/${e.linkname}`));
        } else if (e.type === 'hardlink') {
          this.members.links.set(p, normalizeMemberPath(e.linkname));
        } else if (e.type === 'file') {
          this.files.set(p, { offset: e.dataOffset, size: e.size });
        }
        return null;
      },
    }).catch((err) => {
      if (err instanceof NotAnArchive) return;
      throw err;
    });
    if (mode === null) throw new InputError(`${this.label}: the archive is empty`);
    if (mode === 'layer') return 'layer';
    // Sniff every member once; keep JSON documents (small), note what is neither JSON nor a layer.
    for (const [p, m] of this.files) {
      if (m.size === 0) {
        this.members.other.set(p, { size: 0, why: 'it is empty' });
        continue;
      }
      const head = reader.read(m.offset, Math.min(SNIFF_BYTES, m.size));
      const kind = sniff(head.length < SNIFF_BYTES ? Buffer.concat([head, Buffer.alloc(SNIFF_BYTES - head.length)]) : head);
      if (kind === 'json') {
        if (m.size > MAX_JSON_BYTES) this.members.other.set(p, { size: m.size, why: `it is ${m.size} bytes of JSON, over the ${MAX_JSON_BYTES}-byte limit` });
        else this.members.json.set(p, Buffer.from(reader.read(m.offset, m.size)));
      } else if (kind !== 'tar' && kind !== 'gzip' && kind !== 'zstd') {
        this.members.other.set(p, { size: m.size, why: `it is neither JSON nor a tar layer (${describeHead(head)})` });
      }
    }
    return 'archive';
  }

  get archiveMembers(): ArchiveMembers {
    return this.members;
  }

  has(p: string): boolean {
    const k = resolveMember(this.members, p);
    return this.files.has(k);
  }

  jsonBytes(p: string): Buffer | null {
    return this.members.json.get(resolveMember(this.members, p)) ?? null;
  }

  json(p: string, what: string): unknown {
    const key = resolveMember(this.members, p);
    const buf = this.members.json.get(key);
    if (buf) return parseJson(buf, `${what} "${p}"`);
    const other = this.members.other.get(key);
    if (other) throw new InputError(`${what} "${p}" cannot be read: ${other.why}`);
    if (this.files.has(key)) throw new InputError(`${what} "${p}" is a tar archive, not JSON`);
    throw new InputError(`${what} "${p}" is missing from the archive`);
  }

  layer(p: string): Promise<LayerReadResult> {
    const key = resolveMember(this.members, p);
    const m = this.files.get(key);
    if (!m) return Promise.reject(new InputError(`layer "${p}" is missing from the archive`));
    const other = this.members.other.get(key);
    if (other) return Promise.reject(new InputError(`layer "${p}" cannot be read: ${other.why}`));
    if (this.members.json.has(key)) return Promise.reject(new InputError(`layer "${p}" is a JSON document, not a tar archive`));
    return this.cache.get(key, () => readLayerRange(this.fd, m.offset, m.size, this.paths, this.opts, this.progress));
  }

  prefetch(sources: string[]): void {
    for (const s of sources) this.layer(s).catch(() => undefined);
  }

  locate(p: string): { file: string; offset: number; length: number } | null {
    const m = this.files.get(resolveMember(this.members, p));
    return m ? { file: path.resolve(this.label), offset: m.offset, length: m.size } : null;
  }
}

class NotAnArchive extends Error {}

/** A bare layer tar file, walked by seeking. */
export async function readBareLayerFile(fd: number, size: number, paths: PathTable, opts: ReadImageOptions, progress: ProgressCounter): Promise<LayerReadResult> {
  return readLayerRange(fd, 0, size, paths, opts, progress);
}

// ---------------------------------------------------------------- OCI layout directory

/**
 * An OCI layout (or extracted docker save) directory: JSON read on demand, layer blobs walked by
 * seeking, or streamed and hashed with --verify.
 */
export class LayoutDirStore implements ImageStore {
  private readonly realRoot: string;
  private readonly cache = new LayerCache();
  private readonly fds: number[] = [];

  constructor(
    readonly label: string,
    root: string,
    private readonly paths: PathTable,
    private readonly opts: ReadImageOptions,
    private readonly progress: ProgressCounter,
  ) {
    this.realRoot = fs.realpathSync(root);
  }

  /** Absolute path of a member inside the layout, refusing anything that leaves it. */
  file(member: string): string | null {
    const abs = path.join(this.realRoot, normalizeMemberPath(member));
    let real: string;
    try {
      real = fs.realpathSync(abs);
    } catch {
      return null;
    }
    if (real !== this.realRoot && !real.startsWith(this.realRoot + path.sep)) {
      throw new InputError(`"${member}" resolves outside the image directory`);
    }
    return real;
  }

  has(member: string): boolean {
    const f = this.file(member);
    return f !== null && fs.statSync(f).isFile();
  }

  jsonBytes(member: string): Buffer | null {
    const f = this.file(member);
    if (!f || !fs.statSync(f).isFile()) return null;
    const size = fs.statSync(f).size;
    if (size > MAX_JSON_BYTES) throw new InputError(`"${member}" is ${size} bytes, over the ${MAX_JSON_BYTES}-byte limit for JSON`);
    return fs.readFileSync(f);
  }

  json(member: string, what: string): unknown {
    const bytes = this.jsonBytes(member);
    if (!bytes) throw new InputError(`${what} "${member}" is missing from the directory`);
    return parseJson(bytes, `${what} "${member}"`);
  }

  layer(member: string): Promise<LayerReadResult> {
    return this.cache.get(member, async () => {
      const f = this.file(member);
      if (!f) throw new InputError(`layer "${member}" is missing from the directory`);
      const fd = fs.openSync(f, 'r');
      this.fds.push(fd);
      const size = fs.fstatSync(fd).size;
      if (size === 0) throw new InputError(`layer "${member}" is empty`);
      if (this.opts.verify === true) return this.streamVerified(fd, size);
      return readLayerRange(fd, 0, size, this.paths, this.opts, this.progress);
    });
  }

  /** --verify: every byte through the hashing layer sink. */
  private async streamVerified(fd: number, size: number): Promise<LayerReadResult> {
    const sink = new LayerSink({ paths: this.paths, capture: this.opts.capture?.() ?? null, hash: true, bound: { maxBytes: this.opts.maxBytes, compressedSize: size } });
    for (let off = 0; off < size; ) {
      const chunk = Buffer.allocUnsafe(Math.min(COMPRESSED_CHUNK, size - off));
      const n = await readAsync(fd, chunk, off);
      if (n === 0) break;
      off += n;
      this.progress.add(n);
      let r = sink.write(n === chunk.length ? chunk : chunk.subarray(0, n));
      if (r instanceof Promise) r = await r;
      if (r === false) break;
    }
    await sink.end();
    return sink.result();
  }

  prefetch(sources: string[]): void {
    for (const s of sources) this.layer(s).catch(() => undefined);
  }

  close(): void {
    for (const fd of this.fds.splice(0)) fs.closeSync(fd);
  }

  locate(member: string): { file: string; offset: number; length: number } | null {
    const f = this.file(member);
    return f ? { file: f, offset: 0, length: fs.statSync(f).size } : null;
  }

  layoutBytes(sources: string[]): number {
    let total = 0;
    for (const s of new Set(sources)) {
      try {
        const f = this.file(s);
        if (f) total += fs.statSync(f).size;
      } catch {
        // missing blobs are reported when read
      }
    }
    return total;
  }
}
