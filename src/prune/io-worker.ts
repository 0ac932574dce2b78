/**
 * The writer's second thread: it hashes what the writer produces (a layer's diff_id, a blob's
 * digest) and writes it to disk, while the main thread reads the input and builds the next block.
 * Blocks of up to 4 MiB are transferred, not copied; at most MAX_IN_FLIGHT wait at a time (the main
 * thread blocks on a shared counter when the disk falls behind), so memory stays bounded.
 */
import { Worker } from 'node:worker_threads';

export const BLOCK = 4 * 1024 * 1024;
const MAX_IN_FLIGHT = 8;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const inFlight = new Int32Array(workerData.shared);
let hash = null;
const failed = new Map(); // fd -> first write error, reported to (and cleared by) that output
const writeAll = (fd, buf, len, pos) => {
  let done = 0;
  while (done < len) done += fs.writeSync(fd, buf, done, len - done, pos + done);
};
parentPort.on('message', (m) => {
  try {
    if (m.t === 'data') {
      const buf = new Uint8Array(m.buf, 0, m.len);
      if (m.hash && hash) hash.update(buf);
      if (!failed.has(m.fd)) writeAll(m.fd, buf, m.len, m.pos);
    } else if (m.t === 'patch') {
      if (!failed.has(m.fd)) writeAll(m.fd, new Uint8Array(m.buf), m.buf.byteLength, m.pos);
    } else if (m.t === 'begin') {
      hash = createHash('sha256');
    } else if (m.t === 'end') {
      const d = hash.digest('hex');
      hash = null;
      parentPort.postMessage({ t: 'digest', digest: d, error: failed.get(m.fd) ?? null });
    } else if (m.t === 'settle') {
      parentPort.postMessage({ t: 'settled', error: failed.get(m.fd) ?? null });
      failed.delete(m.fd);
    }
  } catch (err) {
    if (m.fd !== undefined && !failed.has(m.fd)) failed.set(m.fd, { code: err.code, message: err.message, syscall: err.syscall });
  } finally {
    if (m.t === 'data') {
      // Give the block back for reuse, then count it done.
      parentPort.postMessage({ t: 'free', buf: m.buf }, [m.buf]);
      Atomics.sub(inFlight, 0, 1);
      Atomics.notify(inFlight, 0);
    }
  }
});
`;

interface WorkerError {
  code?: string;
  message: string;
  syscall?: string;
}

function asError(e: WorkerError): NodeJS.ErrnoException {
  const err = new Error(e.message) as NodeJS.ErrnoException;
  if (e.code !== undefined) err.code = e.code;
  if (e.syscall !== undefined) err.syscall = e.syscall;
  return err;
}

export class IoWorker {
  private readonly worker: Worker;
  private readonly inFlight = new Int32Array(new SharedArrayBuffer(4));
  private readonly replies: ((m: { t: string; digest?: string; error: WorkerError | null }) => void)[] = [];
  /** Blocks the worker has written and handed back. */
  private readonly free: ArrayBuffer[] = [];

  constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { shared: this.inFlight.buffer } });
    this.worker.on('message', (m: { t: string; buf?: ArrayBuffer; digest?: string; error: WorkerError | null }) => {
      if (m.t === 'free') this.free.push(m.buf!);
      else {
        this.replies.shift()?.(m);
        if (this.replies.length === 0) this.worker.unref();
      }
    });
    // The thread keeps the process alive only while an answer (a digest, a settle) is awaited.
    this.worker.unref();
  }

  /** A block to fill: a returned one when there is one. */
  block(): Buffer {
    const ab = this.free.pop();
    return Buffer.from(ab ?? new ArrayBuffer(BLOCK));
  }

  /** Hands a block over (its memory moves to the worker); blocks while too many are pending. */
  write(fd: number, block: Buffer, len: number, pos: number, hash: boolean): void {
    for (let n; (n = Atomics.load(this.inFlight, 0)) >= MAX_IN_FLIGHT; ) Atomics.wait(this.inFlight, 0, n, 1000);
    Atomics.add(this.inFlight, 0, 1);
    const buf = block.buffer as ArrayBuffer;
    this.worker.postMessage({ t: 'data', fd, buf, len, pos, hash }, [buf]);
  }

  patch(fd: number, data: Uint8Array, pos: number): void {
    const buf = new Uint8Array(data).buffer as ArrayBuffer;
    this.worker.postMessage({ t: 'patch', fd, buf, pos }, [buf]);
  }

  beginHash(): void {
    this.worker.postMessage({ t: 'begin' });
  }

  /** The digest of what was hashed since beginHash, once everything before it was written to `fd`. */
  endHash(fd: number): Promise<string> {
    return this.ask('end', fd).then((m) => `sha256:${m.digest!}`);
  }

  /** Resolves once every write to `fd` so far reached the file; rejects with its first write error. */
  settle(fd: number): Promise<void> {
    return this.ask('settle', fd).then(() => undefined);
  }

  private ask(t: string, fd: number): Promise<{ t: string; digest?: string; error: WorkerError | null }> {
    return new Promise((resolve, reject) => {
      if (this.replies.length === 0) this.worker.ref();
      this.replies.push((m) => (m.error ? reject(asError(m.error)) : resolve(m)));
      this.worker.postMessage({ t, fd });
    });
  }
}

let shared: IoWorker | null = null;

/**
 * The process's writer thread (created on first use; it never keeps the process alive). Messages
 * are handled in order, so one output's writes, hashes and patches never overtake each other.
 */
export function sharedIoWorker(): IoWorker {
  shared ??= new IoWorker();
  return shared;
}
