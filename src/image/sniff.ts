/**
 * Content sniffing: what a blob is, from its first bytes. Media types and file names lie (real
 * archives label plain tar blobs as gzip), magic bytes do not.
 */
import { BLOCK, checksumOk, hasUstarMagic, isZeroBlock } from '../tar/header.js';

export type BlobKind = 'gzip' | 'zstd' | 'bzip2' | 'xz' | 'tar' | 'json' | 'unknown';

/** Bytes needed to tell every kind apart (a tar header block). */
export const SNIFF_BYTES = BLOCK;

export function sniff(head: Uint8Array): BlobKind {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  if (head.length >= 3 && head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68) return 'bzip2';
  if (head.length >= 6 && head[0] === 0xfd && head[1] === 0x37 && head[2] === 0x7a && head[3] === 0x58 && head[4] === 0x5a && head[5] === 0x00) return 'xz';
  if (head.length >= BLOCK) {
    if (hasUstarMagic(head, 0) && checksumOk(head, 0)) return 'tar';
    // An empty tar is just zero blocks; a v7 tar has no magic but a valid checksum.
    if (isZeroBlock(head, 0)) return 'tar';
    if (checksumOk(head, 0) && head[0] !== 0) return 'tar';
  }
  for (let i = 0; i < head.length; i++) {
    const c = head[i]!;
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    if (c === 0x7b || c === 0x5b) return 'json';
    break;
  }
  return 'unknown';
}

/** Human description of the first bytes, for "not a tar" errors. */
export function describeHead(head: Uint8Array): string {
  const hex = Array.from(head.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return hex === '' ? 'empty' : `starts ${hex}`;
}
