/**
 * `stripDebug` / `debugSectionBytes` against binutils: the committed files with debug information
 * (fixtures/elf/strip, ELF32/ELF64, little and big endian) are compared with the `readelf -SW`
 * and `objcopy --strip-debug` output recorded next to them; where binutils are on the machine,
 * copies of this machine's own libraries and executables are stripped and checked live; stripped
 * programs are run, and a stripped library is loaded through LD_LIBRARY_PATH.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAtBytes } from '../../src/elf/read-dynamic.js';
import { StripStreamCapture, debugSectionBytes, isDebugSectionName, stripDebug, stripDebugPieces, stripDebugReport, type StripPiece } from '../../src/elf/strip.js';
import { fixtureBytes, fixturePath } from './fixtures.js';

const STRIPPABLE = [
  'strip/x86_64/hello-g',
  'strip/x86_64/hello-gz',
  'strip/x86_64/hello-g-debuglink',
  'strip/x86_64/libgreet.so.1',
  'strip/x86_64/static-g',
  'strip/i386/static32-g',
  'strip/i386/libbar32-g.so.2',
  'strip/mips/libmtop-g.so.1',
  'strip/ppc64/app-g',
] as const;

/** `n` copies of `orig`, each with four bytes set at random (seeded). */
function* mutants(orig: Uint8Array, n: number, seed: number): Generator<Uint8Array> {
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let k = 0; k < n; k++) {
    const b = new Uint8Array(orig);
    for (let j = 0; j < 4; j++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
    yield b;
  }
}

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const BINUTILS = has('readelf') && has('objcopy');
const X86_64_LINUX = process.platform === 'linux' && process.arch === 'x64';

let tmp: string | null = null;
function scratch(): string {
  if (tmp === null) tmp = mkdtempSync(join(tmpdir(), 'whittle-strip-'));
  return tmp;
}
afterAll(() => {
  if (tmp !== null) rmSync(tmp, { recursive: true, force: true });
});

// ---------------------------------------------------------------- independent little ELF readers

interface Sec {
  name: string;
  type: number;
  flags: number;
  offset: number;
  size: number;
}

/** Section headers of a file (a reader independent of src/elf/strip.ts). */
function sections(b: Uint8Array): Sec[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const is64 = b[4] === 2;
  const le = b[5] === 1;
  const num = (at: number, w: 2 | 4 | 8) => (w === 2 ? dv.getUint16(at, le) : w === 4 ? dv.getUint32(at, le) : Number(dv.getBigUint64(at, le)));
  const shoff = is64 ? num(40, 8) : num(32, 4);
  const ent = is64 ? 64 : 40;
  const count = num(is64 ? 60 : 48, 2);
  const strndx = num(is64 ? 62 : 50, 2);
  const raw = Array.from({ length: count }, (_, i) => {
    const at = shoff + i * ent;
    return is64
      ? { nameOff: num(at, 4), type: num(at + 4, 4), flags: num(at + 8, 8), offset: num(at + 24, 8), size: num(at + 32, 8) }
      : { nameOff: num(at, 4), type: num(at + 4, 4), flags: num(at + 8, 4), offset: num(at + 16, 4), size: num(at + 20, 4) };
  });
  const str = raw[strndx]!;
  const name = (off: number) => {
    const s = str.offset + off;
    return Buffer.from(b.subarray(s, b.indexOf(0, s))).toString('latin1');
  };
  return raw.map((r) => ({ name: name(r.nameOff), type: r.type, flags: r.flags, offset: r.offset, size: r.size }));
}

/** File ranges of the segments (program headers). */
function segments(b: Uint8Array): { offset: number; size: number }[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const is64 = b[4] === 2;
  const le = b[5] === 1;
  const phoff = is64 ? Number(dv.getBigUint64(32, le)) : dv.getUint32(28, le);
  const ent = dv.getUint16(is64 ? 54 : 42, le);
  const n = dv.getUint16(is64 ? 56 : 44, le);
  return Array.from({ length: n }, (_, i) => {
    const at = phoff + i * ent;
    return is64 ? { offset: Number(dv.getBigUint64(at + 8, le)), size: Number(dv.getBigUint64(at + 32, le)) } : { offset: dv.getUint32(at + 4, le), size: dv.getUint32(at + 16, le) };
  });
}

