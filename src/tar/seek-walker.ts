/**
 * Walks a tar that lies in a byte range of a regular file by reading headers and seeking over
 * contents, instead of streaming every byte. Nested tars (a layer inside a docker save archive) are
 * just another range of the same file. Entry data is read only when a consumer asks for it, either
 * streamed in chunks or by random access (`readAt`, e.g. the ELF dynamic section).
 */
import fs from 'node:fs';
import { BLOCK, decodeHeader, isMetaType, padded, TarHeaderError, type MetaType } from './header.js';
import { dataBytesFor, MetaFolder, type TarEntry } from './entry.js';
import { afterEntry, quoteName, TarFormatError, type TarHandler } from './stream-parser.js';

/**
 * Positional reads of one file through a window. How far a read looks ahead adapts to what the
 * archive looks like: after a small entry the next headers are probably close (read ahead
 * `denseWindow`), after a large one only the header and a possible PAX record are needed.
 * A read from the page cache costs about as much as copying 20-30 KB, so reading through runs of
 * small files in one 256 KB window beats a read per header (measured on the 4.3 GB corpus image:
 * 9.5k reads instead of 142k, the header walk 310 → 195 ms).
 */
export class WindowReader {
  private buf: Buffer;
  private winStart = 0;
  private winLen = 0;
  /** Bytes actually read from the file (for throughput reporting). */
  bytesRead = 0;
  reads = 0;
  /** Set by the walker: the data size of the entry just passed. */
  lastGap = 0;

  constructor(readonly fd: number, private readonly denseWindow = 256 * 1024, private readonly sparseWindow = 4096) {
    this.buf = Buffer.allocUnsafe(denseWindow);
  }

  /**
   * `length` bytes at `offset` (a view valid until the next call), or fewer at end of file.
   * `lookAhead` false: random access inside an entry's data (ELF headers), where reading a dense
   * window would copy bytes nobody looks at.
   */
  read(offset: number, length: number, lookAhead = true): Buffer {
    if (offset >= this.winStart && offset + length <= this.winStart + this.winLen) {
      return this.buf.subarray(offset - this.winStart, offset - this.winStart + length);
    }
    if (length > this.denseWindow) {
      const out = Buffer.allocUnsafe(length);
      const n = this.readFully(out, 0, length, offset);
      return out.subarray(0, n);
    }
    const want = Math.max(length, lookAhead && this.isSmall(this.lastGap) ? this.denseWindow : this.sparseWindow);
    const n = this.readFully(this.buf, 0, want, offset);
    this.winStart = offset;
    this.winLen = n;
    return this.buf.subarray(0, Math.min(n, length));
  }

  /** An entry this small is likely followed closely by more headers: worth reading ahead past. */
  isSmall(bytes: number): boolean {
    return bytes <= this.denseWindow / 4;
  }

  /** Reads into a caller's buffer without disturbing the window. */
  readInto(target: Buffer, offset: number, length: number): number {
    return this.readFully(target, 0, length, offset);
  }

  private readFully(target: Buffer, at: number, length: number, position: number): number {
    let done = 0;
    while (done < length) {
      const n = fs.readSync(this.fd, target, at + done, length - done, position + done);
      this.reads++;
      if (n === 0) break;
      done += n;
    }
    this.bytesRead += done;
    return done;
  }
}

export interface SeekWalkResult {
  entries: number;
  sawEndMarker: boolean;
  /** Offset (relative to the range start) where the archive's content ended. */
  end: number;
}

const STREAM_CHUNK = 1024 * 1024;

/**
 * Walks the tar in [start, start + length) of the file behind `reader`, calling the handler for
 * every entry. Consumers with `readAt` get random access to their entry's data; others get it
 * streamed in chunks. Offsets in entries are relative to `start`.
 */
