/**
 * Entry point for reading an image: a path (archive file or OCI layout directory) or `-` for
 * stdin. Detects the format from content, reads every layer once, and returns the chosen image's
 * ordered layers over one shared PathTable.
 */
import fs from 'node:fs';
import tty from 'node:tty';
import path from 'node:path';
import { InputError } from '../errors.js';
import { TarFormatError } from '../tar/stream-parser.js';
import { PathTable } from '../tree/path-table.js';
import { ArchiveStore, type ImageStore } from './image-store.js';
import type { LayerReadResult } from './layer-sink.js';
import { readChunks } from './read-chunks.js';
import { readArchiveStream } from './read-stream.js';
import { LayoutDirStore, ProgressCounter, readBareLayerFile, SeekArchiveStore } from './read-seekable.js';
import { sniff, SNIFF_BYTES } from './sniff.js';
import { assembleLayers, resolveDocker, resolveOci, summarizeConfig, type ResolvedParts } from './resolve.js';
import type { ReadImageOptions, ResolvedImage } from './types.js';

export interface ReadImageResult {
  image: ResolvedImage;
  paths: PathTable;
}


export async function readImage(input: string, opts: ReadImageOptions = {}): Promise<ReadImageResult> {
  const paths = new PathTable();
  if (input === '-') {
    // The process's own stdin is read by fd into reused buffers (without touching process.stdin,
    // which would switch the pipe to non-blocking mode); a stream handed in is iterated.
    if (opts.stdin === undefined) {
      if (tty.isatty(0)) {
        throw new InputError('stdin is a terminal, not an image', { hint: 'pipe one in: docker save IMAGE | whittle analyze -' });
      }
      return readFromStream(readChunks(0), 'stdin', '-', null, paths, opts);
    }
    return readFromStream(opts.stdin as AsyncIterable<Uint8Array>, 'stdin', '-', null, paths, opts);
  }
  let st: fs.Stats;
  try {
    st = fs.statSync(input);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new InputError(`${input}: ${e.code === 'ENOENT' ? 'no such file or directory' : e.message}`);
  }
  if (st.isDirectory()) return readLayoutDir(input, paths, opts);
  if (!st.isFile() && !st.isFIFO() && !st.isCharacterDevice() && !st.isSocket()) {
    throw new InputError(`${input}: not a file or directory`);
  }
  const total = st.isFile() ? st.size : null;
  if (st.isFile() && opts.verify !== true && isPlainTar(input)) return readSeekable(input, st.size, paths, opts);
  // Opened read-only; the input is never modified.
  const fd = fs.openSync(input, 'r');
  try {
    return await readFromStream(readChunks(fd, st.isFile() ? 0 : null), input, input, total, paths, opts);
  } finally {
    fs.closeSync(fd);
  }
}

/** Whether a file starts like an uncompressed tar (then headers can be read by seeking). */
function isPlainTar(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    fs.readSync(fd, head, 0, SNIFF_BYTES, 0);
    return sniff(head) === 'tar';
  } finally {
    fs.closeSync(fd);
  }
}

/** A regular uncompressed tar file: read headers and seek over contents. */
async function readSeekable(input: string, size: number, paths: PathTable, opts: ReadImageOptions): Promise<ReadImageResult> {
  const fd = fs.openSync(input, 'r');
  const progress = new ProgressCounter(size, opts.onProgress);
  try {
    const store = new SeekArchiveStore(input, fd, paths, opts, progress);
    let mode: 'archive' | 'layer';
    try {
      mode = await store.index(size);
    } catch (err) {
      throw asSeekError(input, err);
    }
    if (mode === 'layer') {
      const layer = await readBareLayerFile(fd, size, paths, opts, progress);
      if (layer.error) throw new InputError(`${input}: ${layer.error.message}`, { cause: layer.error });
      const image = bareLayerImage(input, layer, 'none', size);
      image.layers[0]!.location = { file: path.resolve(input), offset: 0, length: size };
      return { image, paths };
    }
    const m = store.archiveMembers;
    let parts: ResolvedParts;
    try {
      if (m.json.has('manifest.json')) parts = resolveDocker(store, opts, m.json.has('index.json') ? 'docker-archive-oci' : 'docker-archive');
      else if (m.json.has('index.json')) parts = resolveOci(store, opts, 'oci-archive');
      else throw new InputError('no manifest.json or index.json in the archive: not an image archive');
    } catch (err) {
      throw prefix(input, err);
    }
    return await finish(store, parts, input, 'none', size, false, paths);
  } finally {
    fs.closeSync(fd);
  }
}

