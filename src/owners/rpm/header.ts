/**
 * Parser for an rpm header blob as rpm stores it in its database (Packages, Packages.db,
 * rpmdb.sqlite): no lead and no header magic, just
 *
 *   il (u32 BE) | dl (u32 BE) | il × { tag, type, offset, count } (u32 BE each) | dl bytes of data
 *
 * Only the tags whittle needs are decoded. The input is treated as hostile: every offset and count
 * is checked against the data area before use, so a damaged blob throws an RpmFormatError and never
 * reads out of range or allocates from an absurd count.
 */
import { RpmFormatError } from './errors.js';

export interface RpmFile {
  /** Absolute, as rpm stores it ("/usr/lib64/libuuid.so.1"). */
  path: string;
  /** Bytes: LONGFILESIZES if present, else FILESIZES (dirs 0, symlinks the target length). */
  size: number;
  /** st_mode: type bits and permissions (see isDir / isSymlink / isRegular). */
  mode: number;
  /** FILEFLAGS bits (RPMFILE_*). */
  flags: number;
  /** Symlink target, only when rpm recorded one. */
  linkTo?: string;
}

export interface RpmPackage {
  name: string;
  version: string;
  release: string;
  epoch: number | null;
  /** '' for pseudo-packages without ARCH (gpg-pubkey). */
  arch: string;
  /** Bytes: LONGSIZE ?? SIZE (rpm's sum of the file sizes); 0 when neither is present. */
  size: number;
  files: RpmFile[];
}

export const RPMFILE_CONFIG = 1;
export const RPMFILE_DOC = 2;
export const RPMFILE_GHOST = 64;
export const RPMFILE_LICENSE = 128;

const S_IFMT = 0o170000;
export const isDir = (mode: number): boolean => (mode & S_IFMT) === 0o040000;
export const isSymlink = (mode: number): boolean => (mode & S_IFMT) === 0o120000;
export const isRegular = (mode: number): boolean => (mode & S_IFMT) === 0o100000;

export const RPMTAG = {
  HEADERIMMUTABLE: 63,
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  SIZE: 1009,
  ARCH: 1022,
  OLDFILENAMES: 1027,
  FILESIZES: 1028,
  FILEMODES: 1030,
  FILELINKTOS: 1036,
  FILEFLAGS: 1037,
  DIRINDEXES: 1116,
  BASENAMES: 1117,
  DIRNAMES: 1118,
  LONGFILESIZES: 5008,
  LONGSIZE: 5009,
} as const;

export const RPM_TYPE = {
  NULL: 0,
  CHAR: 1,
  INT8: 2,
  INT16: 3,
  INT32: 4,
  INT64: 5,
  STRING: 6,
  BIN: 7,
  STRING_ARRAY: 8,
  I18NSTRING: 9,
} as const;

/** rpm's own limits (hdrchkTags / HEADER_DATA_MAX in lib/header_internal.h). */
const MAX_TAGS = 0xffff;
const MAX_DATA = 0x0fffffff;

const WANTED: ReadonlySet<number> = new Set(Object.values(RPMTAG));

interface Entry {
  tag: number;
  type: number;
  offset: number;
  count: number;
}

const utf8 = new TextDecoder('utf-8');

/** Parses one header blob; throws RpmFormatError (code `rpm-header-corrupt`) when it is damaged. */
export function parseRpmHeader(blob: Uint8Array): RpmPackage {
  return new HeaderReader(blob).readPackage();
}

const fail = (message: string): never => {
  throw new RpmFormatError('rpm-header-corrupt', message);
};

class HeaderReader {
  private readonly view: DataView;
  private readonly dataStart: number;
  private readonly dataEnd: number;
  private readonly entries = new Map<number, Entry>();

