/**
 * Writes the slimmed image in the chosen format: the kept base layers copied byte for byte, the
 * new layer, a config with correct diff_ids and a history entry saying what whittle did, and the
 * manifests. Everything goes to a temporary path that is renamed into place at the very end, so an
 * error or Ctrl-C never leaves a partial output. Same input and rules give the same bytes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import type { Analysis } from '../analysis/analyze.js';
import { OutputError, UsageError } from '../errors.js';
import { encodeHeader, END_OF_ARCHIVE, paddingFor } from '../tar/write-header.js';
import { FileOut } from './tar-out.js';
import { writeSlimLayer, type WriteLayerStats } from './write-layer.js';

export type OutputFormat = 'docker-archive' | 'oci' | 'oci-dir';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['docker-archive', 'oci', 'oci-dir'];

export interface WriteImageOptions {
  format: OutputFormat;
  /** 0 = squash; N = keep the first N layers byte-identical. */
  keepLayers: number;
  /** gzip the new layer. */
  gzip: boolean;
  /** `name:tag` to give the result (default: the input's first tag). */
  tag?: string | null;
  /** Per node: 1 = not written (from the plan). */
  dropped: Uint8Array;
  /** Per node: 1 = written without its debug information (the plan's `stripped`). */
  stripped?: Uint8Array;
  /** The history `created_by` text, e.g. "whittle prune --rules mu2e". */
  createdBy: string;
  /** Replace an existing output directory (oci-dir). */
  force?: boolean;
  /** Called with a cleanup function while a temporary output exists (for signal handlers). */
  onTemp?: (cleanup: (() => void) | null) => void;
}

export interface WrittenBlob {
  digest: string;
  size: number;
  mediaType: string;
}

export interface WriteImageResult {
  output: string;
  format: OutputFormat;
  /** diff_ids of the written image's layers, base first. */
  diffIds: string[];
  layers: WrittenBlob[];
  config: WrittenBlob;
  manifest: WrittenBlob | null;
  /** Uncompressed bytes of the new layer tar. */
  newLayerTarBytes: number;
  /** Bytes of the whole output (file size, or Σ files of the directory). */
  outputBytes: number;
  stats: WriteLayerStats;
}

const MT = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  layer: (c: 'none' | 'gzip' | 'zstd') =>
    c === 'none' ? 'application/vnd.oci.image.layer.v1.tar' : `application/vnd.oci.image.layer.v1.tar+${c}`,
};

/** Member or file writer for one output format. */
interface Sink {
  /** Writes a blob produced by `produce` (which writes through `out`), naming it once its digest is known. */
  blob(kind: 'layer' | 'json', produce: (out: FileOut) => Promise<void> | void, nameFor: (digest: string, index: number) => string): Promise<{ digest: string; size: number; name: string }>;
  finish(): Promise<void> | void;
}

export async function writeImage(a: Analysis, output: string, opts: WriteImageOptions): Promise<WriteImageResult> {
  const img = a.image;
  if (!img.rawConfig) throw new UsageError('the input is a bare layer tar: there is no image config to write an image from');
  if (opts.keepLayers < 0 || opts.keepLayers >= img.layers.length) {
    if (opts.keepLayers !== 0) {
      throw new UsageError(`--keep-layers ${opts.keepLayers}: the image has ${img.layers.length} layers; keep at most ${img.layers.length - 1}`);
    }
  }
  const outAbs = path.resolve(output);
  if (opts.format === 'oci-dir' && fs.existsSync(outAbs) && !opts.force) {
    const st = fs.statSync(outAbs);
    if (!st.isDirectory() || fs.readdirSync(outAbs).length > 0) {
      throw new UsageError(`${output} exists; use --force to replace it`);
    }
  }
  if (opts.format !== 'oci-dir' && fs.existsSync(outAbs) && fs.statSync(outAbs).isDirectory()) {
    throw new UsageError(`${output} is a directory; --format ${opts.format} writes a file`);
  }
  const tmp = path.join(path.dirname(outAbs), `.${path.basename(outAbs)}.whittle-${process.pid}.tmp`);
  // The temporary output, and the plain new layer that --gzip compresses from (`${tmp}.layer`).
  const cleanup = () => {
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(`${tmp}.layer`, { force: true });
  };
  opts.onTemp?.(cleanup);
  try {
    const result = await writeTo(a, tmp, opts);
    // A signal that came during the (synchronous) writing is handled here, before anything is renamed.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (opts.format === 'oci-dir' && fs.existsSync(outAbs)) fs.rmSync(outAbs, { recursive: true, force: true });
    fs.renameSync(tmp, outAbs);
    opts.onTemp?.(null);
    return { ...result, output: outAbs };
  } catch (err) {
    cleanup();
    opts.onTemp?.(null);
    const e = err as NodeJS.ErrnoException;
    if (e && typeof e.code === 'string' && e.syscall) {
      throw new OutputError(`writing ${output}: ${e.code === 'ENOSPC' ? 'no space left on device' : e.message}`, { cause: err });
    }
    throw err;
  }
}

