/**
 * Streaming decompression for gzip and zstd with backpressure. zstd uses node:zlib where the Node
 * version has it (22.15+), otherwise fzstd, a pure-JS decoder that installs without any download.
 */
import zlib from 'node:zlib';
import { Decompress as FzstdDecompress } from 'fzstd';

export type Compression = 'gzip' | 'zstd';

/**
 * Push compressed chunks in; decompressed chunks go to `onData` in order. `write` copies what it
 * keeps: callers may reuse the chunk's memory once the promise resolves (pooled input buffers).
 */
export interface Decompressor {
  write(chunk: Uint8Array): Promise<void>;
  /** Flushes; resolves after the last `onData` call; rejects on corrupt or truncated input. */
  end(): Promise<void>;
}

type OnData = (chunk: Uint8Array) => void | Promise<void>;

const zlibZstd = (zlib as unknown as { createZstdDecompress?: () => zlib.Gunzip }).createZstdDecompress;

/**
 * Decompression bombs: a stream may inflate to at most FLOOR + RATIO × its compressed size (the
 * size declared by the archive or file when known, else the bytes consumed so far). Deflate cannot
 * exceed 1032:1, so no valid gzip stream trips this; zstd reaches 32768:1 (RLE blocks), which only
 * zero-filled files approach. `maxBytes` (--max-bytes) replaces the bound.
 */
export const INFLATE_FLOOR = 256 * 1024 * 1024;
export const INFLATE_RATIO = 1100;

export interface InflateBound {
  /** Exact bound on inflated bytes (--max-bytes); default FLOOR + RATIO × compressed size. */
  maxBytes?: number | undefined;
  /** Size of the compressed stream when known in advance (archive member, blob file, input file). */
  compressedSize?: number | null | undefined;
}

export class InflateLimitError extends Error {}

/**
 * Largest zstd window accepted. The reference decoder refuses frames over 128 MiB by default
 * (windowLog 27); fzstd keeps the whole window and shifts it for every block, so with it whittle
 * stays at 16 MiB (real encoders use 2–8 MiB; zstd --ultra/--long go higher).
 */
export const MAX_ZSTD_WINDOW = zlibZstd ? 128 * 1024 * 1024 : 16 * 1024 * 1024;

export function createDecompressor(kind: Compression, onData: OnData, bound: InflateBound = {}): Decompressor {
  let consumed = 0;
  let produced = 0;
  const counted: OnData = (chunk) => {
    produced += chunk.length;
    const limit = bound.maxBytes ?? INFLATE_FLOOR + INFLATE_RATIO * Math.max(consumed, bound.compressedSize ?? 0);
    if (produced > limit) {
      throw new InflateLimitError(`${kind} data inflates past ${limit} bytes${bound.maxBytes !== undefined ? ' (--max-bytes)' : `, over ${INFLATE_RATIO} times its compressed size (allow more with --max-bytes)`}`);
    }
    return onData(chunk);
  };
  const inner: Decompressor = kind === 'gzip'
    ? new ZlibDecompressor('gzip', zlib.createGunzip({ chunkSize: 256 * 1024 }), counted)
    : zlibZstd ? new ZlibDecompressor('zstd', zlibZstd(), counted, new ZstdScanner()) : new FzstdDecompressor(counted);
  return {
    write(chunk) {
      consumed += chunk.length;
      return inner.write(chunk);
    },
    end: () => inner.end(),
  };
}