/** Symbols of a symbol table: every field, the section index separately. */
function symbols(b: Uint8Array, table: string): { raw: string; shndx: number }[] {
  const s = sections(b).find((x) => x.name === table);
  if (!s) return [];
  const is64 = b[4] === 2;
  const le = b[5] === 1;
  const ent = is64 ? 24 : 16;
  const at = is64 ? 6 : 14;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: { raw: string; shndx: number }[] = [];
  for (let k = s.offset; k + ent <= s.offset + s.size; k += ent) {
    const e = Buffer.from(b.subarray(k, k + ent));
    const shndx = dv.getUint16(k + at, le);
    e.fill(0, at, at + 2);
    out.push({ raw: e.toString('hex'), shndx });
  }
  return out;
}

/** `readelf -SW` text → section name, type and size, index order (section 0 left out). */
function readelfSections(text: string): { name: string; type: string; offset: number; size: number; alloc: boolean }[] {
  const out: { name: string; type: string; offset: number; size: number; alloc: boolean }[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*\[\s*(\d+)\]\s+(.*)$/.exec(line);
    if (!m || m[1] === '0' || m[2]!.startsWith('Name')) continue;
    const t = m[2]!.trim().split(/\s+/);
    out.push({ name: t[0]!, type: t[1]!, offset: parseInt(t[3]!, 16), size: parseInt(t[4]!, 16), alloc: /^[A-Za-z]+$/.test(t[6] ?? '') && t[6]!.includes('A') });
  }
  return out;
}

function objcopyOracle(name: string): { size: number; sections: { name: string; type: string; size: number }[] } {
  const text = readFileSync(fixturePath(`${name}.objcopy.txt`), 'utf8');
  return { size: Number(/^size (\d+)/.exec(text)![1]), sections: readelfSections(text) };
}

const TABLES = new Set(['.symtab', '.strtab', '.shstrtab']);

// ---------------------------------------------------------------- the committed fixtures

