import { describe, expect, it } from 'vitest';
import { RpmFormatError } from '../../../src/owners/rpm/errors.js';
import {
  RPMFILE_CONFIG,
  RPMFILE_DOC,
  RPMFILE_GHOST,
  RPMFILE_LICENSE,
  RPMTAG,
  isDir,
  isRegular,
  isSymlink,
  parseRpmHeader,
} from '../../../src/owners/rpm/header.js';
import { asOracleRow, byPath, fixture, fixtureText, oracleFiles, oraclePackages } from './oracle.js';

const WH = ['wh-docs', 'wh-links', 'wh-many', 'wh-empty', 'wh-big'];

describe('parseRpmHeader on headers rpm wrote', () => {
  it('reads libuuid (RHEL 8, go-rpmdb test data) as rpm and go-rpmdb do', () => {
    const p = parseRpmHeader(fixture('headers/libuuid.hdr'));
    expect({ ...p, files: undefined }).toEqual({
      name: 'libuuid',
      version: '2.32.1',
      release: '42.el8_8',
      epoch: null,
      arch: 'x86_64',
      size: 35104,
      files: undefined,
    });
    // rpm's own listing: package, path, size, mode_octal, digest, user, group, flags
    const rows = fixtureText('go-rpmdb/libuuid-rpm-files.tsv').trim().split('\n').slice(1);
    expect(p.files.map((f) => [f.path, f.size, f.mode.toString(8), f.flags])).toEqual(
      rows.map((r) => r.split('\t')).map((c) => [c[1], Number(c[2]), c[3], Number(c[7])]),
    );
    expect(p.files.filter((f) => isSymlink(f.mode)).map((f) => f.linkTo)).toEqual([
      '../../../../usr/lib64/libuuid.so.1.3.0',
      'libuuid.so.1.3.0',
    ]);
    expect(p.files.filter((f) => isDir(f.mode)).map((f) => f.path)).toEqual(['/usr/lib/.build-id', '/usr/share/licenses/libuuid']);
    // RHEL 8's rpm summed only regular files into SIZE (rpm 4.18 adds symlink lengths: wh-links)
    expect(p.files.filter((f) => isRegular(f.mode)).reduce((a, f) => a + f.size, 0)).toBe(p.size);
  });

  it.each(WH)('reads %s as `rpm -qa --queryformat` does', (name) => {
    const p = parseRpmHeader(fixture(`headers/${name}.hdr`));
    const want = oraclePackages('expected/packages.tsv').find((r) => r.name === name);
    expect(asOracleRow(p)).toEqual(want);
    expect(byPath(p.files)).toEqual(oracleFiles('expected/files.tsv').get(name) ?? []);
  });

  it('keeps the file flags rpm recorded (doc, license, config, ghost) and the epoch', () => {
    const p = parseRpmHeader(fixture('headers/wh-docs.hdr'));
    const flags = Object.fromEntries(p.files.map((f) => [f.path, f.flags]));
    expect(flags['/usr/share/doc/wh-docs/README']).toBe(RPMFILE_DOC);
    expect(flags['/usr/share/licenses/wh-docs/LICENSE']).toBe(RPMFILE_LICENSE);
    expect(flags['/etc/wh-docs.conf'] & RPMFILE_CONFIG).toBe(RPMFILE_CONFIG);
    expect(flags['/var/log/wh-docs.log']).toBe(RPMFILE_GHOST);
    expect(flags['/usr/bin/wh-docs']).toBe(0);
    expect(p.epoch).toBe(3);
  });

  it('reads dirs, symlinks and their targets', () => {
    const p = parseRpmHeader(fixture('headers/wh-links.hdr'));
    const byName = Object.fromEntries(p.files.map((f) => [f.path, f]));
    expect(isDir(byName['/opt/wh-links/share'].mode)).toBe(true);
    expect(byName['/opt/wh-links/current']).toEqual({ path: '/opt/wh-links/current', size: 8, mode: 0o120777, flags: 0, linkTo: 'bin/tool' });
    expect(byName['/usr/bin/wh-links'].linkTo).toBe('/opt/wh-links/bin/tool');
    expect(isRegular(byName['/opt/wh-links/bin/tool'].mode)).toBe(true);
    expect(byName['/opt/wh-links/bin/tool'].mode & 0o7777).toBe(0o755);
    expect(byName['/opt/wh-links/bin/tool'].linkTo).toBeUndefined();
  });

  it('takes sizes over 4 GiB from LONGSIZE and LONGFILESIZES', () => {
    const p = parseRpmHeader(fixture('headers/wh-big.hdr'));
    expect(p.size).toBe(5_000_000_010);
    expect(p.files.find((f) => f.path === '/opt/wh-big/blob.bin')?.size).toBe(5_000_000_000);
  });

  it('reads OLDFILENAMES when a (very old) header has no BASENAMES', () => {
    const blob = buildHeader([
      [RPMTAG.NAME, 6, 1, str('old')],
      [RPMTAG.VERSION, 6, 1, str('1')],
      [RPMTAG.RELEASE, 6, 1, str('2')],
      [RPMTAG.SIZE, 4, 1, be32(7)],
      [RPMTAG.OLDFILENAMES, 8, 2, str('/bin/a\0/etc/b')],
      [RPMTAG.FILESIZES, 4, 2, [...be32(3), ...be32(4)]],
      [RPMTAG.FILEMODES, 3, 2, [0x81, 0xed, 0x81, 0xa4]],
    ]);
    const p = parseRpmHeader(blob);
    expect(p).toMatchObject({ name: 'old', version: '1', release: '2', arch: '', size: 7 });
    expect(p.files).toEqual([
      { path: '/bin/a', size: 3, mode: 0o100755, flags: 0 },
      { path: '/etc/b', size: 4, mode: 0o100644, flags: 0 },
    ]);
  });
});

