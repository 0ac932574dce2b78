/**
 * sha256 on a worker thread, so the writer's copying and the hashing of what it writes (a layer's
 * diff_id, a blob's digest) run on two cores instead of one. Bytes are batched into 4 MiB blocks
 * and transferred, not copied again.
 */
import { Worker } from 'node:worker_threads';

const BLOCK = 4 * 1024 * 1024;

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
let h = createHash('sha256');
parentPort.on('message', (m) => {
  if (m === 'end') {
    parentPort.postMessage(h.digest('hex'));
    h = createHash('sha256');
  } else {
    h.update(new Uint8Array(m.buf, 0, m.len));
  }
});
`;

export class HashWorker {
  private readonly worker: Worker;
  private block = Buffer.from(new ArrayBuffer(BLOCK));
  private fill = 0;

  constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
    this.worker.unref();
  }

  update(data: Uint8Array): void {
    let off = 0;
    while (off < data.length) {
      const take = Math.min(BLOCK - this.fill, data.length - off);
      this.block.set(data.subarray(off, off + take), this.fill);
      this.fill += take;
      off += take;
      if (this.fill === BLOCK) this.post();
    }
  }

  private post(): void {
    if (this.fill === 0) return;
    // Hand the block's memory over (no copy) and start a new one.
    const buf = this.block.buffer as ArrayBuffer;
    this.worker.postMessage({ buf, len: this.fill }, [buf]);
    this.block = Buffer.from(new ArrayBuffer(BLOCK));
    this.fill = 0;
  }

  /** The `sha256:` digest of everything given since the last call. */
  digest(): Promise<string> {
    this.post();
    return new Promise((resolve, reject) => {
      const onMessage = (hex: string) => {
        this.worker.off('error', onError);
        resolve(`sha256:${hex}`);
      };
      const onError = (err: Error) => {
        this.worker.off('message', onMessage);
        reject(err);
      };
      this.worker.once('message', onMessage);
      this.worker.once('error', onError);
      this.worker.postMessage('end');
    });
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

let shared: HashWorker | null = null;

/** The process's hashing thread (created on first use; it never keeps the process alive). */
export function sharedHashWorker(): HashWorker {
  shared ??= new HashWorker();
  return shared;
}
