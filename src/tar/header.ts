/**
 * Pure decoding of 512-byte tar header blocks (POSIX ustar, GNU, v7) and PAX records.
 * No I/O: callers hand in bytes, get plain values back.
 */

export const BLOCK = 512;

/** Entry types after meta headers (PAX, GNU long names) have been folded in. */
export type EntryType = 'file' | 'hardlink' | 'symlink' | 'char' | 'block' | 'dir' | 'fifo' | 'other';

/** Meta header types that describe the next entry instead of being one. */
export type MetaType = 'pax' | 'pax-global' | 'gnu-longname' | 'gnu-longlink' | 'gnu-sparse' | 'gnu-volume';

export interface RawHeader {
  /** Entry name as stored (prefix + '/' + name for ustar), undecoded text. */
  name: string;
  /** True when the name bytes were not valid UTF-8 and were decoded as latin1 instead. */
  nameNotUtf8: boolean;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  typeflag: number;
  linkname: string;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
}

export class TarHeaderError extends Error {}

const SPACE = 0x20;

/** True when the block is all zero bytes (end-of-archive marker). */
export function isZeroBlock(buf: Uint8Array, off: number): boolean {
  // Check 8 bytes at a time via a DataView would need alignment; a plain loop is fast enough
  // because the first non-zero byte ends it immediately for real headers.
  for (let i = off, end = off + BLOCK; i < end; i++) if (buf[i] !== 0) return false;
  return true;
}

function fieldEnd(buf: Uint8Array, start: number, len: number): number {
  const end = start + len;
  for (let i = start; i < end; i++) if (buf[i] === 0) return i;
  return end;
}

function isAscii(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i]! >= 0x80) return false;
  return true;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/** Decodes bytes as UTF-8, or as latin1 when they are not valid UTF-8 (names stay distinct). */
export function decodeName(buf: Uint8Array, start: number, end: number): { text: string; notUtf8: boolean } {
  if (isAscii(buf, start, end)) return { text: asciiSlice(buf, start, end), notUtf8: false };
  const bytes = buf.subarray(start, end);
  try {
    return { text: utf8.decode(bytes), notUtf8: false };
  } catch {
    return { text: latin1.decode(bytes), notUtf8: true };
  }
}

function asciiSlice(buf: Uint8Array, start: number, end: number): string {
  if (buf instanceof Buffer) return (buf as Buffer & { latin1Slice(s: number, e: number): string }).latin1Slice(start, end);
  return latin1.decode(buf.subarray(start, end));
}

function text(buf: Uint8Array, start: number, len: number): string {
  const end = fieldEnd(buf, start, len);
  return decodeName(buf, start, end).text;
}

/**
 * Parses a numeric field: octal text (NUL/space padded) or GNU base-256 when the high bit of the
 * first byte is set (used for sizes over 8 GiB and negative mtimes).
 */
export function parseNumeric(buf: Uint8Array, start: number, len: number): number {
  const first = buf[start]!;
  if (first & 0x80) {
    // base-256, two's complement when 0xff (the first byte is then -1, the rest add as usual)
    const negative = first === 0xff;
    let value = negative ? -1 : first & 0x7f;
    for (let i = start + 1; i < start + len; i++) value = value * 256 + buf[i]!;
    // Past 2^53 a double no longer counts bytes exactly: no real archive gets there (8 PiB).
    if (!Number.isSafeInteger(value)) throw new TarHeaderError(`numeric field value ${exactBase256(buf, start, len)} is too large`);
    return value;
  }
  let i = start;
  const end = start + len;
  while (i < end && (buf[i] === SPACE || buf[i] === 0)) i++;
  let value = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = buf[i]!;
    if (c === 0 || c === SPACE) break;
    if (c < 0x30 || c > 0x37) throw new TarHeaderError(`invalid octal digit 0x${c.toString(16)} in numeric field`);
    value = value * 8 + (c - 0x30);
    digits++;
  }
  return digits === 0 ? 0 : value;
}

function exactBase256(buf: Uint8Array, start: number, len: number): string {
  const negative = buf[start] === 0xff;
  let v = BigInt(negative ? 0xff : buf[start]! & 0x7f);
  for (let i = start + 1; i < start + len; i++) v = v * 256n + BigInt(buf[i]!);
  return String(negative ? v - (1n << BigInt(8 * len)) : v);
}

