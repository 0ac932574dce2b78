/**
 * Receives one layer blob as a byte stream (from an outer archive entry or a blob file), sniffs its
 * compression, decompresses, parses the tar, and builds the LayerIndex. Errors are kept in the
 * result instead of thrown: a broken blob matters only if the chosen image references it.
 */
import { createHash, type Hash } from 'node:crypto';
import type { Finding } from '../findings.js';
import { quoteName, TarFormatError, TarStreamParser, type EntryConsumer, type TarHandler } from '../tar/stream-parser.js';
import { LayerBuilder, type CaptureHook } from '../tree/layer-builder.js';
import type { LayerIndex } from '../tree/layer-index.js';
import { PathTable } from '../tree/path-table.js';
import { createDecompressor, InflateLimitError, type Decompressor, type InflateBound } from './decompress.js';
import { describeHead, sniff, SNIFF_BYTES, type BlobKind } from './sniff.js';

export interface LayerReadResult {
  index: LayerIndex;
  findings: Finding[];
  compression: 'none' | 'gzip' | 'zstd';
  /** Bytes of the blob as stored. */
  blobSize: number;
  /** Bytes of the uncompressed tar. */
  tarSize: number;
  /** Tar entries, meta headers excluded. */
  entries: number;
  /** sha256 of the stored blob, when hashing was on. */
  blobDigest: string | null;
  /** sha256 of the uncompressed tar (the diff_id), when hashing was on. */
  diffId: string | null;
  error: Error | null;
}

export interface LayerSinkOptions {
  /** Where paths are interned (null with a custom `handler`, which builds no index). */
  paths: PathTable | null;
  capture?: CaptureHook | null;
  /** Hash the stored and uncompressed bytes (needed to verify digests). */
  hash: boolean;
  /** Called once the kind is known; a blob that is not a tar (or compressed tar) aborts the sink. */
  onKind?: (kind: BlobKind) => void;
  /** Send entries here instead of building a LayerIndex (the prune writer's second pass). */
  handler?: TarHandler;
  /** Bound on the inflated size of a compressed blob (decompression bombs). */
  bound?: InflateBound;
}

export class LayerSink implements EntryConsumer {
  private head: Buffer | null = Buffer.allocUnsafe(SNIFF_BYTES);
  private headFill = 0;
  private blobSize = 0;
  private readonly blobHash: Hash | null;
  private diffHash: Hash | null = null;
  private decompressor: Decompressor | null = null;
  private parser: TarStreamParser | null = null;
  private builder: LayerBuilder;
  private compression: LayerReadResult['compression'] = 'none';
  private error: Error | null = null;
  private innerHead: Buffer | null = null;
  private innerFill = 0;
  private tarSize = 0;
  kind: BlobKind | null = null;

  constructor(private readonly opts: LayerSinkOptions) {
    this.builder = new LayerBuilder(opts.paths ?? new PathTable(), opts.capture ?? null);
    this.blobHash = opts.hash ? createHash('sha256') : null;
  }

  write(chunk: Uint8Array): void | boolean | Promise<void | boolean> {
    if (this.error) return false;
    this.blobSize += chunk.length;
    this.blobHash?.update(chunk);
    if (this.head) {
      const take = Math.min(SNIFF_BYTES - this.headFill, chunk.length);
      this.head.set(chunk.subarray(0, take), this.headFill);
      this.headFill += take;
      if (this.headFill < SNIFF_BYTES) return;
      const head = this.head;
      this.head = null;
      const r1 = this.start(head);
      const rest = chunk.subarray(take);
      if (rest.length === 0) return r1;
      if (r1 instanceof Promise) return r1.then(() => this.forward(rest));
      return this.forward(rest);
    }
    return this.forward(chunk);
  }

  /** Decides what the blob is from its first bytes and feeds them on. */
  private start(head: Buffer): void | boolean | Promise<void | boolean> {
    const kind = sniff(head);
    this.kind = kind;
    this.opts.onKind?.(kind);
    if (kind === 'gzip' || kind === 'zstd') {
      this.compression = kind;
      this.innerHead = Buffer.allocUnsafe(SNIFF_BYTES);
      this.decompressor = createDecompressor(kind, (out) => this.onInner(out), this.opts.bound);
      return this.forward(head);
    }
    if (kind === 'tar') {
      this.startTar();
      return this.forward(head);
    }
    this.fail(new Error(kind === 'bzip2' || kind === 'xz'
      ? `layer is ${kind}-compressed, which container images do not use`
      : `not a tar archive (${describeHead(head)})`));
    return false;
  }

  private startTar(): void {
    this.diffHash = this.opts.hash ? (this.compression === 'none' ? null : createHash('sha256')) : null;
    this.parser = new TarStreamParser(this.opts.handler ?? this.builder);
  }

