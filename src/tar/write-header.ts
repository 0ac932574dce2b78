/**
 * Pure encoding of tar headers (POSIX ustar, plus a PAX extended header when a name, link or
 * preserved record needs one). Deterministic: the same entry always gives the same bytes.
 */
import { BLOCK } from './header.js';

export interface HeaderFields {
  /** Relative path; directories get a trailing slash here. */
  name: string;
  typeflag: '0' | '1' | '2' | '3' | '4' | '5' | '6';
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  linkname?: string;
  uname?: string;
  gname?: string;
  devmajor?: number;
  devminor?: number;
  /** Extra PAX records to carry (xattrs, fractional times…); values of xattr keys are raw bytes as latin1. */
  pax?: Map<string, string> | null;
}

const USTAR_NAME = 100;
const USTAR_PREFIX = 155;
const USTAR_LINK = 100;

/** Records whittle recomputes and never copies from the source entry. */
const RECOMPUTED = new Set(['path', 'linkpath', 'size', 'GNU.sparse.major', 'GNU.sparse.minor', 'GNU.sparse.name', 'GNU.sparse.realsize', 'GNU.sparse.size', 'GNU.sparse.map', 'GNU.sparse.numblocks', 'GNU.sparse.offset', 'GNU.sparse.numbytes']);

function isRawValueKey(key: string): boolean {
  return key.startsWith('SCHILY.xattr.') || key.startsWith('LIBARCHIVE.xattr.');
}

/** Splits a name into ustar prefix + name, or null when it cannot fit. */
function splitUstar(nameBytes: Buffer): { prefix: Buffer; name: Buffer } | null {
  if (nameBytes.length <= USTAR_NAME) return { prefix: Buffer.alloc(0), name: nameBytes };
  for (let i = nameBytes.length - 1; i > 0; i--) {
    if (nameBytes[i] !== 0x2f) continue;
    if (nameBytes.length - i - 1 > USTAR_NAME) break;
    if (i <= USTAR_PREFIX) return { prefix: nameBytes.subarray(0, i), name: nameBytes.subarray(i + 1) };
  }
  return null;
}

function isAscii(b: Buffer): boolean {
  for (const c of b) if (c >= 0x80) return false;
  return true;
}

function paxRecord(key: string, value: Buffer): Buffer {
  const keyBytes = Buffer.from(key, 'utf8');
  const body = 3 + keyBytes.length + value.length; // " " + key + "=" + value + "\n"
  let len = body + String(body).length;
  if (String(len).length !== String(body).length) len = body + String(len).length;
  return Buffer.concat([Buffer.from(`${len} ${key}=`, 'utf8'), value, Buffer.from('\n')]);
}

function writeOctal(buf: Buffer, off: number, width: number, value: number): void {
  const max = 8 ** (width - 1) - 1;
  if (value >= 0 && value <= max && Number.isInteger(value)) {
    buf.write(value.toString(8).padStart(width - 1, '0'), off, width - 1, 'ascii');
    buf[off + width - 1] = 0;
    return;
  }
  // GNU base-256 for values octal cannot hold (sizes over 8 GiB, large ids, negative times).
  let v = BigInt(Math.trunc(value));
  const neg = v < 0n;
  for (let i = off + width - 1; i > off; i--) {
    buf[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  buf[off] = neg ? 0xff : 0x80;
}

function writeString(buf: Buffer, off: number, width: number, value: Buffer): void {
  value.copy(buf, off, 0, Math.min(width, value.length));
}

function ustarBlock(f: HeaderFields, name: Buffer, prefix: Buffer, link: Buffer, size: number, typeflag: string): Buffer {
  const b = Buffer.alloc(BLOCK);
  writeString(b, 0, 100, name);
  writeOctal(b, 100, 8, f.mode & 0o7777);
  writeOctal(b, 108, 8, f.uid);
  writeOctal(b, 116, 8, f.gid);
  writeOctal(b, 124, 12, size);
  writeOctal(b, 136, 12, Math.floor(f.mtime));
  b.fill(0x20, 148, 156);
  b.write(typeflag, 156, 1, 'ascii');
  writeString(b, 157, 100, link);
  b.write('ustar\u000000', 257, 8, 'latin1');
  writeString(b, 265, 32, Buffer.from(f.uname ?? '', 'utf8'));
  writeString(b, 297, 32, Buffer.from(f.gname ?? '', 'utf8'));
  if (typeflag === '3' || typeflag === '4') {
    writeOctal(b, 329, 8, f.devmajor ?? 0);
    writeOctal(b, 337, 8, f.devminor ?? 0);
  }
  writeString(b, 345, 155, prefix);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += b[i]!;
  b.write(sum.toString(8).padStart(6, '0'), 148, 6, 'ascii');
  b[154] = 0;
  b[155] = 0x20;
  return b;
}

/** The header block(s) for an entry: an optional PAX header (with its data) and the ustar header. */
export function encodeHeader(f: HeaderFields): Buffer {
  const nameBytes = Buffer.from(f.name, 'utf8');
  const linkBytes = Buffer.from(f.linkname ?? '', 'utf8');
  const records: Buffer[] = [];
  let split = isAscii(nameBytes) ? splitUstar(nameBytes) : null;
  if (!split) {
    records.push(paxRecord('path', nameBytes));
    split = { prefix: Buffer.alloc(0), name: truncateUtf8(nameBytes, USTAR_NAME) };
  }
  let link: Buffer = linkBytes;
  if (linkBytes.length > USTAR_LINK || !isAscii(linkBytes)) {
    records.push(paxRecord('linkpath', linkBytes));
    link = truncateUtf8(linkBytes, USTAR_LINK);
  }
  if (f.pax) {
    for (const key of [...f.pax.keys()].sort()) {
      if (RECOMPUTED.has(key)) continue;
      const v = f.pax.get(key)!;
      records.push(paxRecord(key, Buffer.from(v, isRawValueKey(key) ? 'latin1' : 'utf8')));
    }
  }
  const main = ustarBlock(f, split.name, split.prefix, link, f.size, f.typeflag);
  if (records.length === 0) return main;
  const data = Buffer.concat(records);
  const base = f.name.replace(/\/$/, '');
  const paxName = Buffer.from(`PaxHeaders/${base.slice(base.lastIndexOf('/') + 1)}`, 'utf8');
  const paxHeader = ustarBlock(
    { ...f, mode: 0o644, uname: '', gname: '' },
    truncateUtf8(paxName, USTAR_NAME),
    Buffer.alloc(0),
    Buffer.alloc(0),
    data.length,
    'x',
  );
  const pad = Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK);
  return Buffer.concat([paxHeader, data, pad, main]);
}

/** Cuts UTF-8 bytes to at most `max`, never inside a character. */
function truncateUtf8(b: Buffer, max: number): Buffer {
  if (b.length <= max) return b;
  let end = max;
  while (end > 0 && (b[end]! & 0xc0) === 0x80) end--;
  return b.subarray(0, end);
}

/** Zero padding after `size` data bytes. */
export function paddingFor(size: number): number {
  const r = size % BLOCK;
  return r === 0 ? 0 : BLOCK - r;
}

export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);
