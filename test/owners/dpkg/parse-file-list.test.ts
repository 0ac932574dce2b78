import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  divertedPath,
  indexDpkgDiversions,
  parseDpkgDiversions,
  parseDpkgFileList,
  parseDpkgMd5sums,
} from '../../../src/owners/dpkg/parse-file-list.js';

const FIX = fileURLToPath(new URL('../../../fixtures/owners/dpkg/', import.meta.url));
const BOOKWORM = join(FIX, 'bookworm');
const ADMINDIR = join(BOOKWORM, 'var/lib/dpkg');
const read = (p: string): string => readFileSync(p, 'utf8');
const LISTED = ['libc6:amd64', 'libc6:i386', 'zlib1g:amd64', 'zlib1g:i386', 'hello', 'netbase', 'dash', 'base-files'];

function hasTool(tool: string): boolean {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** dpkg-query -L output minus the root `/.` and its "diverted" annotation lines. */
function oraclePaths(text: string): string[] {
  return text.split('\n').filter((l) => l.startsWith('/') && l !== '/.');
}

describe('parseDpkgFileList on real info/*.list files, checked against dpkg-query -L', () => {
  for (const pkg of LISTED) {
    it(`lists the same paths as dpkg-query -L ${pkg}`, () => {
      const { paths, findings } = parseDpkgFileList(read(join(ADMINDIR, `info/${pkg}.list`)), `info/${pkg}.list`);
      expect(findings).toEqual([]);
      expect(paths).toEqual(oraclePaths(read(join(BOOKWORM, `oracle/dpkg-query-L.${pkg}.txt`))));
    });
  }

  it('keeps directories and the multiarch-specific library paths of each architecture', () => {
    const amd64 = parseDpkgFileList(read(join(ADMINDIR, 'info/zlib1g:amd64.list'))).paths;
    const i386 = parseDpkgFileList(read(join(ADMINDIR, 'info/zlib1g:i386.list'))).paths;
    expect(amd64[0]).toBe('/lib');
    expect(amd64).toContain('/lib/x86_64-linux-gnu');
    expect(amd64.some((p) => p.startsWith('/lib/x86_64-linux-gnu/libz.so.1'))).toBe(true);
    expect(i386.some((p) => p.startsWith('/lib/i386-linux-gnu/libz.so.1'))).toBe(true);
    expect(amd64).toHaveLength(11);
  });

  it('lists only the conffiles left behind by a config-files package', () => {
    expect(parseDpkgFileList(read(join(ADMINDIR, 'info/netbase.list'))).paths).toEqual([
      '/etc',
      '/etc/ethertypes',
      '/etc/protocols',
      '/etc/rpc',
      '/etc/services',
    ]);
  });

  it('warns about a relative line and keeps the rest', () => {
    const r = parseDpkgFileList('/.\n/usr\nusr/bin\n/usr/bin\n', 'var/lib/dpkg/info/x.list');
    expect(r.paths).toEqual(['/usr', '/usr/bin']);
    expect(r.findings).toEqual([
      {
        severity: 'warning',
        code: 'dpkg-list-bad-line',
        message: 'var/lib/dpkg/info/x.list: line 3 is not an absolute path: "usr/bin"',
        path: 'var/lib/dpkg/info/x.list',
      },
    ]);
  });

  it.skipIf(!hasTool('dpkg-query'))('matches dpkg-query -L run live on the fixture', () => {
    for (const pkg of LISTED) {
      const live = execFileSync('dpkg-query', [`--admindir=${ADMINDIR}`, '-L', pkg], { encoding: 'utf8' });
      expect(live, pkg).toBe(read(join(BOOKWORM, `oracle/dpkg-query-L.${pkg}.txt`)));
    }
  });
});

describe('parseDpkgMd5sums', () => {
  it('reads syft\'s distroless md5sums (status.d) as syft does', () => {
    const expected = JSON.parse(read(join(FIX, 'syft/expected-dpkg-parsed.json'))) as Record<string, { path: string; md5: string }[]>;
    for (const [key, want] of [
      ['image-distroless-deb/var/lib/dpkg/status.d/libsqlite3-0.md5sums', 6],
      ['image-dpkg/var/lib/dpkg/info/libpam-runtime.md5sums', 4],
    ] as const) {
      const { files, findings } = parseDpkgMd5sums(read(join(FIX, 'syft', key)), key);
      expect(findings).toEqual([]);
      expect(files).toEqual(expected[`debian/testdata/${key}`]);
      expect(files).toHaveLength(want);
    }
  });

  it('lists regular files only, each of which the package .list also has', () => {
    for (const pkg of ['hello', 'zlib1g:amd64']) {
      const list = new Set(parseDpkgFileList(read(join(ADMINDIR, `info/${pkg}.list`))).paths);
      const { files, findings } = parseDpkgMd5sums(read(join(ADMINDIR, `info/${pkg}.md5sums`)));
      expect(findings).toEqual([]);
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) {
        expect(list.has(f.path), f.path).toBe(true);
        expect(f.md5).toMatch(/^[0-9a-f]{32}$/);
      }
    }
    const hello = parseDpkgMd5sums(read(join(ADMINDIR, 'info/hello.md5sums'))).files;
    expect(hello[0].path).toBe('/usr/bin/hello');
    expect(hello).toHaveLength(read(join(ADMINDIR, 'info/hello.md5sums')).trimEnd().split('\n').length);
  });

  it('reports a line without a valid md5 and keeps the others', () => {
    const r = parseDpkgMd5sums('55f905631797551d4d936a34c7e7347  usr/a\nd41d8cd98f00b204e9800998ecf8427e  usr/b c\n', 'm');
    expect(r.files).toEqual([{ path: '/usr/b c', md5: 'd41d8cd98f00b204e9800998ecf8427e' }]);
    expect(r.findings.map((f) => f.code)).toEqual(['dpkg-md5sums-bad-line']);
  });

  it('accepts md5sum\'s binary-mode marker and a leading slash', () => {
    const r = parseDpkgMd5sums('d41d8cd98f00b204e9800998ecf8427e */usr/a\nD41D8CD98F00B204E9800998ECF8427E  /usr/b\n');
    expect(r.files.map((f) => [f.path, f.md5])).toEqual([
      ['/usr/a', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['/usr/b', 'd41d8cd98f00b204e9800998ecf8427e'],
    ]);
  });
});

describe('parseDpkgDiversions on a real diversions file, checked against dpkg-divert --list', () => {
  const asDpkgDivertLists = (d: { from: string; to: string; by: string | null }): string =>
    d.by === null ? `local diversion of ${d.from} to ${d.to}` : `diversion of ${d.from} to ${d.to} by ${d.by}`;

  it('reads the package and local diversions', () => {
    const { diversions, findings } = parseDpkgDiversions(read(join(ADMINDIR, 'diversions')));
    expect(findings).toEqual([]);
    expect(diversions.map(asDpkgDivertLists).sort()).toEqual(
      read(join(BOOKWORM, 'oracle/dpkg-divert-list.txt')).trimEnd().split('\n'),
    );
    expect(diversions).toContainEqual({ from: '/usr/bin/hello', to: '/usr/bin/hello.real', by: null });
    expect(diversions).toContainEqual({ from: '/bin/sh', to: '/bin/sh.distrib', by: 'dash' });
  });

  it('reports a truncated record and keeps the whole ones', () => {
    const text = read(join(ADMINDIR, 'diversions'));
    const cut = text.split('\n').slice(0, 7).join('\n') + '\n';
    const r = parseDpkgDiversions(cut, 'var/lib/dpkg/diversions');
    expect(r.diversions).toHaveLength(2);
    expect(r.findings.map((f) => f.message)).toEqual([
      'var/lib/dpkg/diversions: has 7 lines, not a multiple of 3; ignoring the last 1',
    ]);
  });

  it('reads an empty file as no diversions', () => {
    expect(parseDpkgDiversions('')).toEqual({ diversions: [], findings: [] });
  });

  it.skipIf(!hasTool('dpkg-divert'))('matches dpkg-divert --list run live on the fixture', () => {
    const live = execFileSync('dpkg-divert', ['--admindir', ADMINDIR, '--list'], { encoding: 'utf8' });
    expect(live.trimEnd().split('\n').sort()).toEqual(read(join(BOOKWORM, 'oracle/dpkg-divert-list.txt')).trimEnd().split('\n'));
  });

  it('resolves listed paths to where the diverted files live, as dpkg-query -L annotates them', () => {
    const index = indexDpkgDiversions(parseDpkgDiversions(read(join(ADMINDIR, 'diversions'))).diversions);
    let checked = 0;
    for (const pkg of LISTED) {
      const name = pkg.split(':')[0];
      const lines = read(join(BOOKWORM, `oracle/dpkg-query-L.${pkg}.txt`)).split('\n');
      lines.forEach((line, i) => {
        if (!line.startsWith('/') || line === '/.') return;
        const note = lines[i + 1] ?? '';
        const m = /^(?:locally diverted|diverted by \S+) to: (.*)$/.exec(note);
        const want = m === null ? line : m[1];
        if (note.includes('divert')) checked++;
        expect(divertedPath(line, name, index), `${pkg} ${line}`).toBe(want);
      });
    }
    expect(checked).toBe(3); // dash's own /bin/sh and sh.1.gz stay; hello's binary moved
  });

  it('sends another package\'s copy of a path to the diverted name', () => {
    const index = indexDpkgDiversions(parseDpkgDiversions(read(join(ADMINDIR, 'diversions'))).diversions);
    expect(divertedPath('/bin/sh', 'bash', index)).toBe('/bin/sh.distrib');
    expect(divertedPath('/bin/sh', 'dash', index)).toBe('/bin/sh');
    expect(divertedPath('/usr/bin/hello', 'anything', index)).toBe('/usr/bin/hello.real');
    expect(divertedPath('/usr/bin/env', 'coreutils', index)).toBe('/usr/bin/env');
  });
});
