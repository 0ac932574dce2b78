/**
 * Synchronous buffered output to a file descriptor, for the image writer: counts and hashes what
 * goes through a region (a layer blob's diff_id), copies byte ranges from an input file, and can
 * patch a reserved header block once a member's size and digest are known.
 */
import fs from 'node:fs';
import { sharedHashWorker, type HashWorker } from './hash-worker.js';

const BUF = 4 * 1024 * 1024;

export class FileOut {
  private buf = Buffer.allocUnsafe(BUF);
  private fill = 0;
  /** Absolute position in the file of the next byte written. */
  position: number;
  private hashing = false;
  private hashedBytes = 0;
  private hasher: HashWorker | null = null;

  constructor(readonly fd: number, start = 0) {
    this.position = start;
  }

  /** Starts hashing (on a worker thread) and counting what is written from now on. */
  beginRegion(): void {
    // One region at a time in the whole process: all outputs share one hashing thread.
    this.hasher ??= sharedHashWorker();
    this.hashing = true;
    this.hashedBytes = 0;
  }

  /** Ends the region: its size and `sha256:` digest. */
  async endRegion(): Promise<{ size: number; digest: string }> {
    this.hashing = false;
    return { size: this.hashedBytes, digest: await this.hasher!.digest() };
  }

  write(data: Uint8Array): void {
    if (this.hashing) {
      this.hasher!.update(data);
      this.hashedBytes += data.length;
    }
    if (data.length >= BUF) {
      this.flush();
      this.writeFully(data);
      return;
    }
    if (this.fill + data.length > BUF) this.flush();
    this.buf.set(data, this.fill);
    this.fill += data.length;
    this.position += data.length;
  }

  zeros(n: number): void {
    if (n > 0) this.write(Buffer.alloc(n));
  }

  /** Copies `length` bytes at `offset` of `inFd` into the output (through the hash, if any). */
  copyFrom(inFd: number, offset: number, length: number): void {
    // Read straight into the output buffer: one copy in, one write out.
    let done = 0;
    while (done < length) {
      if (this.fill === BUF) this.flush();
      const n = fs.readSync(inFd, this.buf, this.fill, Math.min(BUF - this.fill, length - done), offset + done);
      if (n === 0) throw new Error(`unexpected end of input file copying ${length} bytes at offset ${offset}`);
      if (this.hashing) {
        this.hasher!.update(this.buf.subarray(this.fill, this.fill + n));
        this.hashedBytes += n;
      }
      this.fill += n;
      this.position += n;
      done += n;
    }
  }

  /** Writes at an earlier position (a reserved header); does not touch the hash. */
  patch(position: number, data: Uint8Array): void {
    this.flush();
    let done = 0;
    while (done < data.length) done += fs.writeSync(this.fd, data, done, data.length - done, position + done);
  }

  flush(): void {
    if (this.fill === 0) return;
    const start = this.position - this.fill;
    let done = 0;
    while (done < this.fill) done += fs.writeSync(this.fd, this.buf, done, this.fill - done, start + done);
    this.fill = 0;
  }

  private writeFully(data: Uint8Array): void {
    let done = 0;
    while (done < data.length) done += fs.writeSync(this.fd, data, done, data.length - done, this.position + done);
    this.position += data.length;
  }
}
