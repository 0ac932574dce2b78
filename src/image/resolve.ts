/**
 * Interprets an image's JSON documents: `manifest.json` (docker save) or `index.json` (OCI),
 * picks one image (by --image / --platform), and assembles its ordered layers with history and
 * verified digests.
 */
import { InputError, UsageError } from '../errors.js';
import type { Finding } from '../findings.js';
import { blobPath, verifyJsonDigest, type ImageStore } from './image-store.js';
import { formatPlatform, machinePlatform, parsePlatform, pickOne, platformMatches, referenceMatches, type Platform } from './select.js';
import type { ImageConfigSummary, ImageFormat, ImageLayer, ReadImageOptions } from './types.js';

export interface LayerRef {
  /** Member or file path of the blob. */
  source: string;
  mediaType: string | null;
  blobDigest: string | null;
  declaredSize: number | null;
}

export interface ResolvedParts {
  format: ImageFormat;
  tags: string[];
  platform: string | null;
  manifestDigest: string | null;
  configDigest: string | null;
  rawConfig: Record<string, unknown>;
  rawManifest: Record<string, unknown> | null;
  layers: LayerRef[];
  findings: Finding[];
}

const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

const BLOB_NAME = /^blobs\/([a-z0-9]+)\/([a-f0-9]{32,})$/;

/** The digest a member path names (`blobs/sha256/<hex>`), if any. */
export function digestFromPath(path: string): string | null {
  const m = BLOB_NAME.exec(path);
  return m ? `${m[1]}:${m[2]}` : null;
}

// ---------------------------------------------------------------- docker save manifest.json

