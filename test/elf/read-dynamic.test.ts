import { closeSync, existsSync, openSync, readFileSync, readSync, fstatSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ELF_LIMITS, readAtBytes, readElfDynamic, type ElfInfo, type ReadAt } from '../../src/elf/read-dynamic.js';
import { ELF_FIXTURES, fixtureBytes, fixturePath, oracleText, systemFiles } from './fixtures.js';
import { comparable, expectedFrom, liveReadelf, parseReadelf } from './readelf-oracle.js';

function readFixture(name: string): ElfInfo {
  const bytes = fixtureBytes(name);
  const info = readElfDynamic(readAtBytes(bytes), bytes.length);
  expect(info, name).not.toBeNull();
  return info!;
}

/** Random access on a real file through a file descriptor, as a seekable tar reader would. */
function withFile<T>(path: string, f: (read: ReadAt, size: number) => T): T {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    return f((offset, length) => {
      const b = Buffer.alloc(length);
      const n = readSync(fd, b, 0, length, offset);
      return new Uint8Array(b.buffer, b.byteOffset, n);
    }, size);
  } finally {
    closeSync(fd);
  }
}

describe('readElfDynamic on committed fixtures against the committed readelf oracle', () => {
  for (const name of ELF_FIXTURES) {
    it(`matches readelf for ${name}`, () => {
      const info = readFixture(name);
      const facts = parseReadelf(oracleText(name));
      expect(comparable(info)).toEqual(expectedFrom(facts, info.machine));
      expect(info.static).toBe(!facts.hasDynamic || (facts.flags1.includes('PIE') && facts.interpreter === null && facts.needed.length === 0));
      expect(info.nodeflib).toBe(facts.flags1.includes('NODEFLIB'));
      expect(info.incomplete).toBe(false);
      expect(info.problems).toEqual([]);
    });
  }

  it('reads DT_RUNPATH with $ORIGIN and leaves DT_RPATH empty (--enable-new-dtags)', () => {
    const info = readFixture('x86_64/app-runpath');
    expect(info).toMatchObject({
      class: 64,
      endian: 'le',
      machine: 62,
      type: 'dyn',
      interpreter: '/lib64/ld-linux-x86-64.so.2',
      needed: ['libfoo.so.1', 'libc.so.6'],
      runpath: ['$ORIGIN/../lib', '/opt/whittle/lib'],
      rpath: [],
      static: false,
      nodeflib: false,
    });
  });

  it('reads DT_RPATH, ${ORIGIN}, $LIB and DF_1_NODEFLIB', () => {
    const info = readFixture('x86_64/app-rpath');
    expect(info.rpath).toEqual(['${ORIGIN}/lib', '/opt/$LIB/extra']);
    expect(info.runpath).toEqual([]);
    expect(info.nodeflib).toBe(true);
  });

  it('follows patchelf output where .dynstr and PT_INTERP come after .dynamic', () => {
    const info = readFixture('x86_64/app-patchelf');
    expect(info.interpreter).toBe('/opt/whittle/lib64/ld-linux-x86-64.so.2');
    expect(info.needed).toEqual(['libextra.so.3', 'libfoo.so.1', 'libc.so.6']);
    expect(info.runpath).toEqual(['$ORIGIN/../lib/a-rather-long-directory-name-so-patchelf-must-grow-dynstr']);
  });

  it('calls static executables, static-pie and object files static', () => {
    expect(readFixture('x86_64/static')).toMatchObject({ type: 'exec', static: true, interpreter: null, needed: [] });
    expect(readFixture('x86_64/static-pie')).toMatchObject({ type: 'dyn', static: true, interpreter: null, needed: [] });
    expect(readFixture('x86_64/foo.o')).toMatchObject({ type: 'rel', static: true, needed: [] });
    // A shared library with PT_DYNAMIC is not static even without an interpreter.
    expect(readFixture('x86_64/libfoo.so.1')).toMatchObject({ type: 'dyn', static: false, interpreter: null, soname: 'libfoo.so.1' });
  });

  it('reads ELF32 little-endian (i386), ELF32 big-endian (MIPS) and ELF64 big-endian (PowerPC64)', () => {
    expect(readFixture('i386/libbar32.so.2')).toMatchObject({ class: 32, endian: 'le', machine: 3, soname: 'libbar32.so.2', needed: ['libbase32.so.1'], runpath: ['/opt/i386/lib'] });
    expect(readFixture('mips/libmtop.so.1')).toMatchObject({ class: 32, endian: 'be', machine: 8, needed: ['libmbase.so.1'], runpath: ['$ORIGIN', '/opt/mips/lib'] });
    expect(readFixture('ppc64/app')).toMatchObject({ class: 64, endian: 'be', machine: 21, type: 'exec', interpreter: '/lib64/ld64.so.1', needed: ['libpbase.so.1'], rpath: ['/opt/ppc64/lib'] });
  });
});

