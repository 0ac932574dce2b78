/**
 * Entry point for an rpm package database in any of rpm's three formats: detects the format by
 * magic bytes, reads the header blobs, parses each one. A damaged header costs only that package
 * (a finding); an unreadable database yields one finding and no packages.
 */
import type { Finding } from '../../findings.js';
import { readBdbHashValues } from './bdb.js';
import { RpmFormatError, type RpmBlobs } from './errors.js';
import { parseRpmHeader, type RpmPackage } from './header.js';
import { readNdbBlobs } from './ndb.js';
import { readSqliteBlobs } from './sqlite.js';

export type RpmDbFormat = 'bdb' | 'ndb' | 'sqlite';

/**
 * Where rpm keeps its database (relative to the image root): `/var/lib/rpm` (classic),
 * `/usr/lib/sysimage/rpm` (SUSE, RHEL 10), `/usr/share/rpm` (some older SUSE), each with the file
 * of one backend (bdb `Packages`, ndb `Packages.db`, sqlite `rpmdb.sqlite`).
 */
export const RPMDB_PATHS: readonly string[] = ['var/lib', 'usr/lib/sysimage', 'usr/share'].flatMap((dir) =>
  ['Packages', 'Packages.db', 'rpmdb.sqlite'].map((file) => `${dir}/rpm/${file}`),
);

const BDB_MAGICS = new Set([0x00061561, 0x00053162]); // hash, btree (the reader rejects btree clearly)

/** The database format by magic bytes, or null when it is none of rpm's. */
export function detectRpmDbFormat(bytes: Uint8Array): RpmDbFormat | null {
  if (bytes.length >= 16 && ascii(bytes, 0, 16) === 'SQLite format 3\0') return 'sqlite';
  if (bytes.length >= 4 && ascii(bytes, 0, 4) === 'RpmP') return 'ndb';
  if (bytes.length >= 16) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
    if (BDB_MAGICS.has(view.getUint32(12, true)) || BDB_MAGICS.has(view.getUint32(12, false))) return 'bdb';
  }
  return null;
}

/** Parses an rpm database; `source` (the file's path in the image) names it in findings. */
export async function parseRpmDb(bytes: Uint8Array, source: string): Promise<{ packages: RpmPackage[]; findings: Finding[] }> {
  const path = source.replace(/^\/+/, '');
  const unreadable = (message: string) => ({
    packages: [],
    findings: [{ severity: 'error' as const, code: 'rpmdb-unreadable', message, path }],
  });
  const format = detectRpmDbFormat(bytes);
  if (!format) return unreadable(`${source}: not an rpm database (no berkeley db, ndb or sqlite magic)`);
  let blobs: RpmBlobs;
  try {
    if (format === 'bdb') blobs = readBdbHashValues(bytes, source);
    else if (format === 'ndb') blobs = readNdbBlobs(bytes, source);
    else blobs = await readSqliteBlobs(bytes, source);
  } catch (e) {
    if (e instanceof RpmFormatError) return unreadable(e.message);
    throw e;
  }
  const findings: Finding[] = blobs.findings.map((f) => ({ ...f, path }));
  const packages: RpmPackage[] = [];
  let bad = 0;
  blobs.values.forEach((blob, i) => {
    try {
      packages.push(parseRpmHeader(blob));
    } catch (e) {
      if (!(e instanceof RpmFormatError)) throw e;
      // a few named findings, then a count, so a wrecked database stays readable
      if (++bad <= 20) {
        findings.push({ severity: 'warning', code: e.code, message: `${source}: package header ${i + 1}: ${e.message}`, path });
      }
    }
  });
  if (bad > 20) {
    findings.push({ severity: 'warning', code: 'rpm-header-corrupt', message: `${source}: ${bad - 20} more damaged package headers`, path });
  }
  return { packages, findings };
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}
