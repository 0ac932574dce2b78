/**
 * A push parser for tar streams: feed it chunks, it calls back once per entry and streams the
 * entry's data to the consumer the callback returns (or skips it, without copying). Nothing is
 * buffered except a partial header block and meta-header payloads (bounded by MAX_META_BYTES).
 */
import { BLOCK, decodeHeader, isMetaType, padded, TarHeaderError, type MetaType } from './header.js';
import { dataBytesFor, MetaFolder, type TarEntry } from './entry.js';

/** Receives one entry's data. `write` returning false means "no more needed": the rest is skipped. */
export interface EntryConsumer {
  write(chunk: Uint8Array): void | boolean | Promise<void | boolean>;
  /** Called after the last byte (also when the consumer stopped early). */
  end(): void | Promise<void>;
  /**
   * Random-access alternative, used instead of write/end when the reader can seek (a regular
   * file): `read(offset, length)` returns the entry's bytes at that offset (null past the end).
   */
  readAt?(read: (offset: number, length: number) => Uint8Array | null, size: number, source?: RawSource): void | Promise<void>;
}

/** Where an entry's bytes lie in a regular file, for consumers that copy ranges themselves. */
export interface RawSource {
  fd: number;
  /** File offset of the entry's first data byte. */
  offset: number;
}

export interface TarHandler {
  /** Called for every entry in archive order; return a consumer to receive its data. */
  onEntry(entry: TarEntry): EntryConsumer | null | undefined;
}

export class TarFormatError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

/** ` after "name"`: where a bad header sits, named by the last good entry before it. */
export function afterEntry(name: string | null): string {
  return name === null ? '' : ` after ${quoteName(name)}`;
}

/** An entry name for a one-line message: quoted, escaped, at most 200 characters. */
export function quoteName(name: string): string {
  return JSON.stringify(name.length > 200 ? `${name.slice(0, 200)}…` : name);
}

const enum State {
  Header,
  Meta,
  Data,
  Padding,
  End,
}

export class TarStreamParser {
  private state = State.Header;
  /** Absolute offset in the stream of the next byte to consume. */
  private pos = 0;
  private headerBuf = Buffer.allocUnsafe(BLOCK);
  private headerFill = 0;
  private headerStart = 0;
  private remaining = 0;
  private padRemaining = 0;
  private consumer: EntryConsumer | null = null;
  private metaKind: MetaType | null = null;
  private metaBuf: Buffer | null = null;
  private metaFill = 0;
  private zeroBlocks = 0;
  private readonly folder = new MetaFolder();
  /** Entries seen (meta headers excluded). */
  entries = 0;
  /** True once the end-of-archive marker (two zero blocks) was read. */
  sawEndMarker = false;
  /** Bytes seen after the end-of-archive marker. */
  trailingBytes = 0;
  /** Name of the last entry whose header was read (the one whose data is streaming, in Data). */
  lastEntry: string | null = null;

  constructor(private readonly handler: TarHandler) {}

  /** Bytes consumed so far. */
  get offset(): number {
    return this.pos;
  }

  private busy = false;

  /** Feeds the next chunk. Callers must await each push before the next (checked). */
  async push(chunk: Uint8Array): Promise<void> {
    if (this.busy) throw new Error('tar parser: push() called before the previous push finished');
    this.busy = true;
    try {
      await this.pushInner(chunk);
    } finally {
      this.busy = false;
    }
  }