describe('readElfDynamic on this machine\'s binaries against live readelf', () => {
  const readelf = liveReadelf();
  const files = [
    ...systemFiles('/usr/bin', () => true, 60),
    ...systemFiles('/usr/lib/x86_64-linux-gnu', (n) => n.includes('.so'), 250),
    ...systemFiles('/usr/lib64', (n) => n.includes('.so'), 100),
  ];
  const skip = 'missing' in readelf ? readelf.missing : files.length === 0 ? 'no system binaries found' : null;
  it.skipIf(skip !== null)(`agrees with readelf -hldW on ${files.length} system files${skip ? ` (skipped: ${skip})` : ''}`, () => {
    if ('missing' in readelf) return;
    let elf = 0;
    for (const f of files) {
      const info = withFile(f, (read, size) => readElfDynamic(read, size));
      const head = readFileSync(f).subarray(0, 4);
      const isElf = head.length === 4 && head[0] === 0x7f && head.toString('latin1', 1, 4) === 'ELF';
      if (!isElf) {
        expect(info, f).toBeNull();
        continue;
      }
      elf++;
      expect(info, f).not.toBeNull();
      const facts = parseReadelf(readelf.run(f));
      expect(comparable(info!), f).toEqual(expectedFrom(facts, info!.machine));
      expect(info!.incomplete, f).toBe(false);
    }
    expect(elf).toBeGreaterThan(10);
  });

  // Named files with the features that matter; each is checked only where it exists.
  const named = [
    '/bin/ls',
    '/usr/lib/x86_64-linux-gnu/libc.so.6',
    '/usr/lib/x86_64-linux-gnu/libstdc++.so.6',
    '/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1', // DT_RUNPATH $ORIGIN/../lib, 117 MB
    '/usr/bin/java', // DT_RUNPATH or DT_RPATH on Debian's OpenJDK launcher
    '/usr/bin/expr', // DT_RUNPATH on Debian coreutils
  ];
  for (const f of named) {
    const present = existsSync(f);
    const why = 'missing' in readelf ? readelf.missing : !present ? `${f} not on this machine` : null;
    it.skipIf(why !== null)(`agrees with readelf on ${f}${why ? ` (skipped: ${why})` : ''}`, () => {
      if ('missing' in readelf) return;
      const info = withFile(f, (read, size) => readElfDynamic(read, size))!;
      const facts = parseReadelf(readelf.run(f));
      expect(comparable(info)).toEqual(expectedFrom(facts, info.machine));
      expect(info.needed.length + (info.soname ? 1 : 0)).toBeGreaterThan(0);
    });
  }
});

