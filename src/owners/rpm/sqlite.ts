/**
 * Reader for rpm's sqlite backend (`rpmdb.sqlite`, RHEL 9+/Fedora 33+): table
 * `Packages(hnum INTEGER PRIMARY KEY, blob BLOB)`, one header blob per row.
 *
 * Uses sql.js (SQLite compiled to WebAssembly), initialised once per process from the package's own
 * `dist/sql-wasm.wasm`.
 */
import { createRequire } from 'node:module';
import type { SqlJsStatic } from 'sql.js';
import { FindingCollector, RpmFormatError, type RpmBlobs } from './errors.js';

let sqlJs: Promise<SqlJsStatic> | undefined;

function loadSqlJs(): Promise<SqlJsStatic> {
  if (!sqlJs) {
    const wasmPath = createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm');
    // Loaded on first use: most images have no sqlite rpmdb, and start-up time matters.
    sqlJs = import('sql.js').then((m) => m.default({ locateFile: () => wasmPath }));
    sqlJs.catch(() => {
      sqlJs = undefined; // let a later call retry
    });
  }
  return sqlJs;
}

const SQLITE_MAGIC = 'SQLite format 3\0';

/** Reads every header blob of an rpm sqlite database, ordered by hnum (as `rpm -qa` lists them). */
export async function readSqliteBlobs(file: Uint8Array, source = 'rpmdb.sqlite'): Promise<RpmBlobs> {
  if (file.length < 100 || new TextDecoder().decode(file.subarray(0, 16)) !== SQLITE_MAGIC) {
    throw new RpmFormatError('rpmdb-sqlite-bad-magic', `${source}: not an sqlite database`);
  }
  const SQL = await loadSqlJs();
  let bytes = file;
  // rpm runs sqlite in WAL mode (header bytes 18/19 = 2). An in-memory copy cannot use WAL, so mark
  // the copy as a rollback-journal database; the main file holds everything rpm checkpointed.
  if (file[18] === 2 || file[19] === 2) {
    bytes = file.slice();
    bytes[18] = 1;
    bytes[19] = 1;
  }
  const findings = new FindingCollector(source);
  const values: Uint8Array[] = [];
  let db;
  try {
    db = new SQL.Database(bytes);
  } catch (e) {
    throw new RpmFormatError('rpmdb-corrupt', `${source}: sqlite cannot open it: ${message(e)}`);
  }
  try {
    const stmt = db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum');
    try {
      while (stmt.step()) {
        const [hnum, blob] = stmt.get();
        if (blob instanceof Uint8Array) values.push(blob);
        else findings.warn('rpmdb-corrupt', `row hnum ${String(hnum)} holds no header blob`);
      }
    } finally {
      stmt.free();
    }
  } catch (e) {
    if (e instanceof RpmFormatError) throw e;
    throw new RpmFormatError('rpmdb-corrupt', `${source}: cannot read the Packages table: ${message(e)}`);
  } finally {
    db.close();
  }
  return { values, findings: findings.done() };
}

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).toLowerCase().replace(/\.$/, '');
}
