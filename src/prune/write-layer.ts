/**
 * Writes the slimmed layer: a second pass over the input's layers that copies every kept entry of
 * the merged tree with its original header (mode, uid/gid, names, mtime, PAX records and xattrs)
 * and data. Layers are read in order, each entry once; data is copied straight from the input file.
 *
 * - squash (keepLayers = 0): one layer holding the merged tree minus what the plan drops;
 * - keepLayers = N: the first N layers stay as they are, and this layer holds what the later layers
 *   contributed (minus drops), plus whiteouts for what N layers hold but the result must not.
 *
 * Hard links: an inode is written once, under its first kept name in node order (its "carrier"),
 * at the position of the entry that stored its data; its other kept names become hard links to
 * the carrier. When the original first name is dropped, the links are re-pointed to the carrier.
 *
 * Stripped files (the plan's `stripped`): the data is read whole, written without its debug
 * information (`stripDebug`), and the header carries the new size — the size the plan projected,
 * since both follow `src/elf/strip.ts`'s layout. With kept base layers, a stripped file of a base
 * layer is written again in the new layer.
 */
import fs from 'node:fs';
import type { Analysis } from '../analysis/analyze.js';
import { stripDebugPieces, stripDebugReport } from '../elf/strip.js';
import { LayerSink } from '../image/layer-sink.js';
import type { TarEntry } from '../tar/entry.js';
import { walkTarRange, WindowReader } from '../tar/seek-walker.js';
import type { EntryConsumer, TarHandler } from '../tar/stream-parser.js';
import { encodeHeader, paddingFor, END_OF_ARCHIVE, type HeaderFields } from '../tar/write-header.js';
import { classifyEntry } from '../tree/layer-builder.js';
import { Kind } from '../tree/layer-index.js';
import { mergeLayers } from '../tree/merge.js';
import type { MergedTree } from '../tree/merged-tree.js';
import { NO_NODE, ROOT } from '../tree/path-table.js';
import { stripsInPlace, withinStripLimit } from './strip-policy.js';
import type { FileOut } from './tar-out.js';

export interface WriteLayerOptions {
  /** Per node: 1 = not written (from the plan). */
  dropped: Uint8Array;
  /** 0 = squash everything; N = keep the first N layers and write the rest as one layer. */
  keepLayers: number;
  /** Per node: 1 = write this regular file without its debug information (from the plan). */
  stripped?: Uint8Array;
}

export interface WriteLayerStats {
  entries: number;
  files: number;
  /** Regular-file data bytes written. */
  dataBytes: number;
  whiteouts: number;
  repointedLinks: number;
  /** Files written without their debug information, and the bytes that saved. */
  strippedFiles: number;
  strippedBytes: number;
}

const TYPEFLAG: Partial<Record<number, HeaderFields['typeflag']>> = {
  [Kind.File]: '0',
  [Kind.Dir]: '5',
  [Kind.Symlink]: '2',
  [Kind.Char]: '3',
  [Kind.Block]: '4',
  [Kind.Fifo]: '6',
};