export function resolveDocker(store: ImageStore, opts: ReadImageOptions, format: ImageFormat): ResolvedParts {
  const doc = store.json('manifest.json', 'docker manifest');
  if (!Array.isArray(doc) || doc.length === 0 || !doc.every(isObject)) {
    throw new InputError('manifest.json is not a list of image entries');
  }
  const entries = doc as Json[];
  for (const [i, e] of entries.entries()) {
    if (typeof e.Config !== 'string' || !Array.isArray(e.Layers) || !e.Layers.every((l) => typeof l === 'string')) {
      throw new InputError(`manifest.json entry ${i} lacks a "Config" string or a "Layers" list`);
    }
  }
  const tagsOf = (e: Json) => (Array.isArray(e.RepoTags) ? e.RepoTags.filter((t): t is string => typeof t === 'string') : []);
  const idOf = (e: Json) => String(e.Config).replace(/^blobs\/sha256\//, '').replace(/\.json$/, '');
  let candidates = entries;
  if (opts.image) {
    const want = opts.image;
    const wantId = want.replace(/^sha256:/, '');
    candidates = entries.filter((e) => tagsOf(e).some((t) => referenceMatches(want, t)) || (wantId.length >= 6 && idOf(e).startsWith(wantId)));
    if (candidates.length === 0) {
      const all = entries.map((e) => tagsOf(e).join(' ') || idOf(e).slice(0, 12)).join(', ');
      throw new UsageError(`no image "${want}" in the archive; it holds: ${all}`);
    }
  }
  const entry = pickOne(candidates, (e) => tagsOf(e)[0] ?? idOf(e).slice(0, 12), 'images', '--image NAME:TAG');
  const configPath = String(entry.Config);
  const rawConfig = store.json(configPath, 'image config');
  if (!isObject(rawConfig)) throw new InputError(`image config "${configPath}" is not a JSON object`);
  let configDigest = digestFromPath(configPath);
  if (configDigest) verifyJsonDigest(store, configPath, configDigest, 'image config');
  else if (/^[a-f0-9]{64}\.json$/.test(configPath)) {
    configDigest = `sha256:${configPath.slice(0, 64)}`;
    verifyJsonDigest(store, configPath, configDigest, 'image config');
  }
  const layers: LayerRef[] = (entry.Layers as string[]).map((source) => ({
    source,
    mediaType: null,
    blobDigest: digestFromPath(source),
    declaredSize: null,
  }));
  return {
    format,
    tags: tagsOf(entry),
    platform: platformOfConfig(rawConfig),
    manifestDigest: null,
    configDigest,
    rawConfig,
    rawManifest: null,
    layers,
    findings: [],
  };
}

// ---------------------------------------------------------------- OCI index.json

interface Candidate {
  manifestPath: string;
  manifestDigest: string;
  refs: string[];
  platform: Platform | null;
}

export function resolveOci(store: ImageStore, opts: ReadImageOptions, format: ImageFormat): ResolvedParts {
  const index = store.json('index.json', 'image index');
  if (!isObject(index) || !Array.isArray(index.manifests)) throw new InputError('index.json has no "manifests" list');
  const findings: Finding[] = [];
  const candidates: Candidate[] = [];
  collectCandidates(store, index.manifests, [], null, 0, candidates, findings);
  if (candidates.length === 0) throw new InputError('index.json lists no image manifest present in the input');

  let pool = candidates;
  if (opts.image) {
    const want = opts.image;
    pool = candidates.filter((c) => c.refs.some((r) => referenceMatches(want, r) || r === want) || c.manifestDigest.startsWith(want) || c.manifestDigest === `sha256:${want}`);
    if (pool.length === 0) {
      const all = [...new Set(candidates.flatMap((c) => c.refs))];
      throw new UsageError(`no image "${want}" in the input; it holds: ${all.length ? all.join(', ') : candidates.map((c) => c.manifestDigest.slice(0, 19)).join(', ')}`);
    }
  }
  // Fill in platforms from configs where descriptors do not carry them.
  for (const c of pool) {
    if (c.platform) continue;
    const m = store.json(c.manifestPath, 'image manifest');
    if (isObject(m) && isObject(m.config) && typeof m.config.digest === 'string') {
      const cfgPath = blobPath(m.config.digest, 'image config');
      if (store.has(cfgPath)) {
        const cfg = store.json(cfgPath, 'image config');
        if (isObject(cfg) && typeof cfg.os === 'string' && typeof cfg.architecture === 'string') {
          c.platform = { os: cfg.os, architecture: cfg.architecture, ...(typeof cfg.variant === 'string' ? { variant: cfg.variant } : {}) };
        }
      }
    }
  }
  const describe = (c: Candidate) => `${c.refs[0] ?? c.manifestDigest.slice(0, 19)}${c.platform ? ` (${formatPlatform(c.platform)})` : ''}`;
  if (opts.platform) {
    const want = parsePlatform(opts.platform);
    const matched = pool.filter((c) => c.platform && platformMatches(want, c.platform));
    if (matched.length === 0) {
      throw new UsageError(`no image for platform ${opts.platform}; the input holds: ${pool.map(describe).join(', ')}`);
    }
    pool = matched;
  } else if (pool.length > 1) {
    const distinct = new Set(pool.map((c) => (c.platform ? formatPlatform(c.platform) : '?')));
    if (distinct.size > 1) {
      const mine = machinePlatform();
      const matched = pool.filter((c) => c.platform && platformMatches(mine, c.platform));
      if (matched.length === 0) {
        throw new UsageError(`the input holds images for ${[...distinct].join(', ')} but none for this machine (${formatPlatform(mine)}); choose one with --platform: ${pool.map(describe).join(', ')}`);
      }
      pool = matched;
    }
  }
  const chosen = pickOne(pool, describe, 'images', '--image or --platform');
  const manifest = store.json(chosen.manifestPath, 'image manifest');
  verifyJsonDigest(store, chosen.manifestPath, chosen.manifestDigest, 'image manifest');
  if (!isObject(manifest) || !isObject(manifest.config) || typeof manifest.config.digest !== 'string' || !Array.isArray(manifest.layers)) {
    throw new InputError(`image manifest "${chosen.manifestPath}" lacks a config descriptor or a layers list`);
  }
  const configDigest = manifest.config.digest;
  const configPath = blobPath(configDigest, 'image config');
  const rawConfig = store.json(configPath, 'image config');
  verifyJsonDigest(store, configPath, configDigest, 'image config');
  if (!isObject(rawConfig)) throw new InputError(`image config "${configPath}" is not a JSON object`);
  const layers: LayerRef[] = manifest.layers.map((d, i) => {
    if (!isObject(d) || typeof d.digest !== 'string') throw new InputError(`image manifest layer ${i} has no digest`);
    return {
      source: blobPath(d.digest, `layer ${i}`),
      mediaType: str(d.mediaType),
      blobDigest: d.digest,
      declaredSize: typeof d.size === 'number' ? d.size : null,
    };
  });
  return {
    format,
    tags: chosen.refs,
    platform: chosen.platform ? formatPlatform(chosen.platform) : platformOfConfig(rawConfig),
    manifestDigest: chosen.manifestDigest,
    configDigest,
    rawConfig,
    rawManifest: manifest,
    layers,
    findings,
  };
}

function collectCandidates(
  store: ImageStore,
  descriptors: unknown[],
  refs: string[],
  platform: Platform | null,
  depth: number,
  out: Candidate[],
  findings: Finding[],
): void {
  if (depth > 4) throw new InputError('image indexes nest more than 4 levels deep');
  for (const d of descriptors) {
    if (!isObject(d) || typeof d.digest !== 'string') continue;
    const ann = isObject(d.annotations) ? d.annotations : {};
    if (ann['vnd.docker.reference.type'] === 'attestation-manifest') continue;
    const p = isObject(d.platform) && typeof d.platform.os === 'string' && typeof d.platform.architecture === 'string'
      ? { os: d.platform.os, architecture: d.platform.architecture, ...(typeof d.platform.variant === 'string' ? { variant: d.platform.variant } : {}) }
      : platform;
    if (p && p.os === 'unknown') continue;
    const names = [ann['io.containerd.image.name'], ann['org.opencontainers.image.ref.name']].filter((x): x is string => typeof x === 'string');
    const myRefs = [...refs, ...names];
    const path = blobPath(d.digest, 'index entry');
    if (!store.has(path)) {
      findings.push({ severity: 'info', code: 'manifest-absent', message: `index entry ${d.digest.slice(0, 19)}${p ? ` (${formatPlatform(p)})` : ''} is not included in the input` });
      continue;
    }
    const mediaType = str(d.mediaType);
    let isIndex = mediaType !== null && INDEX_TYPES.has(mediaType);
    let doc: unknown = null;
    if (mediaType === null || (!isIndex && !mediaType.includes('manifest'))) {
      doc = store.json(path, 'index entry');
      isIndex = isObject(doc) && Array.isArray(doc.manifests);
    }
    if (isIndex) {
      doc ??= store.json(path, 'image index');
      verifyJsonDigest(store, path, d.digest, 'image index');
      if (!isObject(doc) || !Array.isArray(doc.manifests)) throw new InputError(`image index "${path}" has no "manifests" list`);
      collectCandidates(store, doc.manifests, myRefs, p, depth + 1, out, findings);
    } else {
      out.push({ manifestPath: path, manifestDigest: d.digest, refs: [...new Set(myRefs)], platform: p });
    }
  }
}

// ---------------------------------------------------------------- shared

function platformOfConfig(cfg: Json): string | null {
  if (typeof cfg.os !== 'string' || typeof cfg.architecture !== 'string') return null;
  return `${cfg.os}/${cfg.architecture}${typeof cfg.variant === 'string' ? `/${cfg.variant}` : ''}`;
}

export function summarizeConfig(cfg: Json): ImageConfigSummary {
  const c = isObject(cfg.config) ? cfg.config : {};
  const strList = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null);
  const labels: Record<string, string> = {};
  if (isObject(c.Labels)) for (const [k, v] of Object.entries(c.Labels)) if (typeof v === 'string') labels[k] = v;
  return {
    os: str(cfg.os),
    architecture: str(cfg.architecture),
    variant: str(cfg.variant),
    created: str(cfg.created),
    env: strList(c.Env) ?? [],
    entrypoint: strList(c.Entrypoint),
    cmd: strList(c.Cmd),
    workingDir: str(c.WorkingDir) || null,
    user: str(c.User) || null,
    labels,
  };
}