  private forward(chunk: Uint8Array): void | boolean | Promise<void | boolean> {
    if (this.error) return false;
    if (this.decompressor) {
      return this.decompressor.write(chunk).then(
        () => (this.error ? false : undefined),
        (err: Error) => {
          this.fail(decompressError(this.compression, err));
          return false;
        },
      );
    }
    return this.parse(chunk);
  }

  /** Decompressed bytes: sniff the inner head once, then parse. */
  private onInner(chunk: Uint8Array): void | Promise<void> {
    if (this.error) return;
    if (this.innerHead) {
      const take = Math.min(SNIFF_BYTES - this.innerFill, chunk.length);
      this.innerHead.set(chunk.subarray(0, take), this.innerFill);
      this.innerFill += take;
      if (this.innerFill < SNIFF_BYTES) return;
      const head = this.innerHead;
      this.innerHead = null;
      if (sniff(head) !== 'tar') {
        this.fail(new Error(`${this.compression} data is not a tar archive (${describeHead(head)})`));
        return;
      }
      this.startTar();
      const r = this.parse(head);
      const rest = chunk.subarray(take);
      if (rest.length === 0) return r as void | Promise<void>;
      if (r instanceof Promise) return r.then(() => this.parse(rest)).then(() => undefined);
      return this.parse(rest) as void | Promise<void>;
    }
    return this.parse(chunk) as void | Promise<void>;
  }

  private parse(chunk: Uint8Array): void | boolean | Promise<void | boolean> {
    if (this.error || !this.parser) return false;
    this.tarSize += chunk.length;
    this.diffHash?.update(chunk);
    return this.parser.push(chunk).then(
      () => (this.error ? false : undefined),
      (err: Error) => {
        this.fail(err);
        return false;
      },
    );
  }

  async end(): Promise<void> {
    if (this.error) return;
    if (this.head) {
      // Blob shorter than a tar block.
      const head = this.head.subarray(0, this.headFill);
      this.head = null;
      if (this.headFill === 0) {
        this.fail(new Error('blob is empty'));
        return;
      }
      const r = this.start(Buffer.from(head));
      if (r instanceof Promise) await r;
      if (this.error) return;
    }
    if (this.decompressor) {
      try {
        await this.decompressor.end();
      } catch (err) {
        this.fail(decompressError(this.compression, err as Error));
        return;
      }
      if (this.innerHead) {
        const head = this.innerHead.subarray(0, this.innerFill);
        this.innerHead = null;
        if (this.innerFill === 0 || sniff(padBlock(head)) !== 'tar') {
          this.fail(new Error(`${this.compression} data is not a tar archive (${describeHead(head)})`));
          return;
        }
        this.startTar();
        await this.parse(head);
      }
    }
    if (this.error || !this.parser) return;
    try {
      this.parser.finish();
    } catch (err) {
      this.fail(err as Error);
      return;
    }
    if (!this.parser.sawEndMarker && this.parser.entries > 0) {
      this.builder.findings.push({
        severity: 'warning',
        code: 'tar-no-end-marker',
        message: 'layer tar ends without the end-of-archive marker (possibly truncated at an entry boundary)',
      });
    }
  }

  private fail(err: Error): void {
    if (this.error) return;
    this.error = err instanceof TarFormatError ? new Error(`corrupt tar: ${err.message}`) : err;
    // A bomb is named by the entry it was inflating.
    if (err instanceof InflateLimitError && this.parser?.lastEntry) this.error = new Error(`${err.message} (inside ${quoteName(this.parser.lastEntry)})`);
  }

  result(): LayerReadResult {
    this.builder.index.compact();
    const blobDigest = this.blobHash ? `sha256:${this.blobHash.digest('hex')}` : null;
    let diffId: string | null = null;
    if (this.opts.hash) diffId = this.diffHash ? `sha256:${this.diffHash.digest('hex')}` : blobDigest;
    return {
      index: this.builder.index,
      findings: this.builder.findings,
      compression: this.compression,
      blobSize: this.blobSize,
      tarSize: this.compression === 'none' ? this.blobSize : this.tarSize,
      entries: this.parser?.entries ?? 0,
      blobDigest,
      diffId,
      error: this.error,
    };
  }
}

function decompressError(kind: string, err: Error): Error {
  if (err instanceof InflateLimitError) return err;
  const msg = err.message || String(err);
  if (/unexpected end of file/i.test(msg)) return new Error(`${kind} data is truncated`);
  if (msg.startsWith(kind)) return new Error(msg);
  return new Error(`${kind} data is corrupt: ${msg}`);
}

function padBlock(head: Uint8Array): Uint8Array {
  if (head.length >= SNIFF_BYTES) return head;
  const b = new Uint8Array(SNIFF_BYTES);
  b.set(head);
  return b;
}