export async function writeSlimLayer(a: Analysis, out: FileOut, opts: WriteLayerOptions): Promise<WriteLayerStats> {
  const { tree, paths } = a;
  const n = paths.size;
  const N = opts.keepLayers;
  const layers = a.image.layers;
  const stats: WriteLayerStats = { entries: 0, files: 0, dataBytes: 0, whiteouts: 0, repointedLinks: 0, strippedFiles: 0, strippedBytes: 0 };
  const stripped = opts.stripped ?? null;

  // What the first N layers hold (only for keepLayers > 0).
  const base: MergedTree | null = N > 0 ? mergeLayers(paths, layers.slice(0, N).map((l) => l.tree)).tree : null;

  // Which nodes this layer writes.
  const emit = new Uint8Array(n);
  for (let node = 1; node < n; node++) {
    if (!tree.isPresent(node) || opts.dropped[node]) continue;
    if (!base) emit[node] = 1;
    else if (tree.layerOf(node) >= N || stripped?.[node]) emit[node] = 1;
  }
  // A written node needs its parents to exist: in squash mode they are all written; with kept
  // layers, an implicit parent the base layers lack is written too.
  if (base) {
    for (let node = n - 1; node > 0; node--) {
      if (!emit[node]) continue;
      const p = paths.parent[node]!;
      if (p !== ROOT && !emit[p] && !base.isDir(p)) emit[p] = 1;
    }
  }

  // Carrier of each inode: its first emitted name. With kept layers, an inode stored in a kept
  // layer is written again as a plain file for each new name (no links across layers).
  const carrier = new Int32Array(tree.cols.inodeSize.length).fill(-1);
  for (let node = 1; node < n; node++) {
    if (!emit[node] || !tree.isFile(node)) continue;
    const ino = tree.inodeOf(node);
    if (carrier[ino] === -1) carrier[ino] = node;
  }
  // Where each needed inode's data is: layer → (entry → inode).
  const dataAt = layers.map(() => new Map<number, number>());
  const inodeLayer = tree.cols.inodeLayer;
  const inodeEntry = tree.cols.inodeEntry;
  for (let ino = 0; ino < carrier.length; ino++) {
    if (carrier[ino] === -1) continue;
    dataAt[inodeLayer[ino]!]!.set(inodeEntry[ino]!, ino);
  }
  const carrierWritten = new Uint8Array(carrier.length);
  // Nodes whose data is copied per name because their inode lies in a kept layer.
  const copyPerName = new Map<number, number[]>(); // inode -> nodes
  if (base) {
    for (let node = 1; node < n; node++) {
      if (!emit[node] || !tree.isFile(node)) continue;
      const ino = tree.inodeOf(node);
      if (inodeLayer[ino]! < N) {
        let list = copyPerName.get(ino);
        if (!list) copyPerName.set(ino, (list = []));
        list.push(node);
        dataAt[inodeLayer[ino]!]!.set(inodeEntry[ino]!, ino);
      }
    }
  }

  const header = (node: number, e: TarEntry, kind: number, size: number, linkname?: string): HeaderFields => {
    const rel = paths.pathOf(node);
    return {
      name: kind === Kind.Dir ? `${rel}/` : rel,
      typeflag: linkname !== undefined && kind === Kind.File ? '1' : TYPEFLAG[kind] ?? '0',
      mode: e.mode,
      uid: e.uid,
      gid: e.gid,
      size,
      mtime: e.mtime,
      linkname: linkname ?? (kind === Kind.Symlink ? e.linkname : ''),
      uname: e.uname,
      gname: e.gname,
      devmajor: e.devmajor,
      devminor: e.devminor,
      pax: e.pax,
    };
  };
  const writeEntry = (h: HeaderFields): void => {
    out.write(encodeHeader(h));
    stats.entries++;
  };

  // Whiteouts first: what the kept layers hold that the result must not show.
  if (base) {
    const stack = [ROOT];
    while (stack.length > 0) {
      const node = stack.pop()!;
      for (let c = paths.firstChild[node]!; c !== NO_NODE; c = paths.nextSibling[c]!) {
        if (!base.isPresent(c)) continue;
        const keptHere = tree.isPresent(c) && !opts.dropped[c];
        if (!keptHere) {
          const rel = paths.pathOf(c);
          const slash = rel.lastIndexOf('/');
          const wh = slash < 0 ? `.wh.${rel}` : `${rel.slice(0, slash)}/.wh.${rel.slice(slash + 1)}`;
          writeEntry({ name: wh, typeflag: '0', mode: 0o644, uid: 0, gid: 0, size: 0, mtime: 0 });
          stats.whiteouts++;
        } else if (base.isDir(c) && tree.isDir(c)) {
          stack.push(c);
        }
      }
    }
  }

  // Implicit directories (no entry in any layer) that are written: synthesized, parents first.
  for (let node = 1; node < n; node++) {
    if (emit[node] && tree.isDir(node) && tree.cols.entry[node] === -1) {
      writeEntry({ name: `${paths.pathOf(node)}/`, typeflag: '5', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: 0 });
    }
  }

  // Layers in order; only those holding something to write.
  const needed = new Set<number>();
  for (let node = 1; node < n; node++) if (emit[node] && tree.cols.entry[node] >= 0) needed.add(tree.layerOf(node));
  dataAt.forEach((m, L) => m.size > 0 && needed.add(L));
  for (let L = 0; L < layers.length; L++) {
    if (!needed.has(L)) continue;
    const li = layers[L]!.tree;
    const loc = layers[L]!.location;
    const inPlace = stripsInPlace(a.layers[L]?.compression ?? 'none');
    if (!loc) throw new Error(`layer ${L} has no file location to copy from (the input must be a file or directory)`);
    let ordinal = -1;
    const fd = fs.openSync(loc.file, 'r');
    try {
      const handler: TarHandler = {
        onEntry: (e): EntryConsumer | null => {
          const c = classifyEntry(e);
          if (c.kind === null) return null;
          const i = ++ordinal;
          const node = li.node[i]!;
          const ino = dataAt[L]!.get(i);
          let consumer: EntryConsumer | null = null;
          if (ino !== undefined) {
            const size = tree.cols.inodeSize[ino]!;
            const perName = copyPerName.get(ino);
            const targets = perName ?? (carrierWritten[ino] ? [] : [carrier[ino]!]);
            if (!perName) carrierWritten[ino] = 1;
            if (targets.length > 0) {
              consumer =
                stripped !== null && stripped[targets[0]!] && withinStripLimit(size, inPlace)
                  ? stripCopier(out, (n) => targets.map((t) => encodeHeader(header(t, e, Kind.File, n))), size, stats)
                  : dataCopier(out, targets.map((t) => encodeHeader(header(t, e, Kind.File, size))), size, stats);
            }
          }
          if (tree.cols.entry[node] === i && tree.layerOf(node) === L && emit[node]) {
            const kind = tree.kindOf(node);
            if (kind === Kind.File) {
              const nino = tree.inodeOf(node);
              if (!copyPerName.has(nino) && carrier[nino] !== node) {
                // Another name of an inode already written: a hard link to its carrier.
                const target = paths.pathOf(carrier[nino]!);
                if (li.kind[i] === Kind.Hardlink && paths.lookup(normalizeLink(e.linkname)) !== carrier[nino]) stats.repointedLinks++;
                if (consumer) {
                  // The data of this very entry goes to the carrier first; the link follows it.
                  const inner = consumer;
                  consumer = chain(inner, () => writeEntry(header(node, e, Kind.File, 0, target)));
                } else {
                  writeEntry(header(node, e, Kind.File, 0, target));
                }
              }
            } else if (kind !== -1 && kind !== Kind.Hardlink && kind !== Kind.Other) {
              writeEntry(header(node, e, kind, 0));
            }
          }
          return consumer;
        },
      };
      if (layers[L]!.compression === 'none') {
        await walkTarRange(new WindowReader(fd), loc.offset, loc.length, handler);
      } else {
        await streamCompressed(fd, loc.offset, loc.length, handler);
      }
    } finally {
      fs.closeSync(fd);
    }
  }
  out.write(END_OF_ARCHIVE);
  return stats;
}