/** History entries aligned to layers: the i-th non-empty entry describes layer i. */
export function alignHistory(cfg: Json, layerCount: number, findings: Finding[]): { command: string | null; created: string | null; comment: string | null }[] {
  const hist = Array.isArray(cfg.history) ? cfg.history.filter(isObject) : [];
  const real = hist.filter((h) => h.empty_layer !== true);
  if (hist.length > 0 && real.length !== layerCount) {
    findings.push({
      severity: 'warning',
      code: 'history-mismatch',
      message: `the config history has ${real.length} non-empty entries for ${layerCount} layers; commands are aligned from the first layer`,
    });
  }
  return Array.from({ length: layerCount }, (_, i) => {
    const h = real[i];
    return {
      command: h ? str(h.created_by) : null,
      created: h ? str(h.created) : null,
      comment: h ? str(h.comment) : null,
    };
  });
}

/** Reads (or fetches already-parsed) layer blobs in order and checks them against the config. */
export async function assembleLayers(
  store: ImageStore,
  parts: ResolvedParts,
  hashed: boolean,
): Promise<{ layers: ImageLayer[]; findings: Finding[]; verified: boolean }> {
  const findings: Finding[] = [...parts.findings];
  const rootfs = isObject(parts.rawConfig.rootfs) ? parts.rawConfig.rootfs : {};
  const diffIds = Array.isArray(rootfs.diff_ids) ? rootfs.diff_ids.map((d) => (typeof d === 'string' ? d : null)) : null;
  if (!diffIds) throw new InputError('image config has no rootfs.diff_ids list');
  if (diffIds.length !== parts.layers.length) {
    throw new InputError(`image config lists ${diffIds.length} diff_ids but the manifest lists ${parts.layers.length} layers`);
  }
  const seen = new Map<string, number>();
  for (const [i, ref] of parts.layers.entries()) {
    const prev = seen.get(ref.source);
    if (prev !== undefined) {
      findings.push({ severity: 'info', code: 'layer-repeated', message: `layer ${i} is the same blob as layer ${prev} ("${ref.source}")`, layer: i });
    } else seen.set(ref.source, i);
  }
  const history = alignHistory(parts.rawConfig, parts.layers.length, findings);
  store.prefetch?.(parts.layers.map((l) => l.source));
  const layers: ImageLayer[] = [];
  for (const [i, ref] of parts.layers.entries()) {
    const label = `layer ${i} ("${ref.source}")`;
    const r = await store.layer(ref.source).catch((err: Error) => {
      throw new InputError(`reading ${label}: ${err.message.replace(/^layer "[^"]*" /, '')}`, { cause: err });
    });
    if (r.error) throw new InputError(`reading ${label}: ${r.error.message}`, { cause: r.error });
    if (hashed) {
      if (ref.blobDigest && r.blobDigest && ref.blobDigest.startsWith('sha256:') && r.blobDigest !== ref.blobDigest) {
        throw new InputError(`reading ${label}: content digest ${r.blobDigest} does not match ${ref.blobDigest}`);
      }
      const want = diffIds[i];
      if (want && r.diffId && want.startsWith('sha256:') && r.diffId !== want) {
        throw new InputError(`reading ${label}: uncompressed digest ${r.diffId} does not match the config's diff_id ${want}`);
      }
    }
    if (ref.declaredSize !== null && ref.declaredSize !== r.blobSize) {
      throw new InputError(`reading ${label}: the manifest says ${ref.declaredSize} bytes but the blob has ${r.blobSize}`);
    }
    for (const f of r.findings) findings.push({ ...f, layer: i });
    const h = history[i]!;
    layers.push({
      index: i,
      digest: diffIds[i] ?? r.diffId,
      blobDigest: ref.blobDigest,
      mediaType: ref.mediaType,
      compression: r.compression,
      blobSize: r.blobSize,
      tarSize: r.tarSize,
      entries: r.entries,
      command: h.command,
      created: h.created,
      comment: h.comment,
      source: ref.source,
      location: store.locate?.(ref.source) ?? null,
      tree: r.index,
    });
  }
  return { layers, findings, verified: hashed };
}