describe('committed files with debug information, against readelf and objcopy --strip-debug', () => {
  for (const name of STRIPPABLE) {
    it(name, () => {
      const bytes = fixtureBytes(name);
      const before = readelfSections(readFileSync(fixturePath(`${name}.sections.txt`), 'utf8'));
      const debug = before.filter((s) => /^\.(z?debug|stab|line)/.test(s.name));
      expect(debug.length).toBeGreaterThan(3);
      const info = debugSectionBytes(readAtBytes(bytes), bytes.length)!;
      expect(info.problem).toBeNull();
      expect(info.debugSections).toBe(debug.length);
      expect(info.debugBytes).toBe(debug.reduce((s, x) => s + x.size, 0));

      const out = stripDebug(bytes);
      expect(out.length).toBe(info.strippedSize);
      expect(out.length).toBeLessThan(bytes.length);
      // the same sections as objcopy leaves, in the same order, with the same types
      const oracle = objcopyOracle(name);
      const got = sections(out).slice(1);
      expect(got.map((s) => s.name)).toEqual(oracle.sections.map((s) => s.name));
      expect(got.some((s) => isDebugSectionName(s.name))).toBe(false);
      // every section but the symbol and name tables (which objcopy rewrites) has its size
      for (const s of oracle.sections) if (!TABLES.has(s.name)) expect(got.find((g) => g.name === s.name)!.size, s.name).toBe(s.size);
      // and the size difference is what objcopy's rewritten tables save, plus alignment
      const tables = (list: { name: string; size: number }[]) => list.filter((s) => TABLES.has(s.name)).reduce((a, s) => a + s.size, 0);
      const diff = out.length - oracle.size;
      expect(diff).toBeGreaterThanOrEqual(0);
      expect(diff).toBeLessThanOrEqual(tables(got) - tables(oracle.sections) + 16);
      // what the loader maps is byte for byte the original, but for the ELF header's section
      // header fields (e_shoff, e_shnum, e_shstrndx), which the first PT_LOAD covers too
      const ehdr = bytes[4] === 2 ? { size: 64, shoff: [40, 48], sh: [60, 64] } : { size: 52, shoff: [32, 36], sh: [48, 52] };
      const masked = (b: Uint8Array) => {
        const c = new Uint8Array(b);
        c.fill(0, ehdr.shoff[0], ehdr.shoff[1]);
        c.fill(0, ehdr.sh[0], ehdr.sh[1]);
        return c;
      };
      const [mo, mb] = [masked(out), masked(bytes)];
      for (const seg of segments(bytes)) expect(Buffer.compare(mo.subarray(seg.offset, seg.offset + seg.size), mb.subarray(seg.offset, seg.offset + seg.size))).toBe(0);
      // kept sections keep their contents (the name table is rebuilt; symbol tables renumbered)
      const orig = sections(bytes);
      for (const s of got) {
        if (s.name === '.shstrtab' || s.type === 8 || s.type === 2 || s.type === 11) continue;
        const o = orig.find((x) => x.name === s.name)!;
        expect(Buffer.compare(out.subarray(s.offset, s.offset + s.size), bytes.subarray(o.offset, o.offset + o.size)), s.name).toBe(0);
      }
      // every symbol still names the section it named (or is absolute, if that was a debug section)
      for (const t of ['.symtab', '.dynsym']) {
        const a = symbols(bytes, t);
        const b = symbols(out, t);
        expect(b.length).toBe(a.length);
        a.forEach((x, k) => {
          const y = b[k]!;
          expect({ ...y, shndx: 0 }).toEqual({ ...x, shndx: 0 });
          if (x.shndx === 0 || x.shndx >= 0xff00) expect(y.shndx).toBe(x.shndx);
          else if (isDebugSectionName(orig[x.shndx]!.name)) expect(y.shndx).toBe(0xfff1);
          else expect(got[y.shndx - 1]!.name).toBe(orig[x.shndx]!.name);
        });
      }
      // stripping again finds nothing
      expect(debugSectionBytes(readAtBytes(out), out.length)).toEqual({ debugBytes: 0, debugSections: 0, strippedSize: out.length, problem: null });
    });
  }

  it('keeps .gnu_debuglink (the separate debug file it names is not touched)', () => {
    const out = stripDebug(fixtureBytes('strip/x86_64/hello-g-debuglink'));
    const link = sections(out).find((s) => s.name === '.gnu_debuglink')!;
    expect(Buffer.from(out.subarray(link.offset, link.offset + 15)).toString('latin1')).toBe('hello-g.debug\0\0');
  });

  it('leaves a relocatable object alone and says why', () => {
    const bytes = fixtureBytes('strip/x86_64/greet-g.o');
    const r = stripDebugReport(bytes);
    expect(r.bytes).toBe(bytes);
    expect(r.info!.problem).toMatch(/relocatable object/);
    expect(r.info!.strippedSize).toBe(bytes.length);
  });

  it('leaves a file without debug information unchanged, and non-ELF bytes are not ELF', () => {
    const app = fixtureBytes('strip/x86_64/greet-app');
    expect(stripDebug(app)).toBe(app);
    expect(debugSectionBytes(readAtBytes(app), app.length)).toEqual({ debugBytes: 0, debugSections: 0, strippedSize: app.length, problem: null });
    const text = new TextEncoder().encode('#!/bin/sh\necho this is a script, not ELF at all\n');
    expect(debugSectionBytes(readAtBytes(text), text.length)).toBeNull();
    expect(stripDebugReport(text)).toEqual({ bytes: text, info: null });
  });
});

// ---------------------------------------------------------------- refusals

/** hello-g with one section header field changed. */
function patched(field: 'offset' | 'flags', section: string, value: (s: Sec, all: Sec[]) => number): Uint8Array {
  const b = new Uint8Array(fixtureBytes('strip/x86_64/hello-g'));
  const dv = new DataView(b.buffer);
  const shoff = Number(dv.getBigUint64(40, true));
  const all = sections(b);
  const i = all.findIndex((s) => s.name === section);
  dv.setBigUint64(shoff + i * 64 + (field === 'offset' ? 24 : 8), BigInt(value(all[i]!, all)), true);
  return b;
}

