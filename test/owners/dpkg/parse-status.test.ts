import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDpkgStatus, parseInstalledSize, type DpkgPackage } from '../../../src/owners/dpkg/parse-status.js';
import { dpkgInfoCandidates } from '../../../src/owners/dpkg/paths.js';

const FIX = fileURLToPath(new URL('../../../fixtures/owners/dpkg/', import.meta.url));
const BOOKWORM = join(FIX, 'bookworm');
const ADMINDIR = join(BOOKWORM, 'var/lib/dpkg');
const read = (p: string): string => readFileSync(p, 'utf8');

function hasTool(tool: string): boolean {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface PeerEntry {
  Package: string;
  Status: string | null;
  Version: string | null;
  Architecture: string | null;
  Source: string | null;
  'Installed-Size': string | null;
  Conffiles: string[];
}

/** syft's expected values, keyed by the path under syft's testdata, mapped to our fixture copy. */
function peerCases(): { file: string; entries: PeerEntry[] }[] {
  const expected = JSON.parse(read(join(FIX, 'syft/expected-dpkg-parsed.json'))) as Record<string, PeerEntry[]>;
  const out: { file: string; entries: PeerEntry[] }[] = [];
  for (const [key, entries] of Object.entries(expected)) {
    if (!key.startsWith('debian/testdata/') || key.endsWith('.md5sums')) continue;
    const file = join(FIX, 'syft', key.slice('debian/testdata/'.length));
    if (existsSync(file)) out.push({ file, entries });
  }
  return out;
}

/** What whittle keeps of a stanza syft reads: a named package whose files are on disk. */
function keptByWhittle(e: PeerEntry): boolean {
  if (e.Package === '') return false;
  if (e.Status === null) return true;
  const state = e.Status.split(' ')[2];
  return state !== 'config-files' && state !== 'not-installed';
}

function sourceField(p: DpkgPackage): string | null {
  return p.source === null ? null : p.sourceVersion === null ? p.source : `${p.source} (${p.sourceVersion})`;
}

describe('parseDpkgStatus on syft test data (values syft asserts)', () => {
  const cases = peerCases();

  it('finds the syft fixture files', () => {
    expect(cases.map((c) => c.file.slice(FIX.length)).sort()).toEqual([
      'syft/image-distroless-deb/var/lib/dpkg/status.d/libsqlite3-0',
      'syft/image-dpkg/var/lib/dpkg/status',
      'syft/var/lib/dpkg/status.d/coreutils-relationships',
      'syft/var/lib/dpkg/status.d/deinstall',
      'syft/var/lib/dpkg/status.d/doc-examples',
      'syft/var/lib/dpkg/status.d/installed-size-4KB',
      'syft/var/lib/dpkg/status.d/libpam-runtime',
      'syft/var/lib/dpkg/status.d/multiple',
      'syft/var/lib/dpkg/status.d/single',
      'syft/var/lib/opkg/status',
    ]);
  });

  for (const { file, entries } of cases) {
    it(`reads ${file.slice(FIX.length)} like syft`, () => {
      const { packages, findings } = parseDpkgStatus(read(file), file.slice(FIX.length));
      expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
      const want = entries.filter(keptByWhittle);
      expect(packages.map((p) => p.name)).toEqual(want.map((e) => e.Package));
      packages.forEach((p, i) => {
        const e = want[i];
        expect(p.version).toBe(e.Version ?? '');
        expect(p.architecture).toBe(e.Architecture ?? '');
        expect(p.status).toBe(e.Status);
        expect(sourceField(p)).toBe(e.Source);
        expect(p.conffiles).toEqual(e.Conffiles);
        const raw = e['Installed-Size'];
        if (raw === null) {
          expect(p.installedSizeKiB).toBeNull();
        } else if (/^\d+$/.test(raw)) {
          expect(p.installedSizeKiB).toBe(Number(raw));
          expect(p.installedSizeBytes).toBe(Number(raw) * 1024);
        }
      });
    });
  }

  it('reads the distroless stanza (no Status field) as installed, arm64, 1490 KiB', () => {
    const src = 'var/lib/dpkg/status.d/libsqlite3-0';
    const { packages } = parseDpkgStatus(read(join(FIX, 'syft/image-distroless-deb', src)), src);
    expect(packages).toHaveLength(1);
    expect(packages[0]).toMatchObject({
      name: 'libsqlite3-0',
      version: '3.34.1-3',
      architecture: 'arm64',
      status: null,
      installedSizeKiB: 1490,
      installedSizeBytes: 1490 * 1024,
      source: 'sqlite3',
      multiArch: 'same',
      infoKey: 'libsqlite3-0:arm64',
    });
  });

  it('reads "Installed-Size: 4KB" as 4000 bytes', () => {
    const { packages } = parseDpkgStatus(read(join(FIX, 'syft/var/lib/dpkg/status.d/installed-size-4KB')), 'x');
    expect(packages[0].installedSizeBytes).toBe(4000);
    expect(packages[0].installedSizeKiB).toBe(4);
  });

  it('skips the deinstall (config-files) stanza and keeps the installed one', () => {
    const { packages, findings } = parseDpkgStatus(read(join(FIX, 'syft/var/lib/dpkg/status.d/deinstall')), 'd');
    expect(packages.map((p) => `${p.name} ${p.version} ${p.installedSizeKiB}`)).toEqual([
      'linux-image-6.14.0-1012-aws 6.14.0-1012.12~24.04.1 15221',
    ]);
    expect(findings).toEqual([]);
  });

  it('reports the corrupt status.d file as an error finding and returns no package', () => {
    const src = 'var/lib/dpkg/status.d/corrupt';
    const { packages, findings } = parseDpkgStatus(read(join(FIX, 'syft', src)), src);
    expect(packages).toEqual([]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', code: 'dpkg-status-corrupt', path: src });
    expect(findings[0].message).toMatch(/^var\/lib\/dpkg\/status\.d\/corrupt: stanza at line 1 is corrupt: line 5: /);
  });

  it('ignores the lone empty "Package:" stanza without a finding', () => {
    const r = parseDpkgStatus(read(join(FIX, 'syft/var/lib/dpkg/status.d/empty')), 'e');
    expect(r).toEqual({ packages: [], findings: [] });
  });

  it('keeps a corrupt stanza from hiding the stanzas after it', () => {
    const corrupt = read(join(FIX, 'syft/var/lib/dpkg/status.d/corrupt'));
    const single = read(join(FIX, 'syft/var/lib/dpkg/status.d/single'));
    const { packages, findings } = parseDpkgStatus(`${corrupt}\n\n${single}`, 'mixed');
    expect(packages.map((p) => p.name)).toEqual(['apt']);
    expect(findings.map((f) => f.code)).toEqual(['dpkg-status-corrupt']);
  });
});

describe('parseDpkgStatus on a real bookworm database, checked against dpkg-query', () => {
  const text = read(join(ADMINDIR, 'status'));
  const { packages, findings } = parseDpkgStatus(text, 'var/lib/dpkg/status');
  const oracle = read(join(BOOKWORM, 'oracle/dpkg-query-W.tsv'))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));

  it('lists every package dpkg-query shows with files on disk, with the same version and size', () => {
    const want = oracle
      .filter(([, , , status]) => !/ (config-files|not-installed)$/.test(status))
      .map(([pkg, version, size]) => `${pkg}\t${version}\t${size}`)
      .sort();
    // dpkg-query's ${binary:Package} is name:arch exactly for Multi-Arch: same, i.e. our infoKey.
    const got = packages.map((p) => `${p.infoKey}\t${p.version}\t${p.installedSizeKiB}`).sort();
    expect(got).toEqual(want);
    expect(got).toHaveLength(95);
  });

  it('drops the removed netbase (config-files) and keeps the unpacked hello with an info finding', () => {
    expect(packages.find((p) => p.name === 'netbase')).toBeUndefined();
    const hello = packages.find((p) => p.name === 'hello');
    expect(hello).toMatchObject({ status: 'install ok unpacked', installedSizeBytes: 277 * 1024 });
    expect(findings).toEqual([
      {
        severity: 'info',
        code: 'dpkg-package-not-configured',
        message: 'var/lib/dpkg/status: hello is unpacked, not fully configured',
        path: 'var/lib/dpkg/status',
      },
    ]);
  });

  it('keeps both architectures of a Multi-Arch: same package apart', () => {
    const libc = packages.filter((p) => p.name === 'libc6');
    expect(libc.map((p) => [p.infoKey, p.architecture, p.multiArch, p.source])).toEqual([
      ['libc6:amd64', 'amd64', 'same', 'glibc'],
      ['libc6:i386', 'i386', 'same', 'glibc'],
    ]);
    expect(libc[0].conffiles).toEqual(['/etc/ld.so.conf.d/x86_64-linux-gnu.conf']);
  });

  it('names info files the way dpkg does: every package finds its .list among its candidates', () => {
    for (const name of ['libc6:amd64', 'libc6:i386', 'zlib1g:amd64', 'zlib1g:i386', 'hello', 'dash', 'base-files']) {
      const p = packages.find((q) => q.infoKey === name);
      expect(p, name).toBeDefined();
      const found = dpkgInfoCandidates(p!).filter((c) => existsSync(join(BOOKWORM, c)));
      expect(found, name).toEqual([`var/lib/dpkg/info/${name}.list`]);
    }
    const i386 = packages.find((q) => q.infoKey === 'zlib1g:i386')!;
    expect(dpkgInfoCandidates(i386, 'md5sums')).toEqual([
      'var/lib/dpkg/info/zlib1g:i386.md5sums',
      'var/lib/dpkg/info/zlib1g.md5sums',
    ]);
    const dash = packages.find((q) => q.name === 'dash')!;
    expect(dash.multiArch).toBe('foreign');
    expect(dpkgInfoCandidates(dash)).toEqual(['var/lib/dpkg/info/dash.list']);
  });

  it('splits "Source: name (version)" into source and sourceVersion', () => {
    const withVersion = packages.filter((p) => p.sourceVersion !== null);
    expect(withVersion).toHaveLength(text.match(/^Source: \S+ \(.*\)$/gm)!.length);
    expect(withVersion).toHaveLength(14);
    const bash = packages.find((p) => p.name === 'bash')!;
    expect([bash.source, bash.sourceVersion]).toEqual(['bash', '5.2.15-2']);
    expect(packages.find((p) => p.name === 'libc6')!.sourceVersion).toBeNull();
  });

  it('reads the same packages from CRLF line endings', () => {
    const crlf = parseDpkgStatus(text.replace(/\n/g, '\r\n'), 'crlf');
    expect(crlf.packages).toEqual(packages);
  });

  it.skipIf(!hasTool('dpkg-query'))('matches dpkg-query run live on the fixture (and the committed oracle)', () => {
    const live = execFileSync(
      'dpkg-query',
      ['--admindir=' + ADMINDIR, '-W', '-f=${binary:Package}\t${Version}\t${Installed-Size}\t${Status}\n'],
      { encoding: 'utf8' },
    );
    expect(live).toBe(read(join(BOOKWORM, 'oracle/dpkg-query-W.tsv')));
  });
});

