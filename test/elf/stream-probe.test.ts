import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ELF_LIMITS, readAtBytes, readElfDynamic, type ElfInfo } from '../../src/elf/read-dynamic.js';
import { DEFAULT_MAX_CAPTURE_BYTES, ElfStreamProbe } from '../../src/elf/stream-probe.js';
import { ELF_FIXTURES, fixtureBytes, oracleText } from './fixtures.js';
import { liveReadelf, parseReadelf } from './readelf-oracle.js';

interface StreamRun {
  info: ElfInfo | null;
  /** Bytes handed over before 'done' (the whole file if never done early). */
  consumed: number;
  doneEarly: boolean;
  retained: number;
}

function streamBytes(bytes: Uint8Array, chunk: number, maxCapture?: number): StreamRun {
  const probe = new ElfStreamProbe(bytes.length, maxCapture);
  let consumed = 0;
  let doneEarly = false;
  let retained = 0;
  for (let at = 0; at < bytes.length; at += chunk) {
    // Hand over a copy, as a tar stream gives fresh buffers; the probe must not keep ours.
    const part = bytes.slice(at, at + chunk);
    const r = probe.push(part);
    consumed = at + part.length;
    if (r === 'done') {
      doneEarly = consumed < bytes.length;
      break;
    }
  }
  retained = probe.peakRetainedBytes;
  if (probe.done) expect(probe.retainedBytes).toBe(0);
  return { info: probe.result(), consumed, doneEarly, retained };
}

/** Streams a file from disk in `chunk`-byte reads, stopping when the probe says 'done'. */
function streamFile(path: string, chunk: number, maxCapture?: number): StreamRun & { size: number } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const probe = new ElfStreamProbe(size, maxCapture);
    const buf = Buffer.alloc(chunk);
    let consumed = 0;
    let retained = 0;
    let doneEarly = false;
    while (consumed < size) {
      const n = readSync(fd, buf, 0, chunk, consumed);
      if (n <= 0) break;
      consumed += n;
      // The same buffer is reused for every read: the probe must copy what it keeps.
      const r = probe.push(buf.subarray(0, n));
      if (r === 'done') {
        doneEarly = consumed < size;
        break;
      }
    }
    retained = probe.peakRetainedBytes;
    if (probe.done) expect(probe.retainedBytes).toBe(0);
    return { info: probe.result(), consumed, doneEarly, retained, size };
  } finally {
    closeSync(fd);
  }
}

function randomAccess(path: string): ElfInfo | null {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    return readElfDynamic((o, l) => {
      const b = Buffer.alloc(l);
      return b.subarray(0, readSync(fd, b, 0, l, o));
    }, size);
  } finally {
    closeSync(fd);
  }
}

