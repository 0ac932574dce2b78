import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDpkgFileList } from '../../../src/owners/dpkg/parse-file-list.js';
import {
  classifyDpkgDbPath,
  dpkgStatusDMd5sumsPath,
  DPKG_INFO_DIR,
  DPKG_STATUS,
  DPKG_STATUS_D,
  isDpkgDbPath,
} from '../../../src/owners/dpkg/paths.js';

const FIX = fileURLToPath(new URL('../../../fixtures/owners/dpkg/', import.meta.url));

/** Image-relative paths of every file under `root`. */
function walk(root: string, dir = root): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(root, p));
    else out.push(relative(root, p));
  }
  return out.sort();
}

describe('classifyDpkgDbPath', () => {
  it('picks the database files out of the real bookworm fixture tree', () => {
    const got = walk(join(FIX, 'bookworm')).map((p) => [p, classifyDpkgDbPath(p)]);
    expect(Object.fromEntries(got)).toEqual({
      'make.sh': null,
      'oracle/dpkg-divert-list.txt': null,
      'oracle/dpkg-query-L.base-files.txt': null,
      'oracle/dpkg-query-L.dash.txt': null,
      'oracle/dpkg-query-L.hello.txt': null,
      'oracle/dpkg-query-L.libc6:amd64.txt': null,
      'oracle/dpkg-query-L.libc6:i386.txt': null,
      'oracle/dpkg-query-L.netbase.txt': null,
      'oracle/dpkg-query-L.zlib1g:amd64.txt': null,
      'oracle/dpkg-query-L.zlib1g:i386.txt': null,
      'oracle/dpkg-query-W.tsv': null,
      'var/lib/dpkg/diversions': 'diversions',
      'var/lib/dpkg/info/base-files.list': 'info-list',
      'var/lib/dpkg/info/dash.list': 'info-list',
      'var/lib/dpkg/info/format': 'info-format',
      'var/lib/dpkg/info/hello.list': 'info-list',
      'var/lib/dpkg/info/hello.md5sums': 'info-md5sums',
      'var/lib/dpkg/info/libc6:amd64.list': 'info-list',
      'var/lib/dpkg/info/libc6:i386.list': 'info-list',
      'var/lib/dpkg/info/netbase.list': 'info-list',
      'var/lib/dpkg/info/zlib1g:amd64.list': 'info-list',
      'var/lib/dpkg/info/zlib1g:amd64.md5sums': 'info-md5sums',
      'var/lib/dpkg/info/zlib1g:i386.list': 'info-list',
      'var/lib/dpkg/status': 'status',
    });
  });

  it('picks the stanza files and md5sums of syft\'s distroless tree, not its maintainer scripts', () => {
    const tree = walk(join(FIX, 'syft/image-distroless-deb'));
    expect(tree.map((p) => [p, classifyDpkgDbPath(p)])).toEqual([
      ['var/lib/dpkg/status.d/libsqlite3-0', 'status-d'],
      ['var/lib/dpkg/status.d/libsqlite3-0.md5sums', 'status-d-md5sums'],
      ['var/lib/dpkg/status.d/libsqlite3-0.preinst', null],
    ]);
    expect(dpkgStatusDMd5sumsPath(tree[0])).toBe(tree[1]);
  });

  it('rejects look-alikes', () => {
    for (const p of [
      '',
      'var/lib/dpkg',
      'var/lib/dpkg/',
      'var/lib/dpkg/status-old',
      'var/lib/dpkg/statusx',
      'var/lib/dpkg/status.d/',
      'var/lib/dpkg/status.d/sub/pkg',
      'var/lib/dpkg/info/',
      'var/lib/dpkg/info/libc6:amd64.postinst',
      'var/lib/dpkg/info/sub/x.list',
      'var/lib/dpkg/available',
      'var/lib/dpkg/diversions-old',
      'var/lib/dpkg/updates/0000',
      '/var/lib/dpkg/status',
      './var/lib/dpkg/status',
      'usr/var/lib/dpkg/status',
      'var/lib/dpkgx/status',
      'var/lib/apk/db/installed',
    ]) {
      expect(classifyDpkgDbPath(p), p).toBeNull();
      expect(isDpkgDbPath(p), p).toBe(false);
    }
    expect(DPKG_STATUS).toBe('var/lib/dpkg/status');
    expect(DPKG_STATUS_D).toBe('var/lib/dpkg/status.d/');
    expect(DPKG_INFO_DIR).toBe('var/lib/dpkg/info/');
  });

  it('classifies a million tar entry names quickly', () => {
    // Real paths: every file of libc6 (amd64 and i386) as image-relative names, plus db files.
    const lists = ['libc6:amd64', 'libc6:i386', 'hello', 'base-files'].flatMap(
      (p) => parseDpkgFileList(readFileSync(join(FIX, `bookworm/var/lib/dpkg/info/${p}.list`), 'utf8')).paths,
    );
    const names = [...lists.map((p) => p.slice(1)), ...walk(join(FIX, 'bookworm'))];
    const n = 1_000_000;
    let hits = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) if (isDpkgDbPath(names[i % names.length])) hits++;
    const ms = performance.now() - t0;
    expect(hits).toBeGreaterThan(0);
    expect(ms).toBeLessThan(1500);
  });
});
