/**
 * Read-only Berkeley DB **hash** reader for rpm's `Packages` file (RHEL/CentOS ≤ 8, SL6/SL7).
 *
 * Layout (Berkeley DB dbinc/db_page.h; rpm's own lib/backend/bdb_ro.c reads it the same way):
 * - page 0 is the hash metadata page: magic 0x061561 at byte 12 (in the writer's byte order, which
 *   also tells us the order of every other integer), version, page size, last page, max_bucket,
 *   and `spares[32]`, which maps a bucket to its page: page(b) = b + spares[bit length of b].
 * - a bucket is a chain of hash pages (type 13 sorted, or 2 from BDB < 4.6) linked by next_pgno.
 *   Each page has a 26-byte header (32 with checksums), `entries` 2-byte item offsets, and the items
 *   themselves packed downward from the page end, key and data alternating. An item's length is
 *   the distance to the previous item's offset (or the page end).
 * - an item is H_KEYDATA (type 1, the bytes follow inline) or H_OFFPAGE (type 3: pgno, total
 *   length): a chain of overflow pages (type 7) whose `hf_offset` field holds the bytes used.
 *
 * rpm stores key = header instance number (4 bytes, writer's byte order) and value = header blob,
 * plus key 0 holding the highest instance number, which is skipped here.
 */
import { FindingCollector, RpmFormatError, type RpmBlobs } from './errors.js';

const MAGIC = { hash: 0x00061561, btree: 0x00053162, queue: 0x00042253, heap: 0x00074582 } as const;

const P_HASH_UNSORTED = 2;
const P_OVERFLOW = 7;
const P_HASHMETA = 8;
const P_HASH = 13;

const H_KEYDATA = 1;
const H_DUPLICATE = 2;
const H_OFFPAGE = 3;
const H_OFFDUP = 4;
const H_BLOB = 5;

/** DBMETA_CHKSUM in the metadata page's metaflags: pages carry a 6-byte checksum after the header. */
const DBMETA_CHKSUM = 0x01;

/** Reads every value of a Berkeley DB hash database, in bucket order (as `rpm -qa` walks it). */
export function readBdbHashValues(file: Uint8Array, source = 'Packages'): RpmBlobs {
  return new BdbHashReader(file, source).read();
}

class BdbHashReader {
  private readonly view: DataView;
  private readonly le: boolean;
  private readonly pageSize: number;
  private readonly overhead: number;
  /** Last page number that is both in the metadata and in the file. */
  private readonly lastPage: number;
  private readonly metaLastPage: number;
  private readonly maxBucket: number;
  private readonly spares: number[] = [];
  private readonly findings: FindingCollector;

  constructor(
    private readonly file: Uint8Array,
    source: string,
  ) {
    this.findings = new FindingCollector(source);
    this.view = new DataView(file.buffer, file.byteOffset, file.byteLength);
    if (file.length < 16) throw new RpmFormatError('rpmdb-truncated', `${source}: ${file.length} bytes is too short for a berkeley db`);
    const magicLe = this.view.getUint32(12, true);
    const magicBe = this.view.getUint32(12, false);
    this.le = magicLe === MAGIC.hash;
    if (magicLe !== MAGIC.hash && magicBe !== MAGIC.hash) {
      const kind = (Object.keys(MAGIC) as (keyof typeof MAGIC)[]).find((k) => MAGIC[k] === magicLe || MAGIC[k] === magicBe);
      if (kind) throw new RpmFormatError('rpmdb-bdb-not-hash', `${source}: berkeley db ${kind} database, not hash`);
      throw new RpmFormatError('rpmdb-bdb-bad-magic', `${source}: no berkeley db magic (0x${magicLe.toString(16)} at byte 12)`);
    }
    if (file.length < 512) throw new RpmFormatError('rpmdb-truncated', `${source}: truncated inside the 512-byte metadata page (${file.length} bytes)`);
    if (file[25] !== P_HASHMETA) throw new RpmFormatError('rpmdb-corrupt', `${source}: metadata page has type ${file[25]}, expected ${P_HASHMETA}`);
    const version = this.u32(16);
    if (version < 7 || version > 10) throw new RpmFormatError('rpmdb-bdb-unsupported', `${source}: unsupported hash version ${version}`);
    this.pageSize = this.u32(20);
    if (this.pageSize < 512 || this.pageSize > 65536 || (this.pageSize & (this.pageSize - 1)) !== 0) {
      throw new RpmFormatError('rpmdb-corrupt', `${source}: invalid page size ${this.pageSize}`);
    }
    if (file[24] !== 0) throw new RpmFormatError('rpmdb-bdb-unsupported', `${source}: encrypted berkeley db`);
    this.overhead = file[26] & DBMETA_CHKSUM ? 32 : 26;
    this.metaLastPage = this.u32(32);
    const pagesInFile = Math.floor(file.length / this.pageSize);
    this.lastPage = Math.min(this.metaLastPage, pagesInFile - 1);
    if (this.metaLastPage >= pagesInFile) {
      this.findings.warn(
        'rpmdb-truncated',
        `truncated: the metadata says the last page is ${this.metaLastPage} but the file holds ${pagesInFile} pages of ${this.pageSize} bytes`,
      );
    }
    const maxBucket = this.u32(72);
    // every bucket owns at least one page, so a bucket number past the last page is damage
    this.maxBucket = Math.min(maxBucket, this.lastPage);
    if (maxBucket > this.lastPage) this.findings.warn('rpmdb-corrupt', `max_bucket ${maxBucket} is past the last page ${this.lastPage}`);
    for (let i = 0; i < 32; i++) this.spares.push(this.u32(96 + 4 * i));
  }

