/**
 * The writer's second thread: it computes SHA-256 digests (a layer's diff_id, a blob's digest) of
 * what the main thread writes, while the main thread reads the input and writes the next block.
 * Hashing (~2 GB/s) is the one step as costly as reading and writing together, so it is the one
 * moved off the main thread; writing here too made this thread the bottleneck (3.68 GB kept, on
 * the bench machine's disk: 8.1-8.6 s with writes here, 5.1-5.5 s with them on the main thread).
 *
 * Blocks are transferred, not copied, and come back through a MessagePort read synchronously, so
 * the writer reuses them while it runs without ever yielding. At most MAX_IN_FLIGHT blocks wait;
 * beyond that the main thread blocks on a shared counter, so memory stays bounded.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

export const BLOCK = 1024 * 1024;
const MAX_IN_FLIGHT = 8;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const inFlight = new Int32Array(workerData.shared);
const blocks = workerData.blocks;
let hash = null;
parentPort.on('message', (m) => {
  if (m.t === 'data') {
    if (hash) hash.update(new Uint8Array(m.buf, 0, m.len));
    // Give the block back for reuse, then count it done.
    blocks.postMessage(m.buf, [m.buf]);
    Atomics.sub(inFlight, 0, 1);
    Atomics.notify(inFlight, 0);
  } else if (m.t === 'begin') {
    hash = createHash('sha256');
  } else if (m.t === 'end') {
    const d = hash.digest('hex');
    hash = null;
    parentPort.postMessage({ t: 'digest', digest: d });
  }
});
`;

export class HashWorker {
  private readonly worker: Worker;
  private readonly inFlight = new Int32Array(new SharedArrayBuffer(4));
  private readonly returned: MessagePort;
  private readonly replies: ((digest: string) => void)[] = [];
  private readonly free: ArrayBuffer[] = [];

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.returned = port1;
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { shared: this.inFlight.buffer, blocks: port2 }, transferList: [port2] });
    this.worker.on('message', (m: { t: string; digest: string }) => {
      this.replies.shift()?.(m.digest);
      if (this.replies.length === 0) this.worker.unref();
    });
    // The thread keeps the process alive only while a digest is awaited.
    this.worker.unref();
    this.returned.unref();
  }

  /** A block to fill: one the worker handed back when there is one. */
  block(): Buffer {
    this.collect();
    const ab = this.free.pop();
    return Buffer.from(ab ?? new ArrayBuffer(BLOCK));
  }

  /** Hands the first `len` bytes of a block over to be hashed; its memory moves to the worker. */
  hash(block: Buffer, len: number): void {
    for (let n; (n = Atomics.load(this.inFlight, 0)) >= MAX_IN_FLIGHT; ) Atomics.wait(this.inFlight, 0, n, 1000);
    Atomics.add(this.inFlight, 0, 1);
    const buf = block.buffer as ArrayBuffer;
    this.worker.postMessage({ t: 'data', buf, len }, [buf]);
  }

  beginHash(): void {
    this.worker.postMessage({ t: 'begin' });
  }

  /** The digest of what was handed over since beginHash. */
  endHash(): Promise<string> {
    return new Promise((resolve) => {
      if (this.replies.length === 0) this.worker.ref();
      this.replies.push((d) => resolve(`sha256:${d}`));
      this.worker.postMessage({ t: 'end' });
    });
  }

  /** Takes back, without waiting, the blocks the worker has finished with. */
  private collect(): void {
    for (let m; (m = receiveMessageOnPort(this.returned)) !== undefined; ) this.free.push(m.message as ArrayBuffer);
  }
}

let shared: HashWorker | null = null;

/**
 * The process's hashing thread (created on first use; it never keeps the process alive). Messages
 * are handled in order, so a region's digest covers exactly the blocks handed over before it ends.
 */
export function sharedHashWorker(): HashWorker {
  shared ??= new HashWorker();
  return shared;
}
