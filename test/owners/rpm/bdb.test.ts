import { describe, expect, it } from 'vitest';
import { readBdbHashValues } from '../../../src/owners/rpm/bdb.js';
import { RpmFormatError } from '../../../src/owners/rpm/errors.js';
import { parseRpmHeader } from '../../../src/owners/rpm/header.js';
import { asOracleRow, byPath, fixture, oracleFiles, oraclePackages } from './oracle.js';

const PAGE = 4096;

describe('readBdbHashValues on databases Berkeley DB wrote', () => {
  it('reads go-rpmdb\'s libuuid Packages: one header, the instance counter under key 0 skipped', () => {
    const { values, findings } = readBdbHashValues(fixture('go-rpmdb/libuuid-Packages'));
    expect(findings).toEqual([]);
    expect(values).toHaveLength(1);
    // the 80,880-byte header spans 20 overflow pages; Berkeley DB itself returned the same bytes
    expect(values[0]).toEqual(fixture('headers/libuuid.hdr'));
  });

  it.each([
    ['Packages', 'expected/packages-bdb4096.tsv'], // db_load, 4 KiB pages
    ['Packages-512', 'expected/packages-bdb512.tsv'], // 512-byte pages, 6 buckets over 4 split points
    ['Packages-be', 'expected/packages-bdbbe.tsv'], // big-endian
  ])('lists %s exactly as rpm -qa (bdb_ro) does, in the same order', (file, oracle) => {
    const { values, findings } = readBdbHashValues(fixture(file), file);
    expect(findings).toEqual([]);
    const packages = values.map(parseRpmHeader);
    expect(packages.map(asOracleRow)).toEqual(oraclePackages(oracle));
    const files = oracleFiles('expected/files.tsv');
    for (const p of packages) expect(byPath(p.files)).toEqual(files.get(p.name) ?? []);
  });

  it('reads a database with page checksums (32-byte page headers), which rpm\'s bdb_ro cannot', () => {
    const { values, findings } = readBdbHashValues(fixture('Packages-chksum'));
    expect(findings).toEqual([]);
    const rows = values.map(parseRpmHeader).map(asOracleRow);
    expect(sortByName(rows)).toEqual(sortByName(oraclePackages('expected/packages.tsv')));
  });
});