  private async pushInner(chunk: Uint8Array): Promise<void> {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      switch (this.state) {
        case State.Header: {
          const need = BLOCK - this.headerFill;
          if (this.headerFill === 0 && n - i >= BLOCK) {
            // Fast path: the whole header is in this chunk.
            this.headerStart = this.pos;
            i += BLOCK;
            this.pos += BLOCK;
            const r = this.takeHeader(chunk, i - BLOCK);
            if (r) await r;
          } else {
            if (this.headerFill === 0) this.headerStart = this.pos;
            const take = Math.min(need, n - i);
            this.headerBuf.set(chunk.subarray(i, i + take), this.headerFill);
            this.headerFill += take;
            i += take;
            this.pos += take;
            if (this.headerFill === BLOCK) {
              this.headerFill = 0;
              const r = this.takeHeader(this.headerBuf, 0);
              if (r) await r;
            }
          }
          break;
        }
        case State.Meta: {
          const take = Math.min(this.remaining, n - i);
          this.metaBuf!.set(chunk.subarray(i, i + take), this.metaFill);
          this.metaFill += take;
          this.remaining -= take;
          i += take;
          this.pos += take;
          if (this.remaining === 0) {
            this.addMeta(this.metaKind!, this.metaBuf!.subarray(0, this.metaFill));
            this.metaBuf = null;
            this.state = this.padRemaining > 0 ? State.Padding : State.Header;
          }
          break;
        }
        case State.Data: {
          const take = Math.min(this.remaining, n - i);
          if (this.consumer && take > 0) {
            let r = this.consumer.write(chunk.subarray(i, i + take));
            if (r instanceof Promise) r = await r;
            if (r === false) {
              const c = this.consumer;
              this.consumer = null;
              const e = c.end();
              if (e instanceof Promise) await e;
            }
          }
          this.remaining -= take;
          i += take;
          this.pos += take;
          if (this.remaining === 0) {
            const f = this.finishData();
            if (f) await f;
          }
          break;
        }
        case State.Padding: {
          const take = Math.min(this.padRemaining, n - i);
          this.padRemaining -= take;
          i += take;
          this.pos += take;
          if (this.padRemaining === 0) this.state = State.Header;
          break;
        }
        case State.End: {
          // Garbage or padding after the end marker: ignore, as tar does (docker pads to 10 KiB).
          for (let k = i; k < n; k++) if (chunk[k] !== 0) this.trailingBytes++;
          this.pos += n - i;
          i = n;
          break;
        }
      }
    }
  }

  private finishData(): void | Promise<void> {
    const c = this.consumer;
    this.consumer = null;
    this.state = this.padRemaining > 0 ? State.Padding : State.Header;
    return c ? c.end() : undefined;
  }

  private takeHeader(buf: Uint8Array, off: number): void | Promise<void> {
    let raw;
    try {
      raw = decodeHeader(buf, off);
    } catch (err) {
      const msg = err instanceof TarHeaderError ? err.message : String(err);
      throw new TarFormatError(`${msg} at offset ${this.headerStart}${afterEntry(this.lastEntry)}`, this.headerStart);
    }
    if (raw === null) {
      this.zeroBlocks++;
      if (this.zeroBlocks >= 2) {
        this.state = State.End;
        this.sawEndMarker = true;
      }
      return;
    }
    if (this.zeroBlocks > 0) this.zeroBlocks = 0; // a lone zero block: keep going, like GNU tar
    let kind;
    try {
      kind = this.folder.classify(raw).kind;
    } catch (err) {
      throw new TarFormatError(`${(err as Error).message} at offset ${this.headerStart}${afterEntry(this.lastEntry)}`, this.headerStart);
    }
    const dataStart = this.headerStart + BLOCK;
    if (isMetaType(kind)) {
      this.metaKind = kind;
      this.remaining = raw.size;
      this.padRemaining = padded(raw.size) - raw.size;
      this.metaBuf = Buffer.allocUnsafe(raw.size);
      this.metaFill = 0;
      if (raw.size === 0) {
        this.addMeta(kind, this.metaBuf);
        this.state = this.padRemaining > 0 ? State.Padding : State.Header;
      } else {
        this.state = State.Meta;
      }
      return;
    }
    let entry: TarEntry;
    try {
      entry = this.folder.fold(raw, kind, this.headerStart, dataStart);
    } catch (err) {
      throw new TarFormatError(`${(err as Error).message} at offset ${this.headerStart}${afterEntry(this.lastEntry)}`, this.headerStart);
    }
    this.lastEntry = entry.name;
    // Sparse entries store their data in the archive under the header size, not the logical size.
    const stored = entry.sparse ? raw.size : dataBytesFor(entry.type, entry.size);
    this.entries++;
    this.consumer = this.handler.onEntry(entry) ?? null;
    this.remaining = stored;
    this.padRemaining = padded(stored) - stored;
    if (stored === 0) {
      // No data: end the consumer now (synchronously when possible).
      const c = this.consumer;
      this.consumer = null;
      this.state = this.padRemaining > 0 ? State.Padding : State.Header;
      if (c) return c.end();
    } else {
      this.state = State.Data;
    }
  }

  private addMeta(kind: MetaType, payload: Uint8Array): void {
    try {
      this.folder.addMeta(kind, payload, this.headerStart);
    } catch (err) {
      throw new TarFormatError(`${(err as Error).message} at offset ${this.headerStart}${afterEntry(this.lastEntry)}`, this.headerStart);
    }
  }

  /**
   * Call at end of input. Throws when the archive stopped inside an entry or a header. A missing
   * end-of-archive marker at an entry boundary is tolerated (see `sawEndMarker`).
   */
  finish(): void {
    if (this.state === State.End) return;
    if (this.state === State.Header && this.headerFill === 0 && !this.folder.pending) return;
    if (this.state === State.Padding && this.consumer === null) {
      // Some writers omit the final padding; everything of value was read.
      return;
    }
    // Same wording as the seeking walker: the entry, then where the data stopped.
    const where =
      this.state === State.Data ? `inside the data of an entry ${quoteName(this.lastEntry ?? '')} (${this.remaining} bytes missing)`
      : this.state === State.Meta ? `inside an extended header${afterEntry(this.lastEntry)}`
      : `inside a header block${afterEntry(this.lastEntry)}`;
    throw new TarFormatError(`unexpected end of data ${where} at offset ${this.pos}`, this.pos);
  }
}