function normalizeLink(link: string): string {
  return link.replace(/^\.?\/+/, '').replace(/\/+$/, '');
}

/** A consumer that writes the given headers and the entry's data after each. */
function dataCopier(out: FileOut, headers: Buffer[], size: number, stats: WriteLayerStats): EntryConsumer {
  // One name: stream straight through. Several (per-name copies): buffer the data once.
  if (headers.length === 1) {
    out.write(headers[0]!);
    stats.entries++;
    stats.files++;
    let written = 0;
    return {
      write(chunk) {
        out.write(chunk);
        written += chunk.length;
      },
      end() {
        if (written !== size) throw new Error(`size mismatch copying a file: ${written} of ${size} bytes`);
        out.zeros(paddingFor(size));
        stats.dataBytes += size;
      },
      readAt(read, total, source) {
        // Uncompressed source: copy the byte range straight from the file.
        if (source) {
          out.copyFrom(source.fd, source.offset, total);
          written = total;
          this.end();
          return;
        }
        let off = 0;
        while (off < total) {
          const piece = read(off, Math.min(4 * 1024 * 1024, total - off));
          if (!piece || piece.length === 0) throw new Error('unexpected end of input copying a file');
          out.write(piece);
          off += piece.length;
        }
        written = off;
        this.end();
      },
    };
  }
  const parts: Buffer[] = [];
  return {
    write(chunk) {
      parts.push(Buffer.from(chunk));
    },
    end() {
      const data = Buffer.concat(parts);
      for (const h of headers) {
        out.write(h);
        out.write(data);
        out.zeros(paddingFor(size));
        stats.entries++;
        stats.files++;
        stats.dataBytes += size;
      }
    },
  };
}

