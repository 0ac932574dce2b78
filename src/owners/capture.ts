/**
 * Keeps the contents of the few files the owner collectors need (package databases, UPS metadata,
 * Spack specs) while layers stream by, and afterwards hands out the version of each that the
 * merged tree shows. Everything else is skipped, never buffered.
 */
import type { Finding } from '../findings.js';
import type { EntryConsumer } from '../tar/stream-parser.js';
import { Kind, type LayerIndex } from '../tree/layer-index.js';
import type { CaptureHook } from '../tree/layer-builder.js';
import type { MergedTree } from '../tree/merged-tree.js';

/** Largest single file captured (real rpmdb Packages files reach a few hundred MB). */
export const MAX_CAPTURE_FILE = 512 * 1024 * 1024;
/** Largest total captured over the whole image. */
export const MAX_CAPTURE_TOTAL = 2 * 1024 * 1024 * 1024;

export class CaptureStore {
  private readonly byLayer = new Map<LayerIndex, Map<number, { path: string; data: Buffer }>>();
  private total = 0;
  readonly findings: Finding[] = [];

  constructor(private readonly wants: (path: string, size: number) => boolean) {}

  hook(): CaptureHook {
    return (path, entry, kind, layer, entryIndex) => {
      if (kind !== Kind.File || !this.wants(path, entry.size)) return null;
      if (entry.size > MAX_CAPTURE_FILE || this.total + entry.size > MAX_CAPTURE_TOTAL) {
        this.findings.push({
          severity: 'warning',
          code: 'capture-too-large',
          message: `"/${path}" (${entry.size} bytes) was not read: over the capture limit; its owners are not attributed`,
          path,
        });
        return null;
      }
      this.total += entry.size;
      return new Collector(entry.size, (data) => {
        let m = this.byLayer.get(layer);
        if (!m) this.byLayer.set(layer, (m = new Map()));
        m.set(entryIndex, { path, data });
      });
    };
  }

  /** The captured files as the merged tree shows them (the visible layer's copy of each path). */
  visible(tree: MergedTree): CapturedFiles {
    const out = new Map<string, Buffer>();
    for (const [layer, files] of this.byLayer) {
      const L = tree.layers.indexOf(layer);
      if (L < 0) continue; // a blob of another image in the same archive
      for (const [entryIndex, f] of files) {
        const node = layer.node[entryIndex]!;
        if (tree.layerOf(node) === L && tree.cols.entry[node] === entryIndex) out.set(f.path, f.data);
      }
    }
    return new CapturedFiles(out);
  }
}

class Collector implements EntryConsumer {
  private readonly buf: Buffer;
  private fill = 0;
  constructor(size: number, private readonly done: (data: Buffer) => void) {
    this.buf = Buffer.allocUnsafe(size);
  }
  write(chunk: Uint8Array): void {
    this.buf.set(chunk, this.fill);
    this.fill += chunk.length;
  }
  end(): void {
    this.done(this.buf.subarray(0, this.fill));
  }
}

/** Visible captured files by relative path. */
export class CapturedFiles {
  constructor(private readonly files: Map<string, Buffer>) {}

  get(path: string): Buffer | undefined {
    return this.files.get(path);
  }

  text(path: string): string | undefined {
    return this.files.get(path)?.toString('utf8');
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  *entries(filter?: (path: string) => boolean): IterableIterator<[string, Buffer]> {
    for (const e of [...this.files].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      if (!filter || filter(e[0])) yield e;
    }
  }

  get size(): number {
    return this.files.size;
  }
}
