/**
 * What one pass over an image archive collects: small JSON members (manifests, configs, indexes),
 * every layer blob already parsed into a LayerIndex, and link aliases between members. Members
 * may come in any order (layers before manifest.json), so everything is keyed by member path and
 * interpreted once the pass is over.
 */
import { InputError } from '../errors.js';
import type { LayerReadResult } from './layer-sink.js';

/** Largest JSON document accepted (real manifests and configs are a few KB to a few MB). */
export const MAX_JSON_BYTES = 16 * 1024 * 1024;

export interface ArchiveMembers {
  json: Map<string, Buffer>;
  layers: Map<string, LayerReadResult>;
  /** Members that were neither JSON nor a layer, with their size (VERSION files, oversize JSON). */
  other: Map<string, { size: number; why: string }>;
  /** Symlink or hard-link member → the member it names (skopeo's `<id>/layer.tar` → `<diffid>.tar`). */
  links: Map<string, string>;
  /** Member paths in archive order. */
  order: string[];
}

export function emptyMembers(): ArchiveMembers {
  return { json: new Map(), layers: new Map(), other: new Map(), links: new Map(), order: [] };
}

/** Follows link aliases (at most 8 hops) to the member that holds the bytes. */
export function resolveMember(m: ArchiveMembers, path: string): string {
  let p = normalizeMemberPath(path);
  for (let i = 0; i < 8 && m.links.has(p); i++) p = m.links.get(p)!;
  return p;
}

export function normalizeMemberPath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/** Parses a JSON member; throws an InputError naming it when missing or invalid. */
export function readJson(m: ArchiveMembers, path: string, what: string): unknown {
  const key = resolveMember(m, path);
  const buf = m.json.get(key);
  if (!buf) {
    const other = m.other.get(key);
    if (other) throw new InputError(`${what} "${path}" cannot be read: ${other.why}`);
    if (m.layers.has(key)) throw new InputError(`${what} "${path}" is a tar archive, not JSON`);
    throw new InputError(`${what} "${path}" is missing from the archive`);
  }
  return parseJson(buf, `${what} "${path}"`);
}

export function parseJson(buf: Buffer, what: string): unknown {
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (err) {
    const msg = (err as Error).message.replace(/^JSON\.parse: /, '');
    throw new InputError(`${what} is not valid JSON: ${msg.split('\n')[0]}`);
  }
}