  read(): RpmBlobs {
    const values: Uint8Array[] = [];
    const byKey = new Map<string, Uint8Array>();
    const seenPage = new Uint8Array(this.lastPage + 1);
    for (let bucket = 0; bucket <= this.maxBucket; bucket++) {
      let pg = bucket + this.spares[bitLength(bucket)];
      if (pg === 0) {
        this.findings.warn('rpmdb-corrupt', `the spares table maps bucket ${bucket} to page ${pg}`);
        continue;
      }
      while (pg !== 0) {
        if (!this.pageExists(pg, `bucket ${bucket}`)) break;
        if (seenPage[pg]) {
          this.findings.warn('rpmdb-cycle', `bucket ${bucket} reaches page ${pg} a second time (cyclic or shared page chain)`);
          break;
        }
        seenPage[pg] = 1;
        const at = pg * this.pageSize;
        const type = this.file[at + 25];
        if (type !== P_HASH && type !== P_HASH_UNSORTED) {
          this.findings.warn('rpmdb-corrupt', `page ${pg} of bucket ${bucket} has type ${type}, not a hash page`);
          break;
        }
        for (const [key, value] of this.pairs(pg)) {
          if (key.length === 4 && key[0] === 0 && key[1] === 0 && key[2] === 0 && key[3] === 0) continue; // instance counter
          const id = keyId(key);
          const earlier = byKey.get(id);
          if (earlier) {
            if (!sameBytes(earlier, value)) this.findings.warn('rpmdb-corrupt', `key ${id} appears twice with different values; keeping the first`);
            continue;
          }
          byKey.set(id, value);
          values.push(value);
        }
        pg = this.u32(at + 16);
      }
    }
    return { values, findings: this.findings.done() };
  }

  /** Key/value pairs of one hash page; damaged items are reported and skipped. */
  private *pairs(pg: number): Generator<[Uint8Array, Uint8Array]> {
    const at = pg * this.pageSize;
    let n = this.u16(at + 20);
    const room = Math.floor((this.pageSize - this.overhead) / 2);
    if (n > room) {
      this.findings.warn('rpmdb-corrupt', `page ${pg} claims ${n} items, room for ${room}`);
      n = room;
    }
    n -= n % 2;
    const inp = at + this.overhead;
    const lowest = this.overhead + 2 * n;
    for (let i = 0; i < n; i += 2) {
      const keyOff = this.u16(inp + 2 * i);
      const dataOff = this.u16(inp + 2 * i + 2);
      const keyEnd = i === 0 ? this.pageSize : this.u16(inp + 2 * i - 2);
      if (!(lowest <= dataOff && dataOff < keyOff && keyOff < keyEnd && keyEnd <= this.pageSize)) {
        this.findings.warn('rpmdb-corrupt', `page ${pg} item ${i / 2} has impossible offsets (${keyOff}, ${dataOff})`);
        continue;
      }
      const key = this.item(pg, keyOff, keyEnd - keyOff);
      const value = key && this.item(pg, dataOff, keyOff - dataOff);
      if (key && value) yield [key, value];
    }
  }

