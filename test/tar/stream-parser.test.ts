import { describe, expect, it } from 'vitest';
import { buildLayerTar } from '../../fixtures/images/layer.js';
import type { TarEntry } from '../../src/tar/entry.js';
import { decodeHeader, parseNumeric, parsePax } from '../../src/tar/header.js';
import { TarFormatError, TarStreamParser } from '../../src/tar/stream-parser.js';

async function parse(tar: Uint8Array, chunk = tar.length, capture = false) {
  const entries: (TarEntry & { data?: string })[] = [];
  const p = new TarStreamParser({
    onEntry(e) {
      const rec: TarEntry & { data?: string } = { ...e };
      entries.push(rec);
      if (!capture) return null;
      const parts: Buffer[] = [];
      return {
        write: (c) => void parts.push(Buffer.from(c)),
        end: () => void (rec.data = Buffer.concat(parts).toString('latin1')),
      };
    },
  });
  for (let i = 0; i < tar.length; i += chunk) await p.push(tar.subarray(i, Math.min(tar.length, i + chunk)));
  p.finish();
  return { entries, parser: p };
}

const longName = `${'d'.repeat(120)}/${'n'.repeat(150)}.txt`;
const sample = () =>
  buildLayerTar([
    { type: 'dir', path: 'etc' },
    { type: 'file', path: 'etc/hosts', content: 'localhost\n' },
    { type: 'file', path: longName, content: 'x'.repeat(1000) },
    { type: 'symlink', path: 'etc/link', target: `/${'t'.repeat(200)}` },
    { type: 'hardlink', path: 'etc/hosts2', target: 'etc/hosts' },
  ]);

describe('TarStreamParser', () => {
  for (const chunk of [1, 7, 321, 512, 4096, 1 << 20]) {
    it(`yields the same entries and data for ${chunk}-byte chunks`, async () => {
      const { entries } = await parse(sample(), chunk, true);
      expect(entries.map((e) => [e.name, e.type, e.size, e.linkname, e.data ?? ''])).toEqual([
        ['etc/', 'dir', 0, '', ''],
        ['etc/hosts', 'file', 10, '', 'localhost\n'],
        [longName, 'file', 1000, '', 'x'.repeat(1000)],
        ['etc/link', 'symlink', 0, `/${'t'.repeat(200)}`, ''],
        ['etc/hosts2', 'hardlink', 0, 'etc/hosts', ''],
      ]);
    });
  }

  it('reads GNU long names and long link targets', async () => {
    const tar = buildLayerTar([{ type: 'file', path: longName, content: 'abc' }, { type: 'symlink', path: 's', target: `/${'q'.repeat(300)}` }], { longNames: 'gnu' });
    const { entries } = await parse(tar, 100);
    expect(entries.map((e) => [e.name, e.linkname])).toEqual([[longName, ''], ['s', `/${'q'.repeat(300)}`]]);
  });

  it('records header and data offsets of every entry', async () => {
    const tar = sample();
    const { entries } = await parse(tar);
    const hosts = entries[1]!;
    expect(hosts.dataOffset - hosts.headerOffset).toBe(512);
    expect(Buffer.from(tar.subarray(hosts.dataOffset, hosts.dataOffset + 10)).toString()).toBe('localhost\n');
    // The long name's PAX header comes first: its headerOffset points at the PAX header block.
    const long = entries[2]!;
    expect(long.dataOffset - long.headerOffset).toBeGreaterThan(512);
  });

  it('fails on a truncated archive with the offset, and stops at the end marker', async () => {
    const tar = sample();
    await expect(parse(tar.subarray(0, 1030))).rejects.toThrow(/unexpected end of data inside the data of an entry/);
    await expect(parse(tar.subarray(0, 700))).rejects.toBeInstanceOf(TarFormatError);
    const withGarbage = Buffer.concat([tar, Buffer.from('garbage after the end marker')]);
    const { parser } = await parse(withGarbage);
    expect(parser.sawEndMarker).toBe(true);
    expect(parser.trailingBytes).toBeGreaterThan(0);
  });

  it('rejects a block that is not a tar header, naming the likely format', async () => {
    const gz = Buffer.alloc(1024);
    gz[0] = 0x1f;
    gz[1] = 0x8b;
    await expect(parse(gz)).rejects.toThrow(/checksum.*gzip data\?/);
  });
});

describe('tar header fields', () => {
  it('parses octal and GNU base-256 numbers', () => {
    expect(parseNumeric(Buffer.from('0000644 \0'), 0, 9)).toBe(0o644);
    const big = Buffer.alloc(12);
    big[0] = 0x80;
    big.writeUIntBE(2 ** 40, 6, 6); // a 1 TiB size
    expect(parseNumeric(big, 0, 12)).toBe(2 ** 40);
  });
  it('parses PAX records and refuses absurd lengths', () => {
    const rec = (k: string, v: string) => {
      const body = ` ${k}=${v}\n`;
      let len = body.length + 1;
      while (String(len).length + body.length !== len) len++;
      return `${len}${body}`;
    };
    const m = parsePax(Buffer.from(rec('path', 'a/b') + rec('size', '12345678901')));
    expect(m.get('path')).toBe('a/b');
    expect(m.get('size')).toBe('12345678901');
    expect(() => parsePax(Buffer.from('999999 path=x\n'))).toThrow(/exceeds|malformed/);
  });
  it('returns null for a zero block and throws on a bad checksum', () => {
    expect(decodeHeader(Buffer.alloc(512), 0)).toBeNull();
    const h = Buffer.from(sample().subarray(0, 512));
    h[0] ^= 1;
    expect(() => decodeHeader(h, 0)).toThrow(/checksum/);
  });
});