function asSeekError(label: string, err: unknown): Error {
  if (err instanceof InputError) return err;
  if (err instanceof TarFormatError) return new InputError(`${label}: corrupt tar: ${err.message}`);
  return new InputError(`${label}: ${(err as Error).message}`);
}

async function readFromStream(
  source: AsyncIterable<Uint8Array>,
  label: string,
  input: string,
  total: number | null,
  paths: PathTable,
  opts: ReadImageOptions,
): Promise<ReadImageResult> {
  const hashed = opts.verify !== false;
  const r = await readArchiveStream(source, label, paths, opts, total);
  if (r.mode === 'layer') {
    return { image: bareLayerImage(input, r.layer, r.outerCompression, r.inputBytes), paths };
  }
  const m = r.members;
  const store = new ArchiveStore(label, m);
  const hasManifest = m.json.has('manifest.json');
  const hasIndex = m.json.has('index.json');
  let parts: ResolvedParts;
  try {
    if (hasManifest) parts = resolveDocker(store, opts, hasIndex ? 'docker-archive-oci' : 'docker-archive');
    else if (hasIndex) parts = resolveOci(store, opts, 'oci-archive');
    else throw new InputError('no manifest.json or index.json in the archive: not an image archive');
  } catch (err) {
    throw prefix(label, err);
  }
  return finish(store, parts, input, r.outerCompression, r.inputBytes, hashed, paths);
}

async function finish(
  store: ImageStore,
  parts: ResolvedParts,
  input: string,
  outerCompression: ResolvedImage['outerCompression'],
  inputBytes: number,
  hashed: boolean,
  paths: PathTable,
): Promise<ReadImageResult> {
  let assembled;
  try {
    assembled = await assembleLayers(store, parts, hashed);
  } catch (err) {
    throw prefix(store.label, err);
  }
  paths.compact();
  return {
    image: {
      input,
      format: parts.format,
      outerCompression,
      inputBytes,
      tags: parts.tags,
      platform: parts.platform,
      manifestDigest: parts.manifestDigest,
      configDigest: parts.configDigest,
      config: summarizeConfig(parts.rawConfig),
      rawConfig: parts.rawConfig,
      rawManifest: parts.rawManifest,
      layers: assembled.layers,
      verified: assembled.verified,
      findings: assembled.findings,
    },
    paths,
  };
}

function bareLayerImage(input: string, layer: LayerReadResult, outer: ResolvedImage['outerCompression'], bytes: number): ResolvedImage {
  return {
    input,
    format: 'layer-tar',
    outerCompression: outer,
    inputBytes: bytes,
    tags: [],
    platform: null,
    manifestDigest: null,
    configDigest: null,
    config: null,
    rawConfig: null,
    rawManifest: null,
    layers: [
      {
        index: 0,
        digest: layer.diffId,
        blobDigest: null,
        mediaType: null,
        // For a bare layer the input is the blob: its compression is the layer's.
        compression: outer,
        blobSize: bytes,
        tarSize: layer.tarSize,
        entries: layer.entries,
        command: null,
        created: null,
        comment: null,
        source: input,
        location: null,
        tree: layer.index,
      },
    ],
    verified: false,
    findings: layer.findings.map((f) => ({ ...f, layer: 0 })),
  };
}

function prefix(label: string, err: unknown): Error {
  if (err instanceof InputError && !err.message.startsWith(label)) {
    return new InputError(`${label}: ${err.message}`, { cause: err, hint: err.hint });
  }
  return err as Error;
}

// ---------------------------------------------------------------- OCI layout directory

async function readLayoutDir(dir: string, paths: PathTable, opts: ReadImageOptions): Promise<ReadImageResult> {
  const progress = new ProgressCounter(null, opts.onProgress);
  const store = new LayoutDirStore(dir, dir, paths, opts, progress);
  try {
    let parts: ResolvedParts;
    try {
      if (store.has('manifest.json')) parts = resolveDocker(store, opts, store.has('index.json') ? 'docker-archive-oci' : 'docker-archive');
      else if (store.has('index.json')) parts = resolveOci(store, opts, 'oci-layout');
      else throw new InputError('neither an OCI image layout (index.json) nor an extracted docker save (manifest.json)');
    } catch (err) {
      throw prefix(dir, err);
    }
    const bytes = store.layoutBytes(parts.layers.map((l) => l.source));
    return await finish(store, parts, dir, 'none', bytes, opts.verify === true, paths);
  } finally {
    store.close();
  }
}