describe('ElfStreamProbe on committed fixtures', () => {
  for (const name of ELF_FIXTURES) {
    for (const chunk of [1, 7, 4096, 65537]) {
      it(`gives the random-access answer for ${name} in ${chunk}-byte chunks`, () => {
        const bytes = fixtureBytes(name);
        const expected = readElfDynamic(readAtBytes(bytes), bytes.length);
        const run = streamBytes(bytes, chunk);
        expect(run.info).toEqual(expected);
        expect(run.info?.incomplete).toBe(false);
      });
    }
  }

  it('stops right after PT_DYNAMIC when the strings came before it', () => {
    const bytes = fixtureBytes('x86_64/app-runpath');
    const dyn = parseReadelf(oracleText('x86_64/app-runpath')).dynamic!;
    const run = streamBytes(bytes, 1);
    expect(run.consumed).toBe(dyn.offset + dyn.size);
    expect(run.doneEarly).toBe(true);
  });

  it('keeps reading past PT_DYNAMIC for a .dynstr that patchelf put after it, then stops', () => {
    const bytes = fixtureBytes('x86_64/app-patchelf');
    const dyn = parseReadelf(oracleText('x86_64/app-patchelf')).dynamic!;
    const run = streamBytes(bytes, 1);
    expect(run.info?.runpath).toEqual(['$ORIGIN/../lib/a-rather-long-directory-name-so-patchelf-must-grow-dynstr']);
    expect(run.consumed).toBeGreaterThan(dyn.offset + dyn.size);
    expect(run.doneEarly).toBe(true);
  });

  it('stops after the program headers for a static executable', () => {
    const bytes = fixtureBytes('x86_64/static');
    const run = streamBytes(bytes, 1);
    expect(run.info).toMatchObject({ static: true, needed: [] });
    expect(run.consumed).toBe(64 + 56 * 4 <= bytes.length ? run.consumed : bytes.length);
    expect(run.consumed).toBeLessThan(bytes.length);
  });

  it('rejects a non-ELF file on its first byte and keeps nothing', () => {
    const text = new TextEncoder().encode('GIF89a and then a great many more bytes of picture data');
    const probe = new ElfStreamProbe(text.length);
    expect(probe.push(text.subarray(0, 1))).toBe('done');
    expect(probe.result()).toBeNull();
    expect(probe.retainedBytes).toBe(0);
    // A near miss: magic differs in the 4th byte, fed one byte at a time.
    const near = new Uint8Array([0x7f, 0x45, 0x4c, 0x47, 2, 1, 1, 0, ...new Array(100).fill(0)]);
    const p2 = new ElfStreamProbe(near.length);
    expect([0, 1, 2].map((i) => p2.push(near.subarray(i, i + 1)))).toEqual(['more', 'more', 'more']);
    expect(p2.push(near.subarray(3, 4))).toBe('done');
    expect(p2.result()).toBeNull();
  });

  it('uses the chunk in hand: one whole-file chunk is exact even with a tiny cap', () => {
    const bytes = fixtureBytes('x86_64/libodd.so');
    const probe = new ElfStreamProbe(bytes.length, 64);
    expect(probe.push(bytes)).toBe('done');
    expect(probe.result()).toEqual(readElfDynamic(readAtBytes(bytes), bytes.length));
  });

  it('treats files too short for an ELF header as not ELF', () => {
    const probe = new ElfStreamProbe(20);
    expect(probe.push(new Uint8Array([0x7f, 0x45, 0x4c, 0x46]))).toBe('done');
    expect(probe.result()).toBeNull();
  });

  it('finds strings past a tiny capture cap through the side index when they look like names', () => {
    for (const name of ['x86_64/app-runpath', 'x86_64/app-rpath', 'i386/libbar32.so.2', 'ppc64/app']) {
      const bytes = fixtureBytes(name);
      const expected = readElfDynamic(readAtBytes(bytes), bytes.length);
      for (const chunk of [1, 7, 4096]) {
        const run = streamBytes(bytes, chunk, 64);
        expect(run.info, `${name} / ${chunk}`).toEqual(expected);
      }
    }
  });

  it('gives the exact answer for every capture cap, including strings straddling the cap', () => {
    for (const name of ['x86_64/app-runpath', 'x86_64/app-patchelf', 'mips/libmtop.so.1', 'i386/libbar32.so.2']) {
      const bytes = fixtureBytes(name);
      const expected = readElfDynamic(readAtBytes(bytes), bytes.length);
      for (let cap = 64; cap <= bytes.length; cap += 1) {
        const run = streamBytes(bytes, 4096, cap);
        if (JSON.stringify(run.info) !== JSON.stringify(expected)) expect(run.info, `${name} cap ${cap}`).toEqual(expected);
      }
    }
  });

  it('says incomplete, never guesses, when a string past the cap does not look like a name', () => {
    const bytes = fixtureBytes('x86_64/libodd.so');
    const run = streamBytes(bytes, 7, 64);
    expect(run.info).not.toBeNull();
    expect(run.info!.incomplete).toBe(true);
    expect(run.info!.soname).toBeNull();
    expect(run.info!.runpath).toEqual([]);
    expect(run.info!.problems.join('; ')).toMatch(/2 dynamic string\(s\) could not be read/);
    // With the default cap the same file is read whole.
    expect(streamBytes(bytes, 7).info).toMatchObject({ soname: 'odd-name', runpath: ['relative/lib'], incomplete: false });
  });

  it('reports what it has, flagged incomplete, when the stream stops early', () => {
    const bytes = fixtureBytes('x86_64/app-patchelf');
    const dyn = parseReadelf(oracleText('x86_64/app-patchelf')).dynamic!;
    for (const cut of [10, 64 + 56, dyn.offset + 8, dyn.offset + dyn.size + 3]) {
      const probe = new ElfStreamProbe(bytes.length);
      probe.push(bytes.subarray(0, cut));
      const info = probe.result();
      if (cut < 64) {
        expect(info).toBeNull();
        continue;
      }
      expect(info, `cut ${cut}`).not.toBeNull();
      expect(info!.incomplete, `cut ${cut}`).toBe(true);
    }
  });

  it('never throws and stays bounded on mutated input', () => {
    let seed = 777;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    const base = fixtureBytes('x86_64/app-runpath');
    for (let i = 0; i < 1500; i++) {
      const b = base.slice();
      for (let k = 0; k < 1 + rnd(6); k++) b[rnd(2) ? rnd(64 + 13 * 56) : rnd(b.length)] = rnd(256);
      const run = streamBytes(b, 1 + rnd(5000));
      const ra = readElfDynamic(readAtBytes(b), b.length);
      // Both readers see the same bytes: they agree on ELF-or-not and, when complete, on content.
      expect(run.info === null, `iteration ${i}`).toBe(ra === null);
      if (run.info && ra && !run.info.incomplete && !ra.incomplete) expect(run.info).toEqual(ra);
      expect(run.retained).toBeLessThanOrEqual(2 * base.length + 64 * 1024);
    }
  });
});