  constructor(private readonly blob: Uint8Array) {
    this.view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    if (blob.length < 8) fail(`header blob is ${blob.length} bytes, shorter than its 8-byte preamble`);
    const il = this.view.getUint32(0);
    const dl = this.view.getUint32(4);
    if (il === 0) fail('header has no tags');
    if (il > MAX_TAGS) fail(`header claims ${il} tags (rpm's limit is ${MAX_TAGS})`);
    if (dl > MAX_DATA) fail(`header claims ${dl} data bytes (rpm's limit is ${MAX_DATA})`);
    this.dataStart = 8 + il * 16;
    this.dataEnd = this.dataStart + dl;
    if (this.dataEnd > blob.length) {
      fail(`header needs ${this.dataEnd} bytes (${il} tags, ${dl} data bytes) but the blob has ${blob.length}`);
    }
    for (let i = 0; i < il; i++) {
      const at = 8 + i * 16;
      const tag = this.view.getUint32(at);
      if (!WANTED.has(tag) || this.entries.has(tag)) continue;
      this.entries.set(tag, {
        tag,
        type: this.view.getUint32(at + 4),
        offset: this.view.getInt32(at + 8),
        count: this.view.getUint32(at + 12),
      });
    }
  }

  readPackage(): RpmPackage {
    const name = this.string(RPMTAG.NAME) ?? fail('header has no NAME');
    const version = this.string(RPMTAG.VERSION) ?? fail(`header of ${name} has no VERSION`);
    const release = this.string(RPMTAG.RELEASE) ?? fail(`header of ${name} has no RELEASE`);
    const epochs = this.ints(RPMTAG.EPOCH, RPM_TYPE.INT32);
    const longSize = this.ints(RPMTAG.LONGSIZE, RPM_TYPE.INT64);
    const size = longSize ?? this.ints(RPMTAG.SIZE, RPM_TYPE.INT32);
    return {
      name,
      version,
      release,
      epoch: epochs && epochs.length > 0 ? epochs[0] : null,
      arch: this.string(RPMTAG.ARCH) ?? '',
      size: size && size.length > 0 ? size[0] : 0,
      files: this.files(name),
    };
  }

  private files(name: string): RpmFile[] {
    const paths = this.paths(name);
    const n = paths.length;
    const sizes = this.ints(RPMTAG.LONGFILESIZES, RPM_TYPE.INT64) ?? this.ints(RPMTAG.FILESIZES, RPM_TYPE.INT32);
    const modes = this.ints(RPMTAG.FILEMODES, RPM_TYPE.INT16);
    const flags = this.ints(RPMTAG.FILEFLAGS, RPM_TYPE.INT32);
    const links = this.strings(RPMTAG.FILELINKTOS);
    const check = (what: string, got: { length: number } | undefined) => {
      if (got && got.length !== n) fail(`header of ${name}: ${what} has ${got.length} entries for ${n} files`);
    };
    check('file sizes', sizes);
    check('FILEMODES', modes);
    check('FILEFLAGS', flags);
    check('FILELINKTOS', links);
    const files: RpmFile[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const file: RpmFile = { path: paths[i], size: sizes ? sizes[i] : 0, mode: modes ? modes[i] : 0, flags: flags ? flags[i] : 0 };
      if (links && links[i] !== '') file.linkTo = links[i];
      files[i] = file;
    }
    return files;
  }

  /** DIRNAMES[DIRINDEXES[i]] + BASENAMES[i]; very old packages have OLDFILENAMES instead. */
  private paths(name: string): string[] {
    const basenames = this.strings(RPMTAG.BASENAMES);
    if (!basenames) return this.strings(RPMTAG.OLDFILENAMES) ?? [];
    const dirnames = this.strings(RPMTAG.DIRNAMES) ?? fail(`header of ${name} has BASENAMES but no DIRNAMES`);
    const dirindexes = this.ints(RPMTAG.DIRINDEXES, RPM_TYPE.INT32) ?? fail(`header of ${name} has BASENAMES but no DIRINDEXES`);
    if (dirindexes.length !== basenames.length) {
      fail(`header of ${name}: DIRINDEXES has ${dirindexes.length} entries for ${basenames.length} BASENAMES`);
    }
    const paths: string[] = new Array(basenames.length);
    for (let i = 0; i < basenames.length; i++) {
      const d = dirindexes[i];
      if (d >= dirnames.length) fail(`header of ${name}: file ${i} points at directory ${d} of ${dirnames.length}`);
      paths[i] = dirnames[d] + basenames[i];
    }
    return paths;
  }

