import { createRequire } from 'node:module';
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { RpmFormatError } from '../../../src/owners/rpm/errors.js';
import { parseRpmHeader } from '../../../src/owners/rpm/header.js';
import { readSqliteBlobs } from '../../../src/owners/rpm/sqlite.js';
import { asOracleRow, fixture, oraclePackages } from './oracle.js';

/** sql.js, to derive variants of the real database in the tests. */
const sql = () => initSqlJs({ locateFile: () => createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm') });

describe('readSqliteBlobs on the rpmdb.sqlite rpm 4.18 wrote', () => {
  it('returns the headers in hnum order, as rpm -qa lists them', async () => {
    const file = fixture('rpmdb.sqlite');
    expect([file[18], file[19]]).toEqual([2, 2]); // rpm's WAL mode, as found in images
    const { values, findings } = await readSqliteBlobs(file);
    expect(findings).toEqual([]);
    expect(values.map(parseRpmHeader).map(asOracleRow)).toEqual(oraclePackages('expected/packages.tsv'));
    expect([file[18], file[19]]).toEqual([2, 2]); // the caller's bytes are left alone
  });

  it('reports a row whose blob is not a blob and keeps the others', async () => {
    const SQL = await sql();
    const db = new SQL.Database(walToRollback(fixture('rpmdb.sqlite')));
    db.run("UPDATE Packages SET blob = 'text, not a blob' WHERE hnum = 2");
    const { values, findings } = await readSqliteBlobs(db.export(), 'var/lib/rpm/rpmdb.sqlite');
    db.close();
    expect(findings).toEqual([{ severity: 'warning', code: 'rpmdb-corrupt', message: 'var/lib/rpm/rpmdb.sqlite: row hnum 2 holds no header blob' }]);
    expect(values.map((v) => parseRpmHeader(v).name)).toEqual(['wh-docs', 'wh-many', 'wh-empty', 'wh-big']);
  });
});

describe('readSqliteBlobs on the wrong input', () => {
  const error = async (bytes: Uint8Array) => {
    try {
      await readSqliteBlobs(bytes, 'rpmdb.sqlite');
    } catch (e) {
      expect(e).toBeInstanceOf(RpmFormatError);
      return `${(e as RpmFormatError).code}: ${(e as Error).message}`;
    }
    throw new Error('did not throw');
  };

  it('rejects a file that is not sqlite', async () => {
    expect(await error(fixture('Packages'))).toBe('rpmdb-sqlite-bad-magic: rpmdb.sqlite: not an sqlite database');
  });

  it('rejects an sqlite database without the Packages table', async () => {
    const SQL = await sql();
    const db = new SQL.Database();
    db.run('CREATE TABLE Other (a)');
    const bytes = db.export();
    db.close();
    expect(await error(bytes)).toMatch(/^rpmdb-corrupt: rpmdb.sqlite: cannot read the Packages table: no such table: packages/);
  });

  it('rejects a truncated database', async () => {
    const file = fixture('rpmdb.sqlite');
    expect(await error(file.subarray(0, 8192))).toMatch(/^rpmdb-corrupt: rpmdb.sqlite: .*malformed/);
  });
});

function walToRollback(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  copy[18] = 1;
  copy[19] = 1;
  return copy;
}