const scratch = new Uint8Array(BLOCK);
const scratch32 = new Uint32Array(scratch.buffer);

/** Verifies the header checksum (unsigned, and the signed variant some old tars wrote). */
export function checksumOk(buf: Uint8Array, off: number): boolean {
  let stored: number;
  try {
    stored = parseNumeric(buf, off + 148, 8);
  } catch {
    return false;
  }
  // Runs for every header of every layer, so the usual unsigned sum adds four bytes at a time
  // (two 16-bit lanes per 32-bit word never overflow over 512 bytes); the signed variant (some
  // old tars) only when that fails.
  scratch.set(buf.subarray(off, off + BLOCK));
  let acc = 0;
  for (let i = 0; i < 128; i++) {
    const w = scratch32[i]!;
    acc += (w & 0x00ff00ff) + ((w >>> 8) & 0x00ff00ff);
  }
  let unsigned = (acc & 0xffff) + (acc >>> 16);
  for (let i = 148; i < 156; i++) unsigned += SPACE - scratch[i]!;
  if (stored === unsigned) return true;
  let signed = 8 * SPACE;
  for (let i = 0; i < BLOCK; i++) {
    if (i >= 148 && i < 156) continue;
    const b = scratch[i]!;
    signed += b >= 128 ? b - 256 : b;
  }
  return stored === signed;
}

/** True when the block carries a "ustar" magic (POSIX or GNU). */
export function hasUstarMagic(buf: Uint8Array, off: number): boolean {
  return buf[off + 257] === 0x75 && buf[off + 258] === 0x73 && buf[off + 259] === 0x74 &&
    buf[off + 260] === 0x61 && buf[off + 261] === 0x72;
}

/**
 * Decodes one header block. Returns null for a zero block. Throws TarHeaderError when the block is
 * not a tar header (bad checksum), naming the likely cause.
 */
export function decodeHeader(buf: Uint8Array, off: number): RawHeader | null {
  if (isZeroBlock(buf, off)) return null;
  if (!checksumOk(buf, off)) {
    throw new TarHeaderError(`invalid tar header checksum${describeMagic(buf, off)}`);
  }
  const ustar = hasUstarMagic(buf, off);
  const gnu = ustar && buf[off + 262] === SPACE; // "ustar  \0": GNU has no prefix field
  const nameEnd = fieldEnd(buf, off, 100);
  let name: string;
  let nameNotUtf8: boolean;
  if (ustar && !gnu && buf[off + 345] !== 0) {
    const prefixEnd = fieldEnd(buf, off + 345, 155);
    const p = decodeName(buf, off + 345, prefixEnd);
    const n = decodeName(buf, off, nameEnd);
    name = `${p.text}/${n.text}`;
    nameNotUtf8 = p.notUtf8 || n.notUtf8;
  } else {
    const n = decodeName(buf, off, nameEnd);
    name = n.text;
    nameNotUtf8 = n.notUtf8;
  }
  const typeflag = buf[off + 156]!;
  const size = parseNumeric(buf, off + 124, 12);
  // A negative size would move a parser backwards (base-256 allows it; no writer means it).
  if (size < 0) throw new TarHeaderError(`negative size ${size}`);
  return {
    name,
    nameNotUtf8,
    mode: parseNumeric(buf, off + 100, 8),
    uid: parseNumeric(buf, off + 108, 8),
    gid: parseNumeric(buf, off + 116, 8),
    size,
    mtime: parseNumeric(buf, off + 136, 12),
    typeflag,
    linkname: text(buf, off + 157, 100),
    uname: ustar ? text(buf, off + 265, 32) : '',
    gname: ustar ? text(buf, off + 297, 32) : '',
    devmajor: ustar ? safeNumeric(buf, off + 329, 8) : 0,
    devminor: ustar ? safeNumeric(buf, off + 337, 8) : 0,
  };
}

function safeNumeric(buf: Uint8Array, start: number, len: number): number {
  try {
    return parseNumeric(buf, start, len);
  } catch {
    return 0;
  }
}