  /** Offset of an entry's data inside the blob, checked against the data area. */
  private start(e: Entry): number {
    if (e.offset < 0 || e.offset >= this.dataEnd - this.dataStart) {
      fail(`tag ${e.tag} points at data offset ${e.offset}, outside the ${this.dataEnd - this.dataStart}-byte data area`);
    }
    return this.dataStart + e.offset;
  }

  private string(tag: number): string | undefined {
    const e = this.entries.get(tag);
    if (!e) return undefined;
    if (e.type !== RPM_TYPE.STRING && e.type !== RPM_TYPE.I18NSTRING && e.type !== RPM_TYPE.STRING_ARRAY) {
      fail(`tag ${tag} has type ${e.type}, expected a string`);
    }
    const from = this.start(e);
    const end = this.blob.indexOf(0, from);
    if (end < 0 || end >= this.dataEnd) fail(`string of tag ${tag} runs past the end of the data`);
    return utf8.decode(this.blob.subarray(from, end));
  }

  /** A STRING_ARRAY, decoded in one go and split on NUL (NUL never occurs inside UTF-8 sequences). */
  private strings(tag: number): string[] | undefined {
    const e = this.entries.get(tag);
    if (!e) return undefined;
    if (e.type !== RPM_TYPE.STRING_ARRAY && e.type !== RPM_TYPE.I18NSTRING) fail(`tag ${tag} has type ${e.type}, expected a string array`);
    if (e.count === 0) return [];
    const from = this.start(e);
    // each string takes at least one byte: an absurd count fails here, before any allocation
    if (e.count > this.dataEnd - from) fail(`tag ${tag} claims ${e.count} strings in ${this.dataEnd - from} bytes`);
    let at = from;
    for (let i = 0; i < e.count; i++) {
      const nul = this.blob.indexOf(0, at);
      if (nul < 0 || nul >= this.dataEnd) fail(`string ${i} of tag ${tag} runs past the end of the data`);
      at = nul + 1;
    }
    const all = utf8.decode(this.blob.subarray(from, at - 1));
    const parts = all.split('\0');
    if (parts.length !== e.count) fail(`tag ${tag}: expected ${e.count} strings, found ${parts.length}`);
    return parts;
  }

  /** An unsigned integer array of the given type (INT16, INT32 or INT64). */
  private ints(tag: number, type: number): number[] | undefined {
    const e = this.entries.get(tag);
    if (!e) return undefined;
    if (e.type !== type) fail(`tag ${tag} has type ${e.type}, expected ${type}`);
    if (e.count === 0) return [];
    const width = type === RPM_TYPE.INT16 ? 2 : type === RPM_TYPE.INT32 ? 4 : 8;
    const from = this.start(e);
    if (e.count > (this.dataEnd - from) / width) fail(`tag ${tag} claims ${e.count} values past the end of the data`);
    const out: number[] = new Array(e.count);
    const v = this.view;
    for (let i = 0, at = from; i < e.count; i++, at += width) {
      if (width === 2) out[i] = v.getUint16(at);
      else if (width === 4) out[i] = v.getUint32(at);
      else {
        const big = v.getBigUint64(at);
        if (big > BigInt(Number.MAX_SAFE_INTEGER)) fail(`tag ${tag} value ${big} is too large`);
        out[i] = Number(big);
      }
    }
    return out;
  }
}