describe('readElfDynamic on garbage', () => {
  it('returns null for non-ELF and too-short input', () => {
    const text = new TextEncoder().encode('#!/bin/sh\necho not an elf file at all, but long enough to have a header\n');
    expect(readElfDynamic(readAtBytes(text), text.length)).toBeNull();
    expect(readElfDynamic(readAtBytes(new Uint8Array(0)), 0)).toBeNull();
    const magicOnly = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
    expect(readElfDynamic(readAtBytes(magicOnly), magicOnly.length)).toBeNull();
    // ELF magic with an invalid class byte
    const badClass = fixtureBytes('x86_64/libfoo.so.1').slice();
    badClass[4] = 7;
    expect(readElfDynamic(readAtBytes(badClass), badClass.length)).toBeNull();
  });

  it('returns null when the read callback throws or yields nothing', () => {
    expect(readElfDynamic(() => { throw new Error('disk on fire'); }, 4096)).toBeNull();
    expect(readElfDynamic(() => null, 4096)).toBeNull();
  });

  it('flags missing bytes as incomplete instead of failing when read() gives up after the header', () => {
    const bytes = fixtureBytes('x86_64/app-runpath');
    const info = readElfDynamic((o, l) => (o < 64 ? bytes.subarray(o, o + l) : null), bytes.length);
    expect(info).not.toBeNull();
    expect(info!.incomplete).toBe(true);
    expect(info!.needed).toEqual([]);
  });

  it('never throws on every truncation of a real file', () => {
    for (const name of ['x86_64/app-runpath', 'mips/libmtop.so.1', 'ppc64/app']) {
      const bytes = fixtureBytes(name);
      const full = readElfDynamic(readAtBytes(bytes), bytes.length)!;
      for (let n = 0; n <= bytes.length; n += 7) {
        const cut = bytes.subarray(0, n);
        const info = readElfDynamic(readAtBytes(cut), n);
        if (info === null) continue;
        // A cut file never yields a string the whole file does not have.
        for (const s of info.needed) expect(full.needed).toContain(s);
        if (n < bytes.length && info.needed.length < full.needed.length) expect(info.incomplete).toBe(true);
      }
    }
  });

  it('survives thousands of random byte flips in the headers quickly', () => {
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    const base = fixtureBytes('x86_64/app-patchelf');
    const t0 = Date.now();
    for (let i = 0; i < 3000; i++) {
      const b = base.slice();
      for (let k = 0; k < 1 + rnd(8); k++) {
        // Mostly hit the ELF header, program headers and the dynamic section (0x4000..0x4210).
        const region = rnd(3);
        const at = region === 0 ? rnd(64) : region === 1 ? 64 + rnd(0x2d8) : 0x4000 + rnd(0x210);
        b[at] = rnd(256);
      }
      const info = readElfDynamic(readAtBytes(b), b.length);
      if (info) {
        expect(info.needed.length).toBeLessThanOrEqual(ELF_LIMITS.maxDynamicBytes / 16);
        for (const s of info.needed) expect(s.length).toBeLessThanOrEqual(ELF_LIMITS.maxStringBytes);
      }
    }
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('caps absurd counts and sizes and says so', () => {
    const base = fixtureBytes('x86_64/app-runpath');
    const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

    // e_phnum = 0xffff (PN_XNUM)
    const xnum = base.slice();
    dv(xnum).setUint16(56, 0xffff, true);
    const a = readElfDynamic(readAtBytes(xnum), xnum.length)!;
    expect(a.incomplete).toBe(true);
    expect(a.problems.join()).toContain('PN_XNUM');

    // e_phnum large with a file big enough to hold the table: capped at maxProgramHeaders
    const many = new Uint8Array(64 + 56 * 1000);
    many.set(base.subarray(0, 64));
    dv(many).setUint16(56, 1000, true);
    dv(many).setBigUint64(32, 64n, true);
    const reads: number[] = [];
    const b = readElfDynamic((o, l) => {
      reads.push(l);
      return many.subarray(o, o + l);
    }, many.length)!;
    expect(b.problems.join()).toContain(`only the first ${ELF_LIMITS.maxProgramHeaders} read`);
    expect(Math.max(...reads)).toBeLessThanOrEqual(ELF_LIMITS.maxProgramHeaders * 56);

    // e_phentsize nonsense
    const ent = base.slice();
    dv(ent).setUint16(54, 3, true);
    expect(readElfDynamic(readAtBytes(ent), ent.length)!.problems.join()).toContain('entry size 3');

    // PT_DYNAMIC claiming 2^40 bytes: read at most maxDynamicBytes
    const facts = parseReadelf(oracleText('x86_64/app-runpath'));
    const huge = base.slice();
    const phoff = 64;
    for (let i = 0; i < dv(huge).getUint16(56, true); i++) {
      const at = phoff + i * 56;
      if (dv(huge).getUint32(at, true) === 2) dv(huge).setBigUint64(at + 32, 1n << 40n, true);
    }
    const lens: number[] = [];
    const c = readElfDynamic((o, l) => {
      lens.push(l);
      return huge.subarray(o, o + l);
    }, huge.length)!;
    expect(Math.max(...lens)).toBeLessThanOrEqual(ELF_LIMITS.maxDynamicBytes);
    expect(c.needed).toEqual(['libfoo.so.1', 'libc.so.6']);
    expect(facts.dynamic).not.toBeNull();
  });

  it('flags a dynamic section without DT_NULL and string offsets outside DT_STRSZ', () => {
    const base = fixtureBytes('x86_64/app-runpath');
    const facts = parseReadelf(oracleText('x86_64/app-runpath'));
    const { offset, size } = facts.dynamic!;
    const dv = new DataView(base.buffer, base.byteOffset, base.byteLength);

    // Overwrite the DT_NULL entry (and everything after it) with DT_DEBUG entries.
    const noNull = base.slice();
    const ndv = new DataView(noNull.buffer);
    for (let at = offset; at + 16 <= offset + size; at += 16) {
      if (ndv.getBigUint64(at, true) === 0n) {
        ndv.setBigUint64(at, 21n, true);
      }
    }
    const a = readElfDynamic(readAtBytes(noNull), noNull.length)!;
    expect(a.incomplete).toBe(true);
    expect(a.problems.join()).toContain('no DT_NULL');
    expect(a.needed).toEqual(['libfoo.so.1', 'libc.so.6']);

    // First DT_NEEDED value pushed past DT_STRSZ.
    const far = base.slice();
    const fdv = new DataView(far.buffer);
    for (let at = offset; at + 16 <= offset + size; at += 16) {
      if (dv.getBigUint64(at, true) === 1n) {
        fdv.setBigUint64(at + 8, 1n << 30n, true);
        break;
      }
    }
    const b = readElfDynamic(readAtBytes(far), far.length)!;
    expect(b.incomplete).toBe(true);
    expect(b.needed).toEqual(['libc.so.6']);
    expect(b.problems.join()).toContain('outside the string table');
  });

  it('handles a real file read through a file descriptor', () => {
    const info = withFile(fixturePath('ppc64/app'), (read, size) => readElfDynamic(read, size));
    expect(info?.interpreter).toBe('/lib64/ld64.so.1');
  });
});