/** Names the format a non-tar block most likely is, for error messages. */
export function describeMagic(buf: Uint8Array, off: number): string {
  const b0 = buf[off];
  const b1 = buf[off + 1];
  const hex = Array.from(buf.subarray(off, off + 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  if (b0 === 0x1f && b1 === 0x8b) return ` (starts ${hex}: gzip data?)`;
  if (b0 === 0x28 && b1 === 0xb5 && buf[off + 2] === 0x2f && buf[off + 3] === 0xfd) return ` (starts ${hex}: zstd data?)`;
  if (b0 === 0x7b || b0 === 0x5b) return ` (starts ${hex}: JSON?)`;
  return ` (starts ${hex})`;
}

/** Classifies a typeflag: an entry type, or a meta header type. */
export function classifyType(typeflag: number): EntryType | MetaType {
  switch (typeflag) {
    case 0x30: // '0'
    case 0:
    case 0x37: // '7' contiguous file
      return 'file';
    case 0x31:
      return 'hardlink';
    case 0x32:
      return 'symlink';
    case 0x33:
      return 'char';
    case 0x34:
      return 'block';
    case 0x35:
      return 'dir';
    case 0x36:
      return 'fifo';
    case 0x78: // 'x'
      return 'pax';
    case 0x67: // 'g'
      return 'pax-global';
    case 0x4c: // 'L'
      return 'gnu-longname';
    case 0x4b: // 'K'
      return 'gnu-longlink';
    case 0x53: // 'S'
      return 'gnu-sparse';
    case 0x56: // 'V'
      return 'gnu-volume';
    default:
      return 'other';
  }
}

export function isMetaType(t: EntryType | MetaType): t is MetaType {
  return t === 'pax' || t === 'pax-global' || t === 'gnu-longname' || t === 'gnu-longlink' || t === 'gnu-volume';
}

/** Largest PAX / GNU long-name payload whittle accepts (real ones are a few KB). */
export const MAX_META_BYTES = 1 << 20;
/** Largest number of records in one PAX header. */
export const MAX_PAX_RECORDS = 10_000;
/**
 * Largest number of global PAX records in force at once. They apply to every later entry, so a
 * large set would be merged into each of a million entries; real ones hold one or two (a comment).
 */
export const MAX_GLOBAL_PAX_RECORDS = 256;

/**
 * Parses PAX extended header records ("<len> <key>=<value>\n"). Values are UTF-8 (except
 * SCHILY.xattr values, which are raw bytes and kept as latin1 text so no byte is lost).
 */
export function parsePax(buf: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  let records = 0;
  while (i < buf.length) {
    if (buf[i] === 0) break; // padding
    let len = 0;
    let j = i;
    while (j < buf.length && buf[j] !== SPACE) {
      const c = buf[j]!;
      if (c < 0x30 || c > 0x39) throw new TarHeaderError('invalid PAX record length');
      len = len * 10 + (c - 0x30);
      if (len > buf.length) throw new TarHeaderError('PAX record length exceeds the header');
      j++;
    }
    if (len === 0 || i + len > buf.length || buf[i + len - 1] !== 0x0a) throw new TarHeaderError('malformed PAX record');
    if (++records > MAX_PAX_RECORDS) throw new TarHeaderError(`more than ${MAX_PAX_RECORDS} PAX records in one header`);
    const recEnd = i + len - 1;
    let eq = j + 1;
    while (eq < recEnd && buf[eq] !== 0x3d) eq++;
    if (eq >= recEnd) throw new TarHeaderError('PAX record without "="');
    const key = decodeName(buf, j + 1, eq).text;
    const value = key.startsWith('SCHILY.xattr.') || key.startsWith('LIBARCHIVE.xattr.')
      ? latin1.decode(buf.subarray(eq + 1, recEnd))
      : decodeName(buf, eq + 1, recEnd).text;
    out.set(key, value);
    i += len;
  }
  return out;
}

/** Reads a NUL-terminated GNU long name / long link payload. */
export function parseGnuLongName(buf: Uint8Array): { text: string; notUtf8: boolean } {
  let end = buf.length;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === 0) {
      end = i;
      break;
    }
  }
  return decodeName(buf, 0, end);
}

/** Rounds a byte count up to whole 512-byte blocks. */
export function padded(size: number): number {
  const r = size % BLOCK;
  return r === 0 ? size : size + (BLOCK - r);
}