describe('parseDpkgStatus status handling on real stanzas', () => {
  const text = read(join(ADMINDIR, 'status'));
  const helloStanza = text.slice(text.indexOf('Package: hello\n')).split('\n\n')[0];
  const withStatus = (status: string): string => helloStanza.replace(/^Status: .*$/m, `Status: ${status}`);

  it('keeps a half-installed package with a warning', () => {
    const r = parseDpkgStatus(withStatus('install reinstreq half-installed'), 's');
    expect(r.packages.map((p) => p.name)).toEqual(['hello']);
    expect(r.findings.map((f) => [f.severity, f.code])).toEqual([
      ['warning', 'dpkg-package-half-installed'],
      ['warning', 'dpkg-package-reinstreq'],
    ]);
  });

  it('keeps a triggers-pending package (its files are installed)', () => {
    const r = parseDpkgStatus(withStatus('install ok triggers-pending'), 's');
    expect(r.packages).toHaveLength(1);
    expect(r.findings.map((f) => f.code)).toEqual(['dpkg-package-not-configured']);
  });

  it('drops not-installed and config-files packages without findings', () => {
    expect(parseDpkgStatus(withStatus('purge ok not-installed'), 's')).toEqual({ packages: [], findings: [] });
    expect(parseDpkgStatus(withStatus('deinstall ok config-files'), 's')).toEqual({ packages: [], findings: [] });
  });

  it('keeps a package held or selected for removal while it is still installed', () => {
    expect(parseDpkgStatus(withStatus('hold ok installed'), 's').packages).toHaveLength(1);
    expect(parseDpkgStatus(withStatus('deinstall ok installed'), 's').packages).toHaveLength(1);
  });

  it('warns about an unreadable Status but keeps the package', () => {
    const r = parseDpkgStatus(withStatus('installed'), 'var/lib/dpkg/status');
    expect(r.packages).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ severity: 'warning', code: 'dpkg-status-invalid' });
    expect(r.findings[0].message).toBe(
      'var/lib/dpkg/status: stanza at line 1 (hello): unknown Status "installed"; assuming its files are installed',
    );
  });

  it('reports a duplicated package once and keeps the first', () => {
    const r = parseDpkgStatus(`${helloStanza}\n\n${helloStanza.replace('Version: 2.10-3', 'Version: 9')}\n`, 's');
    expect(r.packages.map((p) => p.version)).toEqual(['2.10-3']);
    expect(r.findings.map((f) => f.code)).toEqual(['dpkg-package-not-configured', 'dpkg-status-duplicate']);
  });

  it('reports a continuation line before any field as corrupt', () => {
    const r = parseDpkgStatus(` stray\n${helloStanza}\n`, 's');
    expect(r.packages).toEqual([]);
    expect(r.findings.map((f) => f.message)).toEqual([
      's: stanza at line 1 (hello) is corrupt: line 1: continuation line before any field',
    ]);
  });
});

