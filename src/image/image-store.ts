/**
 * Uniform access to an image's JSON documents and layer blobs, whether they came from one pass
 * over an archive (already parsed) or live in an OCI layout directory (read on demand).
 */
import { createHash } from 'node:crypto';
import { InputError } from '../errors.js';
import { parseJson, readJson, resolveMember, type ArchiveMembers } from './archive-members.js';
import type { LayerReadResult } from './layer-sink.js';

export interface ImageStore {
  readonly label: string;
  has(path: string): boolean;
  /** Raw bytes of a JSON member, or null when missing. */
  jsonBytes(path: string): Buffer | null;
  json(path: string, what: string): unknown;
  layer(path: string): Promise<LayerReadResult>;
  /** Start reading these layers now (concurrently where the store can); optional. */
  prefetch?(paths: string[]): void;
  /** Byte range of a blob in a regular file, when the store reads by seeking. */
  locate?(path: string): { file: string; offset: number; length: number } | null;
}

/** Path of a blob in an OCI layout, from its digest. */
export function blobPath(digest: string, what: string): string {
  const m = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/.exec(digest);
  if (!m) throw new InputError(`${what} has an invalid digest "${digest.slice(0, 100)}"`);
  return `blobs/${m[1]}/${m[2]}`;
}

export function sha256(buf: Uint8Array): string {
  return `sha256:${createHash('sha256').update(buf).digest('hex')}`;
}

/** Checks a JSON blob's bytes against the digest that names it. */
export function verifyJsonDigest(store: ImageStore, path: string, digest: string, what: string): void {
  const bytes = store.jsonBytes(path);
  if (!bytes || !digest.startsWith('sha256:')) return;
  const actual = sha256(bytes);
  if (actual !== digest) {
    throw new InputError(`${what} "${path}": content digest ${actual} does not match ${digest}`);
  }
}

export class ArchiveStore implements ImageStore {
  constructor(readonly label: string, private readonly m: ArchiveMembers) {}

  has(path: string): boolean {
    const k = resolveMember(this.m, path);
    return this.m.json.has(k) || this.m.layers.has(k) || this.m.other.has(k);
  }

  jsonBytes(path: string): Buffer | null {
    return this.m.json.get(resolveMember(this.m, path)) ?? null;
  }

  json(path: string, what: string): unknown {
    return readJson(this.m, path, what);
  }

  async layer(path: string): Promise<LayerReadResult> {
    const k = resolveMember(this.m, path);
    const r = this.m.layers.get(k);
    if (r) return r;
    const other = this.m.other.get(k);
    if (other) throw new InputError(`layer "${path}" cannot be read: ${other.why}`);
    if (this.m.json.has(k)) throw new InputError(`layer "${path}" is a JSON document, not a tar archive`);
    throw new InputError(`layer "${path}" is missing from the archive`);
  }
}

export { parseJson };