/** Human size of a power-of-two window, for messages ("1.9 GiB"). */
function windowText(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number(v.toFixed(1))} ${units[u]}`;
}

const enum Zs {
  Magic,
  Block,
  Payload,
  Skip,
  Opaque,
}

/**
 * Follows zstd frame and block headers as bytes pass by: refuses a frame whose window is over
 * MAX_ZSTD_WINDOW before any decoder allocates it, and reports where each block ends so fzstd can
 * be fed one block at a time (it emits a whole pushed chunk at once: 1 MiB of RLE blocks is 32 GiB).
 */
export class ZstdScanner {
  private state = Zs.Magic;
  private hdr: number[] = [];
  private need = 0;
  private last = false;
  private checksum = false;

  /**
   * True between frames: every frame seen so far ended (its last block and checksum arrived).
   * node:zlib's zstd decoder ends a stream cut inside a frame without an error; this tells.
   */
  get atFrameBoundary(): boolean {
    return (this.state === Zs.Magic && this.hdr.length === 0) || this.state === Zs.Opaque;
  }

  /** Offsets in `chunk` just after each block that ends in it. */
  cuts(chunk: Uint8Array): number[] {
    const out: number[] = [];
    let i = 0;
    while (i < chunk.length) {
      switch (this.state) {
        case Zs.Opaque:
          return out;
        case Zs.Skip:
        case Zs.Payload: {
          const take = Math.min(this.need, chunk.length - i);
          this.need -= take;
          i += take;
          if (this.need > 0) break;
          if (this.state === Zs.Payload) {
            out.push(i);
            if (this.last) {
              this.state = this.checksum ? Zs.Skip : Zs.Magic;
              this.need = this.checksum ? 4 : 0;
              this.last = false;
              this.checksum = false;
            } else this.state = Zs.Block;
          } else this.state = Zs.Magic;
          break;
        }
        case Zs.Block:
          this.hdr.push(chunk[i++]!);
          if (this.hdr.length === 3) {
            const v = this.hdr[0]! | (this.hdr[1]! << 8) | (this.hdr[2]! << 16);
            this.hdr = [];
            this.last = (v & 1) === 1;
            const type = (v >> 1) & 3;
            this.need = type === 1 ? 1 : type === 3 ? 0 : v >>> 3;
            this.state = Zs.Payload;
            if (this.need === 0) {
              out.push(i);
              this.state = this.last ? (this.checksum ? Zs.Skip : Zs.Magic) : Zs.Block;
              this.need = this.last && this.checksum ? 4 : 0;
              if (this.last) this.last = this.checksum = false;
            }
          }
          break;
        case Zs.Magic:
          this.hdr.push(chunk[i++]!);
          this.frameHeader();
          break;
      }
    }
    return out;
  }

  /** Called as frame header bytes arrive; moves on once the header is complete. */
  private frameHeader(): void {
    const h = this.hdr;
    if (h.length < 4) return;
    const magic = (h[0]! | (h[1]! << 8) | (h[2]! << 16) | (h[3]! << 24)) >>> 0;
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      // Skippable frame: 4-byte size, then that many bytes.
      if (h.length < 8) return;
      this.need = (h[4]! | (h[5]! << 8) | (h[6]! << 16) | (h[7]! << 24)) >>> 0;
      this.hdr = [];
      this.state = this.need > 0 ? Zs.Skip : Zs.Magic;
      return;
    }
    if (magic !== 0xfd2fb528) {
      this.state = Zs.Opaque; // not zstd: the decoder reports it
      return;
    }
    if (h.length < 5) return;
    const fhd = h[4]!;
    const single = (fhd >> 5) & 1;
    const fcsBytes = [single, 2, 4, 8][fhd >> 6]!;
    const didBytes = [0, 1, 2, 4][fhd & 3]!;
    const len = 5 + (single ? 0 : 1) + didBytes + fcsBytes;
    if (h.length < len) return;
    let window: number;
    if (single) {
      window = 0;
      for (let k = fcsBytes - 1; k >= 0; k--) window = window * 256 + h[len - fcsBytes + k]!;
      if (fcsBytes === 2) window += 256;
    } else {
      const wd = h[5]!;
      const base = 2 ** (10 + (wd >> 3));
      window = base + (base / 8) * (wd & 7);
    }
    if (window > MAX_ZSTD_WINDOW) {
      throw new Error(`zstd data needs a ${windowText(window)} window, over the ${windowText(MAX_ZSTD_WINDOW)} whittle decodes`);
    }
    this.checksum = ((fhd >> 2) & 1) === 1;
    this.hdr = [];
    this.state = Zs.Block;
  }
}

export function zstdImplementation(): 'node:zlib' | 'fzstd' {
  return zlibZstd ? 'node:zlib' : 'fzstd';
}

class ZlibDecompressor implements Decompressor {
  private error: Error | null = null;
  private readonly done: Promise<void>;

  constructor(private readonly kind: Compression, private readonly z: zlib.Gunzip, onData: OnData, private readonly scanner: ZstdScanner | null = null) {
    // Consume the output in its own loop so slow consumers apply backpressure to the input.
    this.done = (async () => {
      for await (const out of z as AsyncIterable<Buffer>) {
        const r = onData(out);
        if (r) await r;
      }
    })().catch((err: Error) => {
      this.error = decoderError(this.kind, err);
      z.destroy();
    });
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.error) throw this.error;
    this.scanner?.cuts(chunk);
    // zlib reads the input on its thread pool after write() returns: hand it a copy.
    if (!this.z.write(Buffer.from(chunk))) {
      await new Promise<void>((resolve) => {
        const ok = () => {
          this.z.off('close', ok);
          resolve();
        };
        this.z.once('drain', ok);
        this.z.once('close', ok);
      });
    }
    if (this.error) throw this.error;
  }

  async end(): Promise<void> {
    if (!this.error) this.z.end();
    await this.done;
    if (this.error) throw this.error;
    if (this.scanner && !this.scanner.atFrameBoundary) throw new Error(`${this.kind} data is truncated`);
  }
}

/**
 * The decoder's own errors in whittle's words ("gzip data is truncated", "zstd data is corrupt:
 * …"), whatever reads the stream; errors of the consumer (a corrupt tar inside) pass unchanged.
 */
function decoderError(kind: Compression, err: Error): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (typeof code !== 'string' || !(code.startsWith('Z_') || code.startsWith('ZSTD_'))) return err;
  if (/unexpected end/i.test(err.message)) return new Error(`${kind} data is truncated`);
  return new Error(`${kind} data is corrupt: ${err.message}`);
}

class FzstdDecompressor implements Decompressor {
  private chain: Promise<void> = Promise.resolve();
  private error: Error | null = null;
  private readonly d: FzstdDecompress;
  private ended = false;
  private readonly scanner = new ZstdScanner();

  constructor(onData: OnData) {
    this.d = new FzstdDecompress((out: Uint8Array, final?: boolean) => {
      if (final) this.ended = true;
      if (out.length === 0) return;
      // fzstd may hand out views into its window, which later pushes overwrite: copy.
      const copy = out.slice();
      this.chain = this.chain.then(() => onData(copy)).catch((err: Error) => {
        this.error ??= err;
      });
    });
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.error) throw this.error;
    // One block per push, each drained before the next: fzstd's output is then at most 128 KiB.
    // fzstd keeps partial blocks between pushes: give it its own copy.
    chunk = chunk.slice();
    let from = 0;
    const cuts = this.scanner.cuts(chunk);
    if (cuts[cuts.length - 1] !== chunk.length) cuts.push(chunk.length);
    for (const to of cuts) {
      if (to === from) continue;
      try {
        this.d.push(chunk.subarray(from, to));
      } catch (err) {
        throw zstdError(err);
      }
      from = to;
      await this.chain;
      if (this.error) throw this.error;
    }
  }

  async end(): Promise<void> {
    try {
      if (!this.ended) this.d.push(new Uint8Array(0), true);
    } catch (err) {
      throw zstdError(err);
    }
    await this.chain;
    if (this.error) throw this.error;
    if (!this.ended) throw new Error('zstd data is truncated');
  }
}

function zstdError(err: unknown): Error {
  const msg = err instanceof Error ? err.message : String(err);
  // fzstd says "unexpected EOF" for a stream cut short: the same words as for gzip.
  if (/unexpected EOF/i.test(msg)) return new Error('zstd data is truncated');
  return new Error(`zstd data is corrupt: ${msg}`);
}