describe('parseInstalledSize', () => {
  it('reads plain numbers as KiB', () => {
    expect(parseInstalledSize('4064')).toEqual({ bytes: 4064 * 1024, kib: 4064 });
    expect(parseInstalledSize(' 0 ')).toEqual({ bytes: 0, kib: 0 });
  });
  it('reads unit suffixes SI or binary, case-insensitively', () => {
    expect(parseInstalledSize('4KB')).toEqual({ bytes: 4000, kib: 4 });
    expect(parseInstalledSize('4 kB')).toEqual({ bytes: 4000, kib: 4 });
    expect(parseInstalledSize('4KiB')).toEqual({ bytes: 4096, kib: 4 });
    expect(parseInstalledSize('1.5MB')).toEqual({ bytes: 1_500_000, kib: 1465 });
    expect(parseInstalledSize('2GiB')).toEqual({ bytes: 2 * 1024 ** 3, kib: 2 * 1024 ** 2 });
  });
  it('returns null when absent and invalid when unreadable', () => {
    expect(parseInstalledSize(undefined)).toBeNull();
    expect(parseInstalledSize('')).toBeNull();
    expect(parseInstalledSize('lots')).toBe('invalid');
    expect(parseInstalledSize('4 XB')).toBe('invalid');
    expect(parseInstalledSize('-4')).toBe('invalid');
  });
});