describe('refuses, leaving the file unchanged, when stripping is not safe', () => {
  it('a debug section inside a PT_LOAD segment', () => {
    const b = patched('offset', '.debug_str', (_, all) => all.find((s) => s.name === '.text')!.offset);
    const r = stripDebugReport(b);
    expect(r.info!.problem).toMatch(/debug section \.debug_str lies inside a PT_LOAD segment/);
    expect(r.bytes).toBe(b);
    expect(r.info!.debugBytes).toBeGreaterThan(0);
    expect(r.info!.strippedSize).toBe(b.length);
  });

  it('an allocated debug section', () => {
    const b = patched('flags', '.debug_info', (s) => s.flags | 2);
    expect(stripDebugReport(b).info!.problem).toMatch(/\.debug_info is allocated/);
  });

  it('data appended after the last section (PyInstaller, AppImage payloads)', () => {
    const orig = fixtureBytes('strip/x86_64/hello-g');
    const b = new Uint8Array(orig.length + 100_000);
    b.set(orig);
    b.fill(0x5a, orig.length);
    const r = stripDebugReport(b);
    expect(r.info!.problem).toMatch(/100000 bytes after the last section/);
    expect(r.bytes).toBe(b);
  });

  it('a small appended payload too; a few zero bytes of padding are fine', () => {
    const orig = fixtureBytes('strip/x86_64/hello-g');
    const payload = new Uint8Array(orig.length + 100);
    payload.set(orig);
    payload.fill(7, orig.length);
    expect(stripDebugReport(payload).info!.problem).toBe('100 bytes after the last section (appended data) would be lost');
    const padded = new Uint8Array(orig.length + 8);
    padded.set(orig);
    const r = stripDebugReport(padded);
    expect(r.info!.problem).toBeNull();
    expect(Buffer.compare(Buffer.from(r.bytes), Buffer.from(stripDebug(orig)))).toBe(0);
  });

  it('truncated files and flipped bytes: never throws, and whatever it strips re-reads cleanly', () => {
    const orig = fixtureBytes('strip/x86_64/libgreet.so.1');
    for (const n of [0, 10, 52, 63, 64, 500, 4000, orig.length - 1]) {
      const b = orig.slice(0, n);
      const r = stripDebugReport(b);
      expect(r.bytes).toBe(b);
    }
    let stripped = 0;
    for (const b of mutants(orig, 400, 12345)) {
      const r = stripDebugReport(b);
      if (r.bytes === b) continue;
      stripped++;
      expect(r.bytes.length).toBe(r.info!.strippedSize);
      const again = debugSectionBytes(readAtBytes(r.bytes), r.bytes.length);
      expect(again?.debugSections ?? 0).toBe(0);
    }
    expect(stripped).toBeGreaterThan(100);
  });
});

// ---------------------------------------------------------------- pieces

/** The file the pieces describe, and how many bytes the pieces held themselves. */
function assemble(orig: Uint8Array, pieces: StripPiece[]): { bytes: Uint8Array; held: number } {
  const parts: Uint8Array[] = [];
  let held = 0;
  for (const p of pieces) {
    if (p instanceof Uint8Array) {
      parts.push(p);
      held += p.length;
    } else parts.push(orig.subarray(p.from, p.to));
  }
  return { bytes: new Uint8Array(Buffer.concat(parts)), held };
}

