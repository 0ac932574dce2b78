/**
 * Reader for rpm's "ndb" package database, SUSE's `/usr/lib/sysimage/rpm/Packages.db`
 * (rpm lib/backend/ndb/rpmpkg.c). All integers are little-endian.
 *
 *   header (32 bytes): 'RpmP' | version 0 | generation | slot page count | next package index | …
 *   slot pages (4096 bytes each, the first starting with the header): 16-byte slots
 *     'Slot' | package index | block offset | block count      (block offset 0 = free slot)
 *   blobs, at block offset × 16:
 *     'BlbS' | package index | timestamp | length | header blob | zero pad | adler32 | length | 'BlbE'
 *   The adler32 covers the 16-byte blob head, the blob and the pad.
 */
import { FindingCollector, RpmFormatError, type RpmBlobs } from './errors.js';

const le32 = (s: string) => s.charCodeAt(0) | (s.charCodeAt(1) << 8) | (s.charCodeAt(2) << 16) | (s.charCodeAt(3) << 24);
const DB_MAGIC = le32('RpmP') >>> 0;
const SLOT_MAGIC = le32('Slot') >>> 0;
const BLOB_HEAD_MAGIC = le32('BlbS') >>> 0;
const BLOB_TAIL_MAGIC = le32('BlbE') >>> 0;

const HEADER_SIZE = 32;
const PAGE_SIZE = 4096;
const SLOT_SIZE = 16;
const BLK_SIZE = 16;
const BLOB_HEAD = 16;
const BLOB_TAIL = 12;

/** Reads every package blob of an ndb `Packages.db`, in slot order (as go-rpmdb does). */
export function readNdbBlobs(file: Uint8Array, source = 'Packages.db'): RpmBlobs {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const u32 = (at: number) => view.getUint32(at, true);
  if (file.length < HEADER_SIZE) throw new RpmFormatError('rpmdb-truncated', `${source}: ${file.length} bytes is too short for an ndb header`);
  if (u32(0) !== DB_MAGIC) throw new RpmFormatError('rpmdb-ndb-bad-magic', `${source}: no ndb magic 'RpmP'`);
  const version = u32(4);
  if (version !== 0) throw new RpmFormatError('rpmdb-ndb-unsupported', `${source}: unsupported ndb version ${version}`);
  const findings = new FindingCollector(source);
  const slotPages = u32(12);
  const pagesInFile = Math.floor(file.length / PAGE_SIZE);
  if (slotPages === 0) throw new RpmFormatError('rpmdb-corrupt', `${source}: ndb header says there are no slot pages`);
  if (slotPages > pagesInFile) {
    findings.warn('rpmdb-truncated', `truncated: ${slotPages} slot pages announced, the file holds ${pagesInFile} pages`);
  }
  const slotEnd = Math.min(slotPages, pagesInFile) * PAGE_SIZE;
  const firstBlobBlock = (slotPages * PAGE_SIZE) / BLK_SIZE;

  const values: Uint8Array[] = [];
  const seen = new Set<number>();
  let badSlots = 0;
  for (let at = HEADER_SIZE; at + SLOT_SIZE <= slotEnd; at += SLOT_SIZE) {
    if (u32(at) !== SLOT_MAGIC) {
      badSlots++;
      continue;
    }
    const pkgIdx = u32(at + 4);
    const blkOff = u32(at + 8);
    const blkCnt = u32(at + 12);
    if (blkOff === 0 || pkgIdx === 0) continue; // free slot
    const where = `package ${pkgIdx}`;
    if (blkOff < firstBlobBlock || blkCnt === 0) {
      findings.warn('rpmdb-corrupt', `slot of ${where} points at block ${blkOff} (count ${blkCnt}), inside the slot pages`);
      continue;
    }
    const start = blkOff * BLK_SIZE;
    const end = start + blkCnt * BLK_SIZE;
    if (end > file.length) {
      findings.warn('rpmdb-truncated', `blob of ${where} ends at byte ${end}, past the end of the file (${file.length})`);
      continue;
    }
    if (u32(start) !== BLOB_HEAD_MAGIC || u32(start + 4) !== pkgIdx) {
      findings.warn('rpmdb-corrupt', `no blob of ${where} at byte ${start}`);
      continue;
    }
    const len = u32(start + 12);
    if (Math.ceil((BLOB_HEAD + len + BLOB_TAIL) / BLK_SIZE) !== blkCnt) {
      findings.warn('rpmdb-corrupt', `blob of ${where} is ${len} bytes, which does not fit its ${blkCnt} blocks`);
      continue;
    }
    const tail = end - BLOB_TAIL;
    if (u32(tail + 8) !== BLOB_TAIL_MAGIC || u32(tail + 4) !== len) {
      findings.warn('rpmdb-corrupt', `blob of ${where} has a damaged tail`);
      continue;
    }
    if (adler32(file, start, tail) !== u32(tail)) {
      findings.warn('rpmdb-corrupt', `blob of ${where} fails its adler32 checksum`);
      continue;
    }
    if (seen.has(pkgIdx)) {
      findings.warn('rpmdb-corrupt', `${where} has two slots; keeping the first`);
      continue;
    }
    seen.add(pkgIdx);
    values.push(file.subarray(start + BLOB_HEAD, start + BLOB_HEAD + len));
  }
  if (badSlots > 0) findings.warn('rpmdb-corrupt', `${badSlots} slots without the 'Slot' magic were skipped`);
  return { values, findings: findings.done() };
}

/** Adler-32 (RFC 1950) of file[from, to). */
function adler32(buf: Uint8Array, from: number, to: number): number {
  let a = 1;
  let b = 0;
  // reduce every 5552 bytes, like zlib (NMAX), so the sums stay small integers
  for (let i = from; i < to; ) {
    const stop = Math.min(to, i + 5552);
    for (; i < stop; i++) {
      a += buf[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}
