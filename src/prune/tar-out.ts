/**
 * Buffered output to a file descriptor for the image writer: fills blocks (headers, data copied
 * straight from the input file) and writes them, handing what lies in a region to the hashing
 * thread (a blob's digest). Reserved header blocks are patched once a member's size and digest are
 * known. Write errors (ENOSPC) are thrown by the call that writes. Call `flush()` before closing.
 */
import fs from 'node:fs';
import { BLOCK, sharedHashWorker } from './hash-worker.js';

const SYNC_EVERY = 128 * 1024 * 1024;

export class FileOut {
  private readonly io = sharedHashWorker();
  private buf: Buffer;
  private fill = 0;
  /** File position of the current block's first byte. */
  private bufStart: number;
  /** Absolute position in the file of the next byte written. */
  position: number;
  private hashing = false;
  private hashedBytes = 0;
  private unsynced = 0;

  constructor(readonly fd: number, start = 0) {
    this.position = start;
    this.bufStart = start;
    this.buf = this.io.block();
  }

  /** Starts hashing and counting what is written from now on. */
  beginRegion(): void {
    this.flush();
    this.io.beginHash();
    this.hashing = true;
    this.hashedBytes = 0;
  }

  /** Ends the region (writing what it holds): its size and `sha256:` digest. */
  async endRegion(): Promise<{ size: number; digest: string }> {
    this.flush();
    this.hashing = false;
    const size = this.hashedBytes;
    return { size, digest: await this.io.endHash() };
  }

  write(data: Uint8Array): void {
    let off = 0;
    while (off < data.length) {
      if (this.fill === BLOCK) this.flush();
      const take = Math.min(BLOCK - this.fill, data.length - off);
      this.buf.set(data.subarray(off, off + take), this.fill);
      this.fill += take;
      off += take;
      // Kept current inside the loop: flush() starts the next block at `position`.
      this.position += take;
    }
    if (this.hashing) this.hashedBytes += data.length;
  }

  zeros(n: number): void {
    if (n > 0) this.write(Buffer.alloc(n));
  }

  /** Copies `length` bytes at `offset` of `inFd` into the output (through the hash, if any). */
  copyFrom(inFd: number, offset: number, length: number): void {
    // Read straight into the block: one copy in, one write out.
    let done = 0;
    while (done < length) {
      if (this.fill === BLOCK) this.flush();
      const n = fs.readSync(inFd, this.buf, this.fill, Math.min(BLOCK - this.fill, length - done), offset + done);
      if (n === 0) throw new Error(`unexpected end of input file copying ${length} bytes at offset ${offset}`);
      this.fill += n;
      this.position += n;
      done += n;
    }
    if (this.hashing) this.hashedBytes += length;
  }

  /** Writes at an earlier position (a reserved header), after everything written so far; not hashed. */
  patch(position: number, data: Uint8Array): void {
    this.flush();
    writeAll(this.fd, data, data.length, position);
  }

  /** Writes the current block, and hands it to the hashing thread when inside a region. */
  flush(): void {
    if (this.fill === 0) return;
    writeAll(this.fd, this.buf, this.fill, this.bufStart);
    // Start the disk writing what is written so far, on libuv's thread pool: the final fsync then
    // waits for the tail only, not for gigabytes of dirty pages (Node has no sync_file_range).
    // Its errors are ignored: the fsync before the rename reports any that matter.
    this.unsynced += this.fill;
    if (this.unsynced >= SYNC_EVERY) {
      this.unsynced = 0;
      fs.fdatasync(this.fd, () => undefined);
    }
    if (this.hashing) {
      this.io.hash(this.buf, this.fill);
      this.buf = this.io.block();
    }
    this.fill = 0;
    this.bufStart = this.position;
  }
}

function writeAll(fd: number, buf: Uint8Array, len: number, position: number): void {
  for (let done = 0; done < len; ) done += fs.writeSync(fd, buf, done, len - done, position + done);
}