async function writeTo(a: Analysis, tmp: string, opts: WriteImageOptions): Promise<Omit<WriteImageResult, 'output'>> {
  const img = a.image;
  const N = opts.keepLayers;
  const sink = opts.format === 'oci-dir' ? dirSink(tmp) : tarSink(tmp);
  const ociNames = opts.format !== 'docker-archive';
  const blobName = (digest: string) => `blobs/sha256/${digest.slice('sha256:'.length)}`;

  // Kept base layers: byte-identical copies of the source blobs.
  const layers: WrittenBlob[] = [];
  const memberNames: string[] = [];
  const diffIds: string[] = [];
  for (let i = 0; i < N; i++) {
    const l = img.layers[i]!;
    if (!l.location) throw new Error(`layer ${i} has no file location`);
    const loc = l.location;
    const fd = fs.openSync(loc.file, 'r');
    try {
      const b = await sink.blob('layer', (out) => out.copyFrom(fd, loc.offset, loc.length), (d) => (ociNames ? blobName(d) : `${d.slice(7)}/layer.tar`));
      layers.push({ digest: b.digest, size: b.size, mediaType: MT.layer(l.compression) });
      memberNames.push(b.name);
      diffIds.push(l.digest ?? b.digest);
    } finally {
      fs.closeSync(fd);
    }
  }

  // The new layer: written uncompressed (its digest is the diff_id), gzipped after if asked.
  let stats!: WriteLayerStats;
  let newTarBytes = 0;
  let diffId: string;
  if (opts.gzip) {
    const plainPath = `${tmp}.layer`;
    const fd = fs.openSync(plainPath, 'w');
    try {
      const out = new FileOut(fd);
      out.beginRegion();
      stats = await writeSlimLayer(a, out, { dropped: opts.dropped, stripped: opts.stripped, keepLayers: N });
      const r = await out.endRegion();
      diffId = r.digest;
      newTarBytes = r.size;
    } finally {
      fs.closeSync(fd);
    }
    try {
      const b = await sink.blob('layer', async (out) => {
        // mtime 0 and a fixed level keep the gzip bytes deterministic.
        const gz = zlib.createGzip({ level: 6 });
        await pipeline(fs.createReadStream(plainPath, { highWaterMark: 1 << 20 }), gz, async function (src: AsyncIterable<Buffer>) {
          for await (const chunk of src) out.write(chunk);
        });
      }, (d) => (ociNames ? blobName(d) : `${d.slice(7)}/layer.tar`));
      layers.push({ digest: b.digest, size: b.size, mediaType: MT.layer('gzip') });
      memberNames.push(b.name);
    } finally {
      fs.rmSync(plainPath, { force: true });
    }
  } else {
    let digestOfTar = '';
    const b = await sink.blob('layer', async (out) => {
      stats = await writeSlimLayer(a, out, { dropped: opts.dropped, stripped: opts.stripped, keepLayers: N });
    }, (d) => {
      digestOfTar = d;
      return ociNames ? blobName(d) : `${d.slice(7)}/layer.tar`;
    });
    diffId = digestOfTar;
    newTarBytes = b.size;
    layers.push({ digest: b.digest, size: b.size, mediaType: MT.layer('none') });
    memberNames.push(b.name);
  }
  diffIds.push(diffId);

  // Config: the original, with the new diff_ids and a history entry for what whittle did.
  const config = JSON.parse(JSON.stringify(img.rawConfig)) as Record<string, unknown>;
  const rootfs = (config.rootfs && typeof config.rootfs === 'object' ? config.rootfs : {}) as Record<string, unknown>;
  config.rootfs = { ...rootfs, type: 'layers', diff_ids: diffIds };
  const history = Array.isArray(config.history) ? (config.history as Record<string, unknown>[]) : [];
  const kept: Record<string, unknown>[] = [];
  let real = 0;
  for (const h of history) {
    if (h && h.empty_layer === true) kept.push(h);
    else if (real++ < N) kept.push(h);
  }
  kept.push({
    created_by: opts.createdBy,
    comment: N > 0
      ? `whittle: layers ${N}–${img.layers.length - 1} squashed into one and pruned`
      : `whittle: all ${img.layers.length} layers squashed into one and pruned`,
  });
  config.history = kept;
  const configBytes = Buffer.from(JSON.stringify(config));
  const cfg = await sink.blob('json', (out) => out.write(configBytes), (d) => (ociNames ? blobName(d) : `${d.slice(7)}.json`));
  const configBlob: WrittenBlob = { digest: cfg.digest, size: cfg.size, mediaType: MT.ociConfig };

  const tag = opts.tag ?? img.tags[0] ?? null;
  let manifestBlob: WrittenBlob | null = null;
  if (opts.format === 'docker-archive') {
    const manifest = [{ Config: cfg.name, RepoTags: tag ? [tag] : [], Layers: memberNames }];
    await sink.blob('json', (out) => out.write(Buffer.from(JSON.stringify(manifest))), () => 'manifest.json');
    if (tag) {
      const colon = tag.lastIndexOf(':');
      const repo = colon > tag.lastIndexOf('/') ? tag.slice(0, colon) : tag;
      const t = colon > tag.lastIndexOf('/') ? tag.slice(colon + 1) : 'latest';
      const repositories = { [repo]: { [t]: diffIds[diffIds.length - 1]!.slice(7) } };
      await sink.blob('json', (out) => out.write(Buffer.from(JSON.stringify(repositories))), () => 'repositories');
    }
  } else {
    const manifest = {
      schemaVersion: 2,
      mediaType: MT.ociManifest,
      config: { mediaType: MT.ociConfig, digest: cfg.digest, size: cfg.size },
      layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
    };
    const mb = Buffer.from(JSON.stringify(manifest));
    const m = await sink.blob('json', (out) => out.write(mb), (d) => blobName(d));
    manifestBlob = { digest: m.digest, size: m.size, mediaType: MT.ociManifest };
    const refName = tag ? tag.slice(tag.lastIndexOf(':') > tag.lastIndexOf('/') ? tag.lastIndexOf(':') + 1 : tag.length) || 'latest' : 'latest';
    const index = {
      schemaVersion: 2,
      mediaType: MT.ociIndex,
      manifests: [{
        mediaType: MT.ociManifest,
        digest: m.digest,
        size: m.size,
        annotations: { 'org.opencontainers.image.ref.name': refName, ...(tag ? { 'io.containerd.image.name': tag } : {}) },
      }],
    };
    await sink.blob('json', (out) => out.write(Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' }))), () => 'oci-layout');
    await sink.blob('json', (out) => out.write(Buffer.from(JSON.stringify(index))), () => 'index.json');
  }
  await sink.finish();
  const outputBytes = opts.format === 'oci-dir' ? dirBytes(tmp) : fs.statSync(tmp).size;
  return { format: opts.format, diffIds, layers, config: configBlob, manifest: manifestBlob, newLayerTarBytes: newTarBytes, outputBytes, stats };
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) total += fs.statSync(path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)).size;
  }
  return total;
}

