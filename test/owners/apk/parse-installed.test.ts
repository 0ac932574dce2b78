import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  APK_INSTALLED,
  isApkDbPath,
  parseApkInstalled,
} from '../../../src/owners/apk/parse-installed.js';

const FIX = fileURLToPath(new URL('../../../fixtures/owners/apk/syft/', import.meta.url));
const read = (p: string): string => readFileSync(join(FIX, p), 'utf8');

interface PeerPackage {
  name: string;
  version: string;
  arch?: string;
  size?: number;
  installedSize?: number;
  origin?: string;
  files: { path: string; kind: 'dir' | 'file' }[];
}

const expected = JSON.parse(read('expected-apk-parsed.json')) as Record<string, PeerPackage[]>;
const cases = Object.entries(expected).map(([key, pkgs]) => ({ file: key.slice('alpine/testdata/'.length), pkgs }));

describe('parseApkInstalled on syft test data (values syft asserts)', () => {
  it('has every database syft checks', () => {
    expect(cases.map((c) => c.file).sort()).toEqual([
      'base',
      'empty-deps-and-provides',
      'extra-file-attributes',
      'multiple-1/lib/apk/db/installed',
      'multiple-2/lib/apk/db/installed',
      'single',
    ]);
    for (const c of cases) expect(existsSync(join(FIX, c.file)), c.file).toBe(true);
  });

  for (const { file, pkgs } of cases) {
    it(`reads ${file} like syft`, () => {
      const { packages, findings } = parseApkInstalled(read(file), file);
      expect(findings).toEqual([]);
      expect(packages.map((p) => `${p.name} ${p.version}`)).toEqual(pkgs.map((p) => `${p.name} ${p.version}`));
      packages.forEach((p, i) => {
        const want = pkgs[i];
        expect(p.architecture).toBe(want.arch ?? null);
        expect(p.sizeBytes).toBe(want.size ?? null);
        expect(p.installedSizeBytes).toBe(want.installedSize ?? null);
        expect(p.origin).toBe(want.origin ?? null);
        expect(p.files).toEqual(want.files.map((f) => f.path));
        expect(p.dirCount).toBe(want.files.filter((f) => f.kind === 'dir').length);
      });
    });
  }

  it('reads musl-utils from "single" with S 37944, I 151552 and 8 file records', () => {
    const [p] = parseApkInstalled(read('single'), 'single').packages;
    expect(p).toMatchObject({
      name: 'musl-utils',
      version: '1.1.24-r2',
      architecture: 'x86_64',
      sizeBytes: 37944,
      installedSizeBytes: 151552,
      origin: 'musl',
      dirCount: 3,
    });
    expect(p.files).toEqual([
      '/sbin',
      '/sbin/ldconfig',
      '/usr',
      '/usr/bin',
      '/usr/bin/iconv',
      '/usr/bin/ldd',
      '/usr/bin/getconf',
      '/usr/bin/getent',
    ]);
  });

  it('reads all 14 packages of multiple-2 and keeps a package without files', () => {
    const { packages } = parseApkInstalled(read('multiple-2/lib/apk/db/installed'), APK_INSTALLED);
    expect(packages).toHaveLength(14);
    expect(packages.reduce((s, p) => s + (p.installedSizeBytes ?? 0), 0)).toBe(
      expected['alpine/testdata/multiple-2/lib/apk/db/installed'].reduce((s, p) => s + (p.installedSize ?? 0), 0),
    );
    expect(packages.at(-1)).toMatchObject({ name: 'libc-utils', files: [], installedSizeBytes: 4096 });
  });

  it('reports the corrupt database\'s bad first line as an error and still reads the record after it', () => {
    const src = 'lib/apk/db/installed';
    const { packages, findings } = parseApkInstalled(read('corrupt/lib/apk/db/installed'), src);
    expect(findings).toEqual([
      {
        severity: 'error',
        code: 'apk-installed-bad-line',
        message: 'lib/apk/db/installed: line 1 is not "<letter>:<value>": "this is a corrupt db"',
        path: src,
      },
    ]);
    expect(packages.map((p) => `${p.name} ${p.version} ${p.installedSizeBytes}`)).toEqual([
      'alpine-baselayout-data 3.2.0-r22 73728',
    ]);
    expect(packages[0].files).toHaveLength(15);
  });

  it('reports a record without P: and keeps the neighbours', () => {
    const text = read('multiple-1/lib/apk/db/installed');
    const broken = text.replace('P:busybox-binsh\n', '');
    const { packages, findings } = parseApkInstalled(broken, APK_INSTALLED);
    expect(packages.map((p) => p.name)).toEqual(['bash', 'musl', 'readline']);
    expect(findings.map((f) => [f.severity, f.code])).toEqual([['error', 'apk-record-missing-name']]);
  });

  it('reads the same from CRLF line endings', () => {
    const text = read('multiple-2/lib/apk/db/installed');
    expect(parseApkInstalled(text.replace(/\n/g, '\r\n'), 'x')).toEqual(parseApkInstalled(text, 'x'));
  });

  it('reports a size that is not a number', () => {
    const text = read('single').replace('I:151552', 'I:151552 bytes');
    const { packages, findings } = parseApkInstalled(text, 'single');
    expect(packages[0].installedSizeBytes).toBeNull();
    expect(findings.map((f) => f.code)).toEqual(['apk-size-invalid']);
  });
});

describe('isApkDbPath', () => {
  it('matches the installed database only', () => {
    expect(isApkDbPath('lib/apk/db/installed')).toBe(true);
    expect(isApkDbPath('usr/lib/apk/db/installed')).toBe(true);
    expect(isApkDbPath('lib/apk/db/installed.old')).toBe(false);
    expect(isApkDbPath('lib/apk/db/scripts.tar')).toBe(false);
    expect(isApkDbPath('/lib/apk/db/installed')).toBe(false);
  });
});
