import { createRequire } from 'node:module';
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { RPMDB_PATHS, detectRpmDbFormat, parseRpmDb } from '../../../src/owners/rpm/parse-rpmdb.js';
import { asOracleRow, byPath, fixture, oracleFiles, oraclePackages } from './oracle.js';

describe('detectRpmDbFormat', () => {
  it.each([
    ['Packages', 'bdb'],
    ['Packages-be', 'bdb'],
    ['btree.db', 'bdb'], // Berkeley DB, but the bdb reader will say it is not a hash
    ['go-rpmdb/libuuid-Packages', 'bdb'],
    ['go-rpmdb/sle15-bci-Packages.db', 'ndb'],
    ['rpmdb.sqlite', 'sqlite'],
    ['headers/wh-docs.hdr', null],
    ['expected/packages.tsv', null],
  ])('%s → %s', (file, format) => {
    expect(detectRpmDbFormat(fixture(file))).toBe(format);
  });

  it('returns null for empty and tiny inputs', () => {
    expect(detectRpmDbFormat(new Uint8Array(0))).toBeNull();
    expect(detectRpmDbFormat(new TextEncoder().encode('RpmP'.slice(0, 3)))).toBeNull();
  });
});

describe('parseRpmDb', () => {
  it.each(['Packages', 'Packages-512', 'Packages-be', 'Packages-chksum', 'rpmdb.sqlite'])(
    'reads %s into the packages and files rpm lists',
    async (file) => {
      const { packages, findings } = await parseRpmDb(fixture(file), `var/lib/rpm/${file}`);
      expect(findings).toEqual([]);
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      expect(packages.map(asOracleRow).sort(byName)).toEqual(oraclePackages('expected/packages.tsv').sort(byName));
      const files = oracleFiles('expected/files.tsv');
      for (const p of packages) expect(byPath(p.files)).toEqual(files.get(p.name) ?? []);
      expect(packages.reduce((a, p) => a + p.files.length, 0)).toBe(174);
    },
  );

  it('reads SUSE\'s ndb Packages.db: 35 packages, 39,681,521 bytes', async () => {
    const { packages, findings } = await parseRpmDb(fixture('go-rpmdb/sle15-bci-Packages.db'), 'usr/lib/sysimage/rpm/Packages.db');
    expect(findings).toEqual([]);
    expect(packages).toHaveLength(35);
    expect(packages.reduce((a, p) => a + p.size, 0)).toBe(39_681_521);
  });

  it('turns one damaged header into a finding naming the file and keeps the other packages', async () => {
    const SQL = await initSqlJs({ locateFile: () => createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm') });
    const original = fixture('rpmdb.sqlite');
    original[18] = original[19] = 1;
    const db = new SQL.Database(original);
    // replace wh-links' header by 12 bytes that announce 65,535 tags
    db.run("UPDATE Packages SET blob = X'0000ffff0000000000000000' WHERE hnum = 2");
    const bytes = db.export();
    db.close();
    const { packages, findings } = await parseRpmDb(bytes, '/var/lib/rpm/rpmdb.sqlite');
    expect(packages.map((p) => p.name)).toEqual(['wh-docs', 'wh-many', 'wh-empty', 'wh-big']);
    expect(findings).toEqual([
      {
        severity: 'warning',
        code: 'rpm-header-corrupt',
        message: '/var/lib/rpm/rpmdb.sqlite: package header 2: header needs 1048568 bytes (65535 tags, 0 data bytes) but the blob has 12',
        path: 'var/lib/rpm/rpmdb.sqlite',
      },
    ]);
  });

  it('turns an unreadable database into one error finding and no packages', async () => {
    const btree = await parseRpmDb(fixture('btree.db'), 'var/lib/rpm/Packages');
    expect(btree).toEqual({
      packages: [],
      findings: [
        {
          severity: 'error',
          code: 'rpmdb-unreadable',
          message: 'var/lib/rpm/Packages: berkeley db btree database, not hash',
          path: 'var/lib/rpm/Packages',
        },
      ],
    });
    const junk = await parseRpmDb(new TextEncoder().encode('not a database at all'), 'usr/share/rpm/Packages');
    expect(junk.packages).toEqual([]);
    expect(junk.findings.map((f) => [f.severity, f.code, f.message])).toEqual([
      ['error', 'rpmdb-unreadable', 'usr/share/rpm/Packages: not an rpm database (no berkeley db, ndb or sqlite magic)'],
    ]);
    const cut = await parseRpmDb(fixture('rpmdb.sqlite').subarray(0, 8192), 'var/lib/rpm/rpmdb.sqlite');
    expect(cut.packages).toEqual([]);
    expect(cut.findings).toHaveLength(1);
    expect(cut.findings[0].message).toMatch(/^var\/lib\/rpm\/rpmdb.sqlite: .*malformed/);
  });

  it('keeps the packages of a truncated Berkeley DB file and reports the truncation', async () => {
    const file = fixture('Packages');
    const { packages, findings } = await parseRpmDb(file.subarray(0, file.length - 4096), 'var/lib/rpm/Packages');
    expect(findings[0]).toMatchObject({ code: 'rpmdb-truncated', path: 'var/lib/rpm/Packages' });
    expect(packages.length).toBeGreaterThan(0);
    expect(packages.length).toBeLessThan(5);
  });
});

describe('RPMDB_PATHS', () => {
  it('lists the nine places rpm keeps its database, relative to the image root', () => {
    expect([...RPMDB_PATHS].sort()).toEqual(
      [
        'usr/lib/sysimage/rpm/Packages',
        'usr/lib/sysimage/rpm/Packages.db',
        'usr/lib/sysimage/rpm/rpmdb.sqlite',
        'usr/share/rpm/Packages',
        'usr/share/rpm/Packages.db',
        'usr/share/rpm/rpmdb.sqlite',
        'var/lib/rpm/Packages',
        'var/lib/rpm/Packages.db',
        'var/lib/rpm/rpmdb.sqlite',
      ].sort(),
    );
  });
});