/** A tar file: each blob is one member, its header written once its name and size are known. */
function tarSink(file: string): Sink {
  const fd = fs.openSync(file, 'w');
  const out = new FileOut(fd);
  let index = 0;
  return {
    async blob(_kind, produce, nameFor) {
      const headerAt = out.position;
      out.zeros(512); // reserved: the name (a digest) and size are known only afterwards
      out.beginRegion();
      await produce(out);
      const { size, digest } = await out.endRegion();
      out.zeros(paddingFor(size));
      const name = nameFor(digest, index++);
      const header = encodeHeader({ name, typeflag: '0', mode: 0o644, uid: 0, gid: 0, size, mtime: 0 });
      if (header.length !== 512) throw new Error(`archive member name too long: ${name}`);
      out.patch(headerAt, header);
      return { digest, size, name };
    },
    async finish() {
      out.write(END_OF_ARCHIVE);
      out.flush();
      fs.fsyncSync(fd);
      fs.closeSync(fd);
    },
  };
}

/** An OCI layout directory: each blob written to a temporary file, then renamed to its digest. */
function dirSink(dir: string): Sink {
  fs.mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
  let index = 0;
  return {
    async blob(_kind, produce, nameFor) {
      const tmpFile = path.join(dir, `.blob-${index}.tmp`);
      const fd = fs.openSync(tmpFile, 'w');
      let result: { digest: string; size: number };
      try {
        const out = new FileOut(fd);
        out.beginRegion();
        await produce(out);
        result = await out.endRegion();
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      const name = nameFor(result.digest, index++);
      fs.renameSync(tmpFile, path.join(dir, name));
      return { ...result, name };
    },
    finish() {},
  };
}

export function sha256Hex(buf: Uint8Array): string {
  return createHash('sha256').update(buf).digest('hex');
}