export async function walkTarRange(reader: WindowReader, start: number, length: number, handler: TarHandler): Promise<SeekWalkResult> {
  const folder = new MetaFolder();
  let pos = 0;
  let entries = 0;
  let zeroBlocks = 0;
  let chunk: Buffer | null = null;
  // Messages match the streaming parser's: the last entry read, and where the data stopped.
  let last: string | null = null;
  const bad = (err: unknown, at: number) => new TarFormatError(`${(err as Error).message} at offset ${at}${afterEntry(last)}`, at);
  for (;;) {
    if (pos + BLOCK > length) {
      if (pos === length && !folder.pending) return { entries, sawEndMarker: false, end: pos };
      throw new TarFormatError(`unexpected end of data inside a header block${afterEntry(last)} at offset ${length}`, length);
    }
    const headerStart = pos;
    const block = reader.read(start + pos, BLOCK);
    if (block.length < BLOCK) throw new TarFormatError(`unexpected end of file inside a header block${afterEntry(last)} at offset ${pos + block.length}`, pos + block.length);
    let raw;
    try {
      raw = decodeHeader(block, 0);
    } catch (err) {
      throw bad(err, headerStart);
    }
    pos += BLOCK;
    if (raw === null) {
      if (++zeroBlocks >= 2) return { entries, sawEndMarker: true, end: pos };
      continue;
    }
    zeroBlocks = 0;
    let kind;
    try {
      kind = folder.classify(raw).kind;
    } catch (err) {
      throw bad(err, headerStart);
    }
    if (isMetaType(kind)) {
      if (pos + raw.size > length) throw new TarFormatError(`unexpected end of data inside an extended header${afterEntry(last)} at offset ${length}`, length);
      const payload = Buffer.from(reader.read(start + pos, raw.size));
      try {
        folder.addMeta(kind as MetaType, payload, headerStart);
      } catch (err) {
        throw bad(err, headerStart);
      }
      pos += padded(raw.size);
      continue;
    }
    let entry: TarEntry;
    try {
      entry = folder.fold(raw, kind, headerStart, pos);
    } catch (err) {
      throw bad(err, headerStart);
    }
    last = entry.name;
    entries++;
    const stored = entry.sparse ? raw.size : dataBytesFor(entry.type, entry.size);
    if (pos + stored > length) {
      throw new TarFormatError(`unexpected end of data inside the data of an entry ${quoteName(entry.name)} (${pos + stored - length} bytes missing) at offset ${length}`, length);
    }
    const consumer = handler.onEntry(entry);
    if (consumer) {
      const dataStart = start + pos;
      if (consumer.readAt) {
        const r = consumer.readAt((off, len) => {
          if (off < 0 || off >= stored) return null;
          const n = Math.min(len, stored - off);
          // A small entry read whole (a header file, a rootmap): the next tar headers are right
          // after it, so let the window run on; partial reads (ELF headers) stay exact.
          const whole = off === 0 && n === stored && reader.isSmall(n);
          return Buffer.from(reader.read(dataStart + off, n, whole));
        }, stored, { fd: reader.fd, offset: dataStart });
        if (r instanceof Promise) await r;
      } else {
        let off = 0;
        while (off < stored) {
          const n = Math.min(STREAM_CHUNK, stored - off);
          chunk ??= Buffer.allocUnsafe(STREAM_CHUNK);
          const got = reader.readInto(chunk, dataStart + off, n);
          if (got < n) throw new TarFormatError(`unexpected end of file inside the data of an entry ${quoteName(entry.name)} at offset ${pos + off + got}`, pos + off + got);
          // Consumers may keep what they are given (captured files): hand out a copy.
          let w = consumer.write(Buffer.from(chunk.subarray(0, n)));
          if (w instanceof Promise) w = await w;
          off += n;
          if (w === false) break;
        }
        const e = consumer.end();
        if (e instanceof Promise) await e;
      }
    }
    pos += padded(stored);
    reader.lastGap = stored;
    // Reads by seeking never wait on I/O: let the event loop turn now and then, or Ctrl-C (and
    // progress) would wait for the whole walk.
    if ((entries & 1023) === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

export { TarHeaderError };