  private item(pg: number, off: number, len: number): Uint8Array | null {
    const at = pg * this.pageSize + off;
    const type = this.file[at];
    if (type === H_KEYDATA) return this.file.subarray(at + 1, at + len);
    if (type === H_OFFPAGE) {
      if (len < 12) {
        this.findings.warn('rpmdb-corrupt', `page ${pg} has a ${len}-byte off-page item (needs 12)`);
        return null;
      }
      return this.overflow(this.u32(at + 4), this.u32(at + 8));
    }
    if (type === H_DUPLICATE || type === H_OFFDUP || type === H_BLOB) {
      const what = type === H_BLOB ? 'an external blob' : 'a duplicate-key';
      this.findings.warn('rpmdb-unsupported', `page ${pg} holds ${what} item, which rpm never writes; skipped`);
    } else {
      this.findings.warn('rpmdb-corrupt', `page ${pg} holds an item of unknown type ${type}`);
    }
    return null;
  }

  /** Concatenates an overflow chain of `total` bytes starting at page `first`. */
  private overflow(first: number, total: number): Uint8Array | null {
    const perPage = this.pageSize - this.overhead;
    if (total === 0 || Math.ceil(total / perPage) > this.lastPage) {
      this.findings.warn('rpmdb-corrupt', `off-page item at page ${first} claims ${total} bytes, impossible in this file`);
      return null;
    }
    const out = new Uint8Array(total);
    const seen = new Set<number>();
    let got = 0;
    for (let pg = first; got < total; ) {
      if (pg === 0) {
        this.findings.warn('rpmdb-corrupt', `overflow chain from page ${first} ends after ${got} of ${total} bytes`);
        return null;
      }
      if (!this.pageExists(pg, `overflow chain from page ${first}`)) return null;
      if (seen.has(pg)) {
        this.findings.warn('rpmdb-cycle', `overflow chain from page ${first} loops back to page ${pg}`);
        return null;
      }
      seen.add(pg);
      const at = pg * this.pageSize;
      if (this.file[at + 25] !== P_OVERFLOW) {
        this.findings.warn('rpmdb-corrupt', `page ${pg} in the overflow chain from page ${first} has type ${this.file[at + 25]}`);
        return null;
      }
      const len = this.u16(at + 22);
      if (len === 0 || len > perPage || len > total - got) {
        this.findings.warn('rpmdb-corrupt', `overflow page ${pg} claims ${len} bytes (${total - got} left of ${total})`);
        return null;
      }
      out.set(this.file.subarray(at + this.overhead, at + this.overhead + len), got);
      got += len;
      pg = this.u32(at + 16);
    }
    return out;
  }

  /** Whether page `pg` is present and names itself; reports why not. */
  private pageExists(pg: number, context: string): boolean {
    if (pg > this.lastPage) {
      if (pg <= this.metaLastPage) this.findings.warn('rpmdb-truncated', `${context} needs page ${pg}, past the end of the truncated file`);
      else this.findings.warn('rpmdb-corrupt', `${context} points at page ${pg}, past the last page ${this.metaLastPage}`);
      return false;
    }
    const stored = this.u32(pg * this.pageSize + 8);
    if (stored !== pg) {
      this.findings.warn('rpmdb-corrupt', `${context}: page ${pg} says it is page ${stored}`);
      return false;
    }
    return true;
  }

  private u32(at: number): number {
    return this.view.getUint32(at, this.le);
  }

  private u16(at: number): number {
    return this.view.getUint16(at, this.le);
  }
}

/** Number of significant bits (0 for 0): the spares index of a bucket. */
function bitLength(n: number): number {
  return n === 0 ? 0 : 32 - Math.clz32(n);
}

function keyId(key: Uint8Array): string {
  let s = '';
  for (const b of key) s += b.toString(16).padStart(2, '0');
  return s;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