describe('ElfStreamProbe on this machine\'s libraries', () => {
  const libs = [
    '/bin/ls',
    '/usr/lib/x86_64-linux-gnu/libc.so.6',
    '/usr/lib/x86_64-linux-gnu/libstdc++.so.6',
    '/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1',
  ];
  for (const lib of libs) {
    const present = existsSync(lib);
    it.skipIf(!present)(`matches the random-access reader on ${lib}${present ? '' : ' (skipped: not on this machine)'}`, () => {
      const expected = randomAccess(lib);
      expect(expected).not.toBeNull();
      const small = lib === '/bin/ls' ? [1, 7, 4096, 65537] : [4096, 65537];
      for (const chunk of small) {
        const run = streamFile(lib, chunk);
        expect(run.info, `${lib} in ${chunk}-byte chunks`).toEqual(expected);
        expect(run.retained).toBeLessThanOrEqual(DEFAULT_MAX_CAPTURE_BYTES + 2 * 65536 + 4096 * 8);
      }
    }, 120_000);
  }

  const big = '/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1';
  const readelf = liveReadelf();
  for (const lib of [big, '/usr/lib/x86_64-linux-gnu/libstdc++.so.6', '/usr/lib/x86_64-linux-gnu/libc.so.6']) {
    const why = !existsSync(lib) ? `${lib} not on this machine` : 'missing' in readelf ? readelf.missing : null;
    it.skipIf(why !== null)(`returns done in the chunk that ends PT_DYNAMIC of ${lib}${why ? ` (skipped: ${why})` : ''}`, () => {
      if ('missing' in readelf) return;
      // PT_DYNAMIC sits near the end of real libraries (libLLVM: 300 KB before it), and the
      // probe must not ask for a byte more than the chunk holding its last byte.
      const dyn = parseReadelf(readelf.run(lib)).dynamic!;
      const chunk = 4096;
      const run = streamFile(lib, chunk);
      const end = dyn.offset + dyn.size;
      expect(run.consumed).toBe(Math.min(run.size, Math.ceil(end / chunk) * chunk));
      expect(run.doneEarly).toBe(run.consumed < run.size);
      expect(run.retained).toBeLessThanOrEqual(DEFAULT_MAX_CAPTURE_BYTES + 2 * ELF_LIMITS.maxDynamicBytes);
      if (lib === big) expect(run.info?.runpath).toEqual(['$ORIGIN/../lib']);
    }, 120_000);
  }

  it.skipIf(!existsSync('/usr/lib/x86_64-linux-gnu/libc.so.6'))(
    'reads libc past a 4 KiB cap through the side index, exactly',
    () => {
      const lib = '/usr/lib/x86_64-linux-gnu/libc.so.6';
      const expected = randomAccess(lib);
      for (const chunk of [7, 4096, 65537]) {
        const run = streamFile(lib, chunk, 4096);
        expect(run.info, `chunk ${chunk}`).toEqual(expected);
        expect(run.retained).toBeLessThan(4096 + 64 * 1024 + 2 * 65537);
      }
    },
    120_000,
  );

  it.skipIf(!existsSync(big))('reads libLLVM past a 1 MiB cap through the side index, exactly', () => {
    const expected = randomAccess(big);
    const run = streamFile(big, 65536, 1024 * 1024);
    expect(run.info).toEqual(expected);
    expect(run.doneEarly).toBe(true);
  }, 120_000);
});