describe('parseRpmHeader on damaged input', () => {
  const good = fixture('headers/wh-links.hdr');

  const rejects = (blob: Uint8Array, message: RegExp) => {
    let error: unknown;
    try {
      parseRpmHeader(blob);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RpmFormatError);
    expect((error as RpmFormatError).code).toBe('rpm-header-corrupt');
    expect((error as RpmFormatError).message).toMatch(message);
  };

  it('rejects every truncation of a real header', () => {
    for (let len = 0; len < good.length; len += 7) rejects(good.subarray(0, len), /bytes|preamble/);
  });

  it('rejects absurd tag and data counts before allocating', () => {
    const b = good.slice();
    new DataView(b.buffer).setUint32(0, 0x7fffffff);
    rejects(b, /claims 2147483647 tags/);
    const c = good.slice();
    new DataView(c.buffer).setUint32(4, 0xfffffff0);
    rejects(c, /data bytes/);
  });

  it('rejects an absurd string count, an offset outside the data, a wrong type, a bad dir index', () => {
    rejects(patchEntry(good, RPMTAG.BASENAMES, 12, 0x7fffffff), /claims 2147483647 strings/);
    rejects(patchEntry(good, RPMTAG.FILESIZES, 12, 0x3fffffff), /values past the end/);
    rejects(patchEntry(good, RPMTAG.NAME, 8, 0x7ffffff0), /outside the .*data area/);
    rejects(patchEntry(good, RPMTAG.NAME, 8, -5), /outside the .*data area/);
    rejects(patchEntry(good, RPMTAG.FILEMODES, 4, 4), /type 4, expected 3/);
    rejects(patchEntry(good, RPMTAG.FILEMODES, 12, 2), /FILEMODES has 2 entries for 5 files/);
    const dirIndexes = entryData(good, RPMTAG.DIRINDEXES);
    const d = good.slice();
    new DataView(d.buffer).setUint32(dirIndexes, 99);
    rejects(d, /points at directory 99/);
  });

  it('rejects a string without its terminating NUL at the end of the data', () => {
    const b = good.slice();
    const view = new DataView(b.buffer);
    const dl = view.getUint32(4);
    const dataStart = 8 + view.getUint32(0) * 16;
    b.fill(0x41, dataStart + dl - 16, dataStart + dl); // the region trailer becomes "AAAA…"
    rejects(patchEntry(b, RPMTAG.NAME, 8, dl - 16), /runs past the end/);
  });

  it('never throws anything but RpmFormatError on 3,000 random corruptions', () => {
    let seed = 12345;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    let parsed = 0;
    for (let i = 0; i < 3000; i++) {
      const b = good.slice();
      const hits = 1 + Math.floor(rand() * 4);
      // aim at the index half the time: that is where offsets and counts live
      for (let k = 0; k < hits; k++) {
        const at = rand() < 0.5 ? Math.floor(rand() * Math.min(b.length, 8 + 16 * 60)) : Math.floor(rand() * b.length);
        b[at] = Math.floor(rand() * 256);
      }
      try {
        parseRpmHeader(b);
        parsed++;
      } catch (e) {
        if (!(e instanceof RpmFormatError)) throw e;
      }
    }
    expect(parsed).toBeGreaterThan(0);
    expect(parsed).toBeLessThan(3000);
  });
});

// --- small byte helpers for the hand-made and patched headers above

function str(s: string): number[] {
  return [...new TextEncoder().encode(s + '\0')];
}

function be32(n: number): number[] {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}

/** A header from [tag, type, count, data bytes] entries, data laid out in order and 4-aligned. */
function buildHeader(entries: [number, number, number, number[]][]): Uint8Array {
  const data: number[] = [];
  const index: number[] = [];
  for (const [tag, type, count, bytes] of entries) {
    while (data.length % 4) data.push(0);
    index.push(...be32(tag), ...be32(type), ...be32(data.length), ...be32(count));
    data.push(...bytes);
  }
  return new Uint8Array([...be32(entries.length), ...be32(data.length), ...index, ...data]);
}

function entryIndex(blob: Uint8Array, tag: number): number {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  for (let i = 0; i < view.getUint32(0); i++) if (view.getUint32(8 + i * 16) === tag) return 8 + i * 16;
  throw new Error(`no tag ${tag}`);
}

/** A copy with one field (4 = type, 8 = offset, 12 = count) of a tag's index entry replaced. */
function patchEntry(blob: Uint8Array, tag: number, field: number, value: number): Uint8Array {
  const b = blob.slice();
  new DataView(b.buffer).setInt32(entryIndex(b, tag) + field, value);
  return b;
}

function entryData(blob: Uint8Array, tag: number): number {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  return 8 + view.getUint32(0) * 16 + view.getInt32(entryIndex(blob, tag) + 8);
}
