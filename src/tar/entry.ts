/**
 * A tar entry after its meta headers (PAX, GNU long name/link) have been folded in, and the
 * folding logic shared by the streaming parser and the seeking reader.
 */
import {
  classifyType,
  MAX_GLOBAL_PAX_RECORDS,
  MAX_META_BYTES,
  parseGnuLongName,
  parsePax,
  TarHeaderError,
  type EntryType,
  type MetaType,
  type RawHeader,
} from './header.js';

export interface TarEntry {
  /** Name as stored in the archive (not normalised; may be absolute or hold `..`). */
  name: string;
  /** The name was not valid UTF-8 and was decoded as latin1. */
  nameNotUtf8: boolean;
  type: EntryType;
  /** Bytes of data stored for this entry (0 for links and dirs). */
  size: number;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  linkname: string;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
  /** PAX records for this entry (global records merged under local ones), or null. */
  pax: Map<string, string> | null;
  /** Offset of the first header block of this entry, meta headers included. */
  headerOffset: number;
  /** Offset of the entry's data. */
  dataOffset: number;
  /** GNU or PAX sparse file: `size` is the stored size, not the logical one. */
  sparse: boolean;
}

/** Folds meta headers into the next real entry. One instance per tar stream. */
export class MetaFolder {
  private pax: Map<string, string> | null = null;
  private global: Map<string, string> | null = null;
  private longName: { text: string; notUtf8: boolean } | null = null;
  private longLink: { text: string; notUtf8: boolean } | null = null;
  private metaStart = -1;

  /** Kind of a raw header and how many payload bytes to collect for it (meta) or stream (entry). */
  classify(raw: RawHeader): { kind: EntryType | MetaType; payload: number } {
    const kind = classifyType(raw.typeflag);
    if (kind === 'pax' || kind === 'pax-global' || kind === 'gnu-longname' || kind === 'gnu-longlink') {
      if (raw.size > MAX_META_BYTES) {
        throw new TarHeaderError(`${kind} header of ${raw.size} bytes exceeds the ${MAX_META_BYTES}-byte limit`);
      }
    }
    return { kind, payload: raw.size };
  }

  /** Records a meta header's payload. `headerOffset` is where that meta header started. */
  addMeta(kind: MetaType, payload: Uint8Array, headerOffset: number): void {
    if (this.metaStart < 0) this.metaStart = headerOffset;
    switch (kind) {
      case 'pax': {
        const recs = parsePax(payload);
        if (this.pax) for (const [k, v] of recs) this.pax.set(k, v);
        else this.pax = recs;
        break;
      }
      case 'pax-global': {
        const recs = parsePax(payload);
        // A new map, never an update: entries already handed out may share the old one.
        const global = new Map(this.global ?? []);
        for (const [k, v] of recs) global.set(k, v);
        if (global.size > MAX_GLOBAL_PAX_RECORDS) throw new TarHeaderError(`more than ${MAX_GLOBAL_PAX_RECORDS} global PAX records`);
        this.global = global;
        // A global header is not attached to the next entry's start.
        this.metaStart = -1;
        break;
      }
      case 'gnu-longname':
        this.longName = parseGnuLongName(payload);
        break;
      case 'gnu-longlink':
        this.longLink = parseGnuLongName(payload);
        break;
      default:
        break; // volume labels carry nothing for us
    }
  }

  /** Builds the entry for a real header, consuming pending meta state. */
  fold(raw: RawHeader, kind: EntryType | 'gnu-sparse', headerOffset: number, dataOffset: number): TarEntry {
    let pax = this.pax;
    if (this.global) {
      // Entries without records of their own share the (read-only) global map.
      if (pax) {
        const merged = new Map(this.global);
        for (const [k, v] of pax) merged.set(k, v);
        pax = merged;
      } else pax = this.global;
    }
    let name = raw.name;
    let nameNotUtf8 = raw.nameNotUtf8;
    let linkname = raw.linkname;
    let size = raw.size;
    let mode = raw.mode;
    let uid = raw.uid;
    let gid = raw.gid;
    let mtime = raw.mtime;
    let uname = raw.uname;
    let gname = raw.gname;
    let sparse = kind === 'gnu-sparse';
    if (this.longName) ({ text: name, notUtf8: nameNotUtf8 } = this.longName);
    if (this.longLink) linkname = this.longLink.text;
    if (pax) {
      const p = pax.get('path');
      if (p !== undefined) {
        name = p;
        nameNotUtf8 = false;
      }
      const l = pax.get('linkpath');
      if (l !== undefined) linkname = l;
      const s = pax.get('size');
      if (s !== undefined) size = paxNumber(s, 'size');
      const u = pax.get('uid');
      if (u !== undefined) uid = paxNumber(u, 'uid');
      const g = pax.get('gid');
      if (g !== undefined) gid = paxNumber(g, 'gid');
      const m = pax.get('mtime');
      if (m !== undefined) mtime = Number.parseFloat(m) || 0;
      const un = pax.get('uname');
      if (un !== undefined) uname = un;
      const gn = pax.get('gname');
      if (gn !== undefined) gname = gn;
      if (pax.has('GNU.sparse.map') || pax.has('GNU.sparse.major') || pax.has('GNU.sparse.size')) sparse = true;
    }
    const start = this.metaStart >= 0 ? this.metaStart : headerOffset;
    this.pax = null;
    this.longName = null;
    this.longLink = null;
    this.metaStart = -1;
    return {
      name,
      nameNotUtf8,
      type: kind === 'gnu-sparse' ? 'file' : kind,
      size,
      mode: mode & 0o7777,
      uid,
      gid,
      mtime,
      linkname,
      uname,
      gname,
      devmajor: raw.devmajor,
      devminor: raw.devminor,
      pax,
      headerOffset: start,
      dataOffset,
      sparse,
    };
  }

  /** True when meta headers were read but no entry followed yet. */
  get pending(): boolean {
    return this.pax !== null || this.longName !== null || this.longLink !== null;
  }
}

function paxNumber(text: string, key: string): number {
  if (!/^\d{1,18}$/.test(text) || !Number.isSafeInteger(Number(text))) throw new TarHeaderError(`invalid PAX ${key} "${text.slice(0, 40)}"`);
  return Number(text);
}

/** Data bytes that follow a header of this type in the archive (links carry none). */
export function dataBytesFor(type: EntryType, size: number): number {
  // POSIX stores no data for symlinks, devices and fifos whatever the size field says. Hard links
  // and directories normally have size 0; when a writer sets a size (pax hard links with data, GNU
  // dumpdirs) the data is there and must be skipped, as libarchive does.
  switch (type) {
    case 'symlink':
    case 'char':
    case 'block':
    case 'fifo':
      return 0;
    case 'dir':
      return size; // GNU dumpdir-style dirs may carry data; skip it
    default:
      return size;
  }
}