describe('readBdbHashValues on the wrong or damaged input', () => {
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(RpmFormatError);
      return (e as RpmFormatError).code + ': ' + (e as Error).message;
    }
    throw new Error('did not throw');
  };

  it('rejects a btree, a non-database, an encrypted database and a truncated metadata page', () => {
    expect(code(() => readBdbHashValues(fixture('btree.db'), 'var/lib/rpm/Name'))).toBe(
      'rpmdb-bdb-not-hash: var/lib/rpm/Name: berkeley db btree database, not hash',
    );
    expect(code(() => readBdbHashValues(fixture('rpmdb.sqlite')))).toMatch(/^rpmdb-bdb-bad-magic: /);
    expect(code(() => readBdbHashValues(new Uint8Array(0)))).toMatch(/^rpmdb-truncated: .*0 bytes/);
    expect(code(() => readBdbHashValues(fixture('Packages').subarray(0, 300)))).toMatch(/^rpmdb-truncated: .*metadata page/);
    const encrypted = fixture('Packages');
    encrypted[24] = 1;
    expect(code(() => readBdbHashValues(encrypted))).toMatch(/^rpmdb-bdb-unsupported: .*encrypted/);
  });

  it('reports a truncated file and still returns every header whose pages survived, intact', () => {
    const full = readBdbHashValues(fixture('Packages')).values;
    const file = fixture('Packages');
    for (let pages = 2; pages < file.length / PAGE; pages++) {
      const { values, findings } = readBdbHashValues(file.subarray(0, pages * PAGE), 'var/lib/rpm/Packages');
      expect(findings[0]).toMatchObject({ severity: 'warning', code: 'rpmdb-truncated' });
      expect(findings[0].message).toMatch(/^var\/lib\/rpm\/Packages: truncated: the metadata says the last page is 12/);
      for (const v of values) expect(full).toContainEqual(v);
      expect(values.length).toBeLessThan(full.length);
    }
  });

  it('detects a cyclic overflow chain and keeps the other packages', () => {
    const file = fixture('Packages');
    const chained = pages(file).find((p) => p.type === 7 && p.next !== 0)!;
    new DataView(file.buffer).setUint32(chained.at + 16, chained.pgno, true); // next = itself
    const { values, findings } = readBdbHashValues(file, 'Packages');
    expect(findings.map((f) => f.code)).toContain('rpmdb-cycle');
    expect(findings.find((f) => f.code === 'rpmdb-cycle')?.message).toMatch(/^Packages: overflow chain from page \d+ loops back to page \d+/);
    expect(values).toHaveLength(4);
  });

  it('detects a cyclic bucket chain without losing or repeating a package', () => {
    const file = fixture('Packages');
    const bucket = pages(file).find((p) => p.type === 13 && p.entries > 0)!;
    new DataView(file.buffer).setUint32(bucket.at + 16, bucket.pgno, true);
    const { values, findings } = readBdbHashValues(file);
    expect(findings.map((f) => f.code)).toEqual(['rpmdb-cycle']);
    expect(values).toHaveLength(5);
  });

  it('returns a key that appears twice once, and says so when the values differ', () => {
    const file = fixture('Packages');
    // make every key 1 (the keys are the 4-byte inline items at the page ends)
    const keyed = pages(file).filter((p) => p.type === 13 && p.entries > 0);
    for (const p of keyed) {
      for (let i = 0; i < p.entries; i += 2) {
        const off = new DataView(file.buffer).getUint16(p.at + 26 + 2 * i, true);
        if (file[p.at + off + 1] !== 0) file.set([1, 0, 0, 0], p.at + off + 1);
      }
    }
    const { values, findings } = readBdbHashValues(file);
    expect(values).toHaveLength(1);
    expect(findings).toHaveLength(4);
    expect(findings[0].message).toMatch(/key 01000000 appears twice with different values/);
  });

  it('skips duplicate-key items (which rpm never writes) and unknown item types, with a finding each', () => {
    const file = fixture('Packages');
    const view = new DataView(file.buffer);
    const offpage = pages(file)
      .filter((p) => p.type === 13)
      .flatMap((p) => Array.from({ length: p.entries / 2 }, (_, j) => p.at + view.getUint16(p.at + 26 + 4 * j + 2, true)))
      .filter((at) => file[at] === 3);
    file[offpage[0]] = 4; // H_OFFDUP
    file[offpage[1]] = 9;
    const { values, findings } = readBdbHashValues(file);
    expect(values).toHaveLength(3);
    expect(findings.map((f) => f.code)).toEqual(['rpmdb-unsupported', 'rpmdb-corrupt']);
    expect(findings[0].message).toMatch(/holds a duplicate-key item, which rpm never writes; skipped/);
    expect(findings[1].message).toMatch(/holds an item of unknown type 9/);
  });

  it('survives 2,000 random page corruptions: findings or RpmFormatError, never a crash', () => {
    const good = fixture('Packages-512');
    let seed = 99;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    let withFindings = 0;
    for (let i = 0; i < 2000; i++) {
      const b = good.slice();
      for (let k = 0; k < 3; k++) {
        // hit page headers and item offsets, where the structure lives
        const page = Math.floor(rand() * (b.length / 512));
        b[page * 512 + Math.floor(rand() * 48)] = Math.floor(rand() * 256);
      }
      try {
        const { findings } = readBdbHashValues(b);
        if (findings.length) withFindings++;
        expect(findings.length).toBeLessThanOrEqual(21);
      } catch (e) {
        if (!(e instanceof RpmFormatError)) throw e;
      }
    }
    expect(withFindings).toBeGreaterThan(100);
  });
});

function sortByName<T extends { name: string }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => a.name.localeCompare(b.name));
}

/** Page headers of a little-endian, 4 KiB-page Berkeley DB file (test navigation only). */
function pages(file: Uint8Array, size = PAGE) {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const out = [];
  for (let at = size; at + size <= file.length; at += size) {
    out.push({ at, pgno: view.getUint32(at + 8, true), next: view.getUint32(at + 16, true), entries: view.getUint16(at + 20, true), type: file[at + 25] });
  }
  return out;
}