/**
 * A consumer that strips the entry's debug information and writes the headers (made for the
 * stripped size) with the stripped data after each. From an uncompressed input the data is written
 * as pieces: ranges copied from the input file, and the few parts that change (headers, the
 * relocated tail) held in memory. From a stream it is read whole, then stripped.
 */
function stripCopier(out: FileOut, headers: (size: number) => Buffer[], size: number, stats: WriteLayerStats): EntryConsumer {
  let data: Buffer | null = null;
  let filled = 0;
  const emit = (length: number, writeData: () => void): void => {
    for (const h of headers(length)) {
      out.write(h);
      writeData();
      out.zeros(paddingFor(length));
      stats.entries++;
      stats.files++;
      stats.dataBytes += length;
      if (length < size) {
        stats.strippedFiles++;
        stats.strippedBytes += size - length;
      }
    }
  };
  const finish = (): void => {
    if (filled !== size) throw new Error(`size mismatch copying a file: ${filled} of ${size} bytes`);
    const result = stripDebugReport(data ?? Buffer.alloc(0)).bytes;
    emit(result.length, () => out.write(result));
  };
  return {
    write(chunk) {
      if (filled + chunk.length > size) throw new Error(`size mismatch copying a file: more than ${size} bytes`);
      data ??= Buffer.allocUnsafe(size);
      data.set(chunk, filled);
      filled += chunk.length;
    },
    end: finish,
    readAt(read, total, source) {
      if (source && total === size) {
        const r = stripDebugPieces(read, total);
        const write = (from: number, to: number) => out.copyFrom(source.fd, source.offset + from, to - from);
        if (!r) emit(total, () => write(0, total));
        else emit(r.info.strippedSize, () => {
          for (const p of r.pieces) {
            if (p instanceof Uint8Array) out.write(p);
            else write(p.from, p.to);
          }
        });
        return;
      }
      data ??= Buffer.allocUnsafe(size);
      while (filled < total) {
        const piece = read(filled, Math.min(4 * 1024 * 1024, total - filled));
        if (!piece || piece.length === 0) throw new Error('unexpected end of input copying a file');
        data.set(piece, filled);
        filled += piece.length;
      }
      finish();
    },
  };
}

/** Runs `after` once the inner consumer has finished. */
function chain(inner: EntryConsumer, after: () => void): EntryConsumer {
  const c: EntryConsumer = {
    write: (chunk) => inner.write(chunk),
    end: () => {
      const r = inner.end();
      if (r instanceof Promise) return r.then(after);
      after();
    },
  };
  if (inner.readAt) {
    c.readAt = (read, size, source) => {
      const r = inner.readAt!(read, size, source);
      if (r instanceof Promise) return r.then(after);
      after();
    };
  }
  return c;
}

async function streamCompressed(fd: number, start: number, length: number, handler: TarHandler): Promise<void> {
  // Only the tar walk matters here: LayerSink decompresses and parses, sending entries to `handler`.
  // The analysis already read this layer within its inflate bound (which --max-bytes may raise).
  const sink = new LayerSink({ paths: null, hash: false, handler, bound: { maxBytes: Infinity } });
  const buf = Buffer.allocUnsafe(1024 * 1024);
  let off = 0;
  while (off < length) {
    const n = fs.readSync(fd, buf, 0, Math.min(buf.length, length - off), start + off);
    if (n === 0) break;
    off += n;
    let w = sink.write(Buffer.from(buf.subarray(0, n)));
    if (w instanceof Promise) w = await w;
    if (w === false) break;
  }
  await sink.end();
  const r = sink.result();
  if (r.error) throw r.error;
}
