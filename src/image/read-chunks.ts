/**
 * Reads a file descriptor (stdin, or a file read in full) into a small ring of reused buffers,
 * one read ahead of the consumer. Streaming gigabytes through fresh 64 KiB Buffers makes V8 run a
 * full garbage collection over the whole analysis heap again and again; a ring allocates nothing.
 * A chunk stays valid until the consumer asks for the next one after it (the reader copies what it
 * keeps; decompressors copy their input).
 */
import fs from 'node:fs';

const CHUNK = 1024 * 1024;
const RING = 3;

export async function* readChunks(fd: number, position: number | null = null): AsyncGenerator<Buffer> {
  const ring = Array.from({ length: RING }, () => Buffer.allocUnsafe(CHUNK));
  let slot = 0;
  let pos = position;
  const read = (buf: Buffer): Promise<number> =>
    new Promise((resolve, reject) => {
      let wait = 1;
      const attempt = () =>
        fs.read(fd, buf, 0, CHUNK, pos, (err, n) => {
          if (!err) return resolve(n);
          const code = (err as NodeJS.ErrnoException).code;
          // A descriptor inherited in non-blocking mode has no data yet: try again shortly.
          if (code === 'EAGAIN') {
            setTimeout(attempt, wait);
            wait = Math.min(wait * 2, 20);
          } else if (code === 'EOF') resolve(0);
          else reject(err);
        });
      attempt();
    });
  let pending = read(ring[slot]!);
  try {
    for (;;) {
      const n = await pending;
      if (n === 0) return;
      const current = ring[slot]!;
      if (pos !== null) pos += n;
      slot = (slot + 1) % RING;
      pending = read(ring[slot]!); // read ahead while the consumer works
      yield current.subarray(0, n);
    }
  } finally {
    // The consumer stopped early (an error, or it had enough): let the read-ahead finish before
    // the caller closes the descriptor.
    await pending.catch(() => 0);
  }
}
