/**
 * A one-line progress meter on stderr for long reads: bytes, rate, and ETA when the size is known.
 * Only when stderr is a TTY; nothing otherwise, so logs and pipes stay clean.
 */
import { bytes } from '../report/format.js';

export interface Progress {
  update(read: number, total: number | null): void;
  done(): void;
}

const NOOP: Progress = { update() {}, done() {} };

export function createProgress(enabled: boolean, label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!enabled || !stream.isTTY) return NOOP;
  const start = performance.now();
  let last = 0;
  let shown = false;
  return {
    update(read, total) {
      const now = performance.now();
      if (now - last < 100) return;
      if (now - start < 300) return; // quick runs show nothing
      last = now;
      const secs = (now - start) / 1000;
      const rate = read / secs;
      let text = `${label} ${bytes(read)}`;
      if (total) {
        const pct = Math.min(100, (read / total) * 100);
        const eta = rate > 0 ? Math.max(0, (total - read) / rate) : 0;
        text += ` / ${bytes(total)} (${pct.toFixed(0)}%) · ${bytes(rate)}/s · ETA ${eta.toFixed(0)}s`;
      } else {
        text += ` · ${bytes(rate)}/s`;
      }
      stream.write(`\r\u001b[2K${text}`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\u001b[2K');
    },
  };
}
