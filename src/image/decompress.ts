/**
 * Streaming decompression for gzip and zstd with backpressure. zstd uses node:zlib where the Node
 * version has it (22.15+), otherwise fzstd, a pure-JS decoder that installs without any download.
 */
import zlib from 'node:zlib';
import { Decompress as FzstdDecompress } from 'fzstd';

export type Compression = 'gzip' | 'zstd';

/** Push compressed chunks in; decompressed chunks go to `onData` in order. */
export interface Decompressor {
  write(chunk: Uint8Array): Promise<void>;
  /** Flushes; resolves after the last `onData` call; rejects on corrupt or truncated input. */
  end(): Promise<void>;
}

type OnData = (chunk: Uint8Array) => void | Promise<void>;

const zlibZstd = (zlib as unknown as { createZstdDecompress?: () => zlib.Gunzip }).createZstdDecompress;

export function createDecompressor(kind: Compression, onData: OnData): Decompressor {
  if (kind === 'gzip') return new ZlibDecompressor(zlib.createGunzip({ chunkSize: 256 * 1024 }), onData);
  if (zlibZstd) return new ZlibDecompressor(zlibZstd(), onData);
  return new FzstdDecompressor(onData);
}

export function zstdImplementation(): 'node:zlib' | 'fzstd' {
  return zlibZstd ? 'node:zlib' : 'fzstd';
}

class ZlibDecompressor implements Decompressor {
  private error: Error | null = null;
  private readonly done: Promise<void>;

  constructor(private readonly z: zlib.Gunzip, onData: OnData) {
    // Consume the output in its own loop so slow consumers apply backpressure to the input.
    this.done = (async () => {
      for await (const out of z as AsyncIterable<Buffer>) {
        const r = onData(out);
        if (r) await r;
      }
    })().catch((err: Error) => {
      this.error = err;
      z.destroy();
    });
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.error) throw this.error;
    if (!this.z.write(chunk)) {
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
  }
}

class FzstdDecompressor implements Decompressor {
  private chain: Promise<void> = Promise.resolve();
  private error: Error | null = null;
  private readonly d: FzstdDecompress;
  private ended = false;

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
    try {
      this.d.push(chunk);
    } catch (err) {
      throw zstdError(err);
    }
    await this.chain;
    if (this.error) throw this.error;
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
  return new Error(`zstd data is corrupt: ${msg}`);
}