describe('stripDebugPieces (the writer: copy what stays in place, hold only what changes)', () => {
  it('gives stripDebug\'s bytes for every committed file, holding only the tail and the headers', () => {
    for (const name of STRIPPABLE) {
      const orig = fixtureBytes(name);
      const r = stripDebugPieces(readAtBytes(orig), orig.length)!;
      expect(r, name).not.toBeNull();
      const { bytes, held } = assemble(orig, r.pieces);
      expect(Buffer.compare(bytes, stripDebug(orig)), name).toBe(0);
      expect(r.info.strippedSize).toBe(bytes.length);
      expect(held, name).toBeLessThan(bytes.length);
    }
  });
  it('gives the same bytes when flipped bytes make stripDebug do odd things, and null when it leaves the file', () => {
    const orig = fixtureBytes('strip/x86_64/libgreet.so.1');
    let compared = 0;
    for (const b of mutants(orig, 400, 777)) {
      const whole = stripDebugReport(b);
      const r = stripDebugPieces(readAtBytes(b), b.length);
      if (whole.bytes === b) {
        expect(r).toBeNull();
        continue;
      }
      expect(Buffer.compare(assemble(b, r!.pieces).bytes, whole.bytes)).toBe(0);
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
    const plain = fixtureBytes('strip/x86_64/greet-app');
    expect(stripDebugPieces(readAtBytes(plain), plain.length)).toBeNull();
    // a reader that fails at any point after the plan: no pieces, no throw (the writer copies the file)
    let total = 0;
    expect(stripDebugPieces((off, len) => (total++, readAtBytes(orig)(off, len)), orig.length)).not.toBeNull();
    for (let k = 1; k <= total; k++) {
      let reads = 0;
      expect(stripDebugPieces((off, len) => (++reads >= k ? null : readAtBytes(orig)(off, len)), orig.length), `read ${k} fails`).toBeNull();
    }
  });
});

// ---------------------------------------------------------------- streaming

function streamed(bytes: Uint8Array, chunk: number, tailBytes?: number) {
  const c = new StripStreamCapture(bytes.length, { tailBytes, namesWindow: tailBytes });
  for (let at = 0; at < bytes.length && c.push(bytes.slice(at, at + chunk)) !== 'done'; at += chunk);
  return c.result();
}

describe('StripStreamCapture (the analysis, while a layer streams)', () => {
  it('gives what random access gives, whatever the chunk size', () => {
    for (const name of [...STRIPPABLE, 'strip/x86_64/greet-g.o', 'strip/x86_64/greet-app']) {
      const bytes = fixtureBytes(name);
      const want = debugSectionBytes(readAtBytes(bytes), bytes.length);
      for (const chunk of [1, 7, 64, 100, 4096, 1 << 20]) expect(streamed(bytes, chunk), `${name} / ${chunk}`).toEqual(want);
    }
  });

  it('says so, rather than guessing, when the names lie outside its window', () => {
    const bytes = fixtureBytes('strip/x86_64/hello-g');
    const r = streamed(bytes, 512, 64)!;
    expect(r.problem).toMatch(/outside the bytes kept while streaming/);
    expect(r.strippedSize).toBe(bytes.length);
  });

  it('stops at once on a file that is not ELF and holds a few bytes', () => {
    const c = new StripStreamCapture(10_000);
    expect(c.push(new Uint8Array(4096).fill(0x41))).toBe('done');
    expect(c.result()).toBeNull();
    expect(c.retainedBytes).toBeLessThanOrEqual(64);
  });
});

// ---------------------------------------------------------------- live binutils, real programs

/** This machine's ELF files with debug information worth stripping (copies are used). */
function systemFilesWithDebug(): string[] {
  const candidates = [
    process.execPath,
    '/usr/local/bin/docker',
    '/usr/lib/x86_64-linux-gnu/libsframe.so.0.0.0',
    '/usr/lib/x86_64-linux-gnu/libubsan.so.1.0.0',
    '/usr/lib/x86_64-linux-gnu/liblsan.so.0.0.0',
    '/usr/lib/aarch64-linux-gnu/libubsan.so.1.0.0',
  ];
  return candidates.filter((p) => {
    if (!existsSync(p)) return false;
    const b = new Uint8Array(readFileSync(p));
    const info = debugSectionBytes(readAtBytes(b), b.length);
    return info !== null && info.problem === null && info.debugBytes > 0;
  });
}

const run = (file: string, args: string[], env: NodeJS.ProcessEnv = {}) => spawnSync(file, args, { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });

/** Writes a stripped copy of `src` next to the scratch files and returns its path. */
function strippedCopy(src: string, dir: string, name = src.split('/').pop()!): string {
  mkdirSync(dir, { recursive: true });
  const out = join(dir, name);
  writeFileSync(out, stripDebug(new Uint8Array(readFileSync(src))));
  chmodSync(out, 0o755);
  return out;
}

describe.skipIf(!BINUTILS)('live: readelf reads what stripDebug writes, objcopy agrees on the sizes', () => {
  it('committed files: readelf -S without a complaint, readelf -d unchanged', () => {
    for (const name of STRIPPABLE) {
      if (name.includes('mips') || name.includes('ppc64')) continue; // the host readelf may not know them
      const out = strippedCopy(fixturePath(name), join(scratch(), 'fixtures'), name.replaceAll('/', '_'));
      const s = spawnSync('readelf', ['-SW', out], { encoding: 'utf8', env: { LC_ALL: 'C' } });
      expect(s.status, name).toBe(0);
      expect(s.stderr, name).toBe('');
      const d = (f: string) => execFileSync('readelf', ['-dW', f], { encoding: 'utf8', env: { LC_ALL: 'C' } });
      expect(d(out)).toBe(d(fixturePath(name)));
    }
  });

  it("this machine's libraries and executables (copies), against objcopy --strip-debug", () => {
    const files = systemFilesWithDebug();
    if (files.length === 0) return;
    for (const src of files) {
      const dir = join(scratch(), 'system');
      const ours = strippedCopy(src, dir, `ours-${src.split('/').pop()}`);
      // the writer's way (pieces of the original plus what changes) gives the same bytes
      const original = new Uint8Array(readFileSync(src));
      const r = stripDebugPieces(readAtBytes(original), original.length)!;
      const { bytes, held } = assemble(original, r.pieces);
      expect(Buffer.compare(bytes, readFileSync(ours)), src).toBe(0);
      expect(held, src).toBeLessThan(bytes.length / 2);
      const theirs = join(dir, `objcopy-${src.split('/').pop()}`);
      execFileSync('objcopy', ['--strip-debug', src, theirs]);
      const s = spawnSync('readelf', ['-SW', ours], { encoding: 'utf8', env: { LC_ALL: 'C' } });
      expect(s.stderr, src).toBe('');
      // the same sections (objcopy may write its regenerated tables in another order)
      const names = (text: string) => readelfSections(text).map((x) => x.name).sort();
      expect(names(s.stdout)).toEqual(names(execFileSync('readelf', ['-SW', theirs], { encoding: 'utf8', env: { LC_ALL: 'C' } })));
      const d = (f: string) => execFileSync('readelf', ['-dW', f], { encoding: 'utf8', env: { LC_ALL: 'C' }, maxBuffer: 1 << 26 });
      expect(d(ours)).toBe(d(src));
      // objcopy also rewrites .symtab/.strtab (dropping local debugging symbols) and sometimes
      // packs the loaded segments closer (node 20: one page of padding; the node 22 binary from
      // npm: 1.15 MB, around a 2 MiB-aligned segment). We never move what is loaded: every
      // allocated section stays at its offset, and the difference is those two things.
      const sections = (f: string) => readelfSections(execFileSync('readelf', ['-SW', f], { encoding: 'utf8', env: { LC_ALL: 'C' } }));
      const [orig, mine, objcopy] = [sections(src), sections(ours), sections(theirs)];
      for (const x of orig.filter((y) => y.alloc && y.type !== 'NOBITS')) expect(mine.find((y) => y.name === x.name)?.offset, `${src} ${x.name}`).toBe(x.offset);
      const tables = (list: typeof orig) => list.filter((x) => TABLES.has(x.name)).reduce((n, x) => n + x.size, 0);
      const firstUnloaded = (list: typeof orig) => Math.min(...list.filter((x) => !x.alloc && !TABLES.has(x.name) && x.type !== 'NOBITS' && x.size > 0).map((x) => x.offset));
      const packed = firstUnloaded(mine) - firstUnloaded(objcopy);
      expect(packed, src).toBeGreaterThanOrEqual(0);
      const diff = readFileSync(ours).length - readFileSync(theirs).length;
      expect(diff, src).toBeGreaterThanOrEqual(0);
      expect(diff, src).toBeLessThanOrEqual(tables(mine) - tables(objcopy) + packed + 64);
    }
  }, 120_000);
});

describe.skipIf(!X86_64_LINUX)('stripped programs still run', () => {
  it('a gcc -g program: same output, same exit code', () => {
    const src = fixturePath('strip/x86_64/hello-g');
    for (const f of [src, fixturePath('strip/x86_64/hello-gz')]) {
      const out = strippedCopy(f, join(scratch(), 'run'));
      const a = run(f, ['whittle', 'x']);
      const b = run(out, ['whittle', 'x']);
      expect(a.stdout).toBe('hello from whittle with 2 argument(s)\n');
      expect({ status: b.status, stdout: b.stdout }).toEqual({ status: a.status, stdout: a.stdout });
      expect(b.status).toBe(7);
      expect(readFileSync(out).length).toBeLessThan(readFileSync(f).length);
    }
  });

  it('static executables, ELF64 and ELF32', () => {
    for (const [name, code] of [['strip/x86_64/static-g', 5], ['strip/i386/static32-g', 7]] as const) {
      const out = strippedCopy(fixturePath(name), join(scratch(), 'run'));
      const a = run(fixturePath(name), []);
      if (a.error) continue; // no 32-bit support in this kernel
      expect(a.status).toBe(code);
      expect(run(out, []).status).toBe(code);
    }
  });

  it('a stripped shared library loaded through LD_LIBRARY_PATH', () => {
    const app = fixturePath('strip/x86_64/greet-app');
    const origDir = join(scratch(), 'lib-orig');
    mkdirSync(origDir, { recursive: true });
    copyFileSync(fixturePath('strip/x86_64/libgreet.so.1'), join(origDir, 'libgreet.so.1'));
    const libDir = join(scratch(), 'lib-stripped');
    const lib = strippedCopy(fixturePath('strip/x86_64/libgreet.so.1'), libDir);
    expect(sections(new Uint8Array(readFileSync(lib))).some((s) => s.name.startsWith('.debug'))).toBe(false);
    const want = 'greetings from libgreet\n'.repeat(4);
    expect(run(app, [], { LD_LIBRARY_PATH: origDir }).stdout).toBe(want);
    const r = run(app, [], { LD_LIBRARY_PATH: libDir });
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: want });
    // and without it the loader does not find the library at all: the test means what it says
    expect(run(app, []).status).not.toBe(0);
  });

  it("this machine's node (and docker, when present): stripped copies run", () => {
    const nodeInfo = debugSectionBytes(readAtBytes(new Uint8Array(readFileSync(process.execPath))), readFileSync(process.execPath).length);
    if (nodeInfo && nodeInfo.debugBytes > 0 && nodeInfo.problem === null) {
      const node = strippedCopy(process.execPath, join(scratch(), 'node'));
      const r = run(node, ['-e', 'console.log(JSON.stringify({ ok: 6 * 7, v: process.version }))']);
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toEqual({ ok: 42, v: process.version });
    }
    if (existsSync('/usr/local/bin/docker')) {
      const docker = strippedCopy('/usr/local/bin/docker', join(scratch(), 'docker'));
      expect(run(docker, ['--version']).stdout).toBe(run('/usr/local/bin/docker', ['--version']).stdout);
    }
  }, 60_000);

  it('/usr/bin tools, copied and put through stripDebug, still run', () => {
    for (const tool of ['/usr/bin/env', '/usr/bin/ls', '/usr/bin/sort', '/usr/bin/readelf']) {
      if (!existsSync(tool)) continue;
      const out = strippedCopy(tool, join(scratch(), 'tools'));
      const a = run(tool, ['--version']);
      expect(run(out, ['--version']).stdout.split('\n')[0]).toBe(a.stdout.split('\n')[0]);
    }
  });
});
