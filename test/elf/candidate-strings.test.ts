import { describe, expect, it } from 'vitest';
import { CANDIDATE_LIMITS, CandidateStrings } from '../../src/elf/candidate-strings.js';
import { fixtureBytes } from './fixtures.js';

/** The NUL-terminated string at `at` in `b`. */
function cstr(b: Uint8Array, at: number): string {
  return Buffer.from(b.subarray(at, b.indexOf(0, at))).toString('utf8');
}

describe('CandidateStrings', () => {
  // The whole of a real executable: its .dynstr, code, data, all mixed.
  const bytes = fixtureBytes('x86_64/app-runpath');
  const wanted = ['libfoo.so.1', 'libc.so.6', '$ORIGIN/../lib:/opt/whittle/lib'];
  const offsets = wanted.map((w) => Buffer.from(bytes).indexOf(Buffer.from(`\0${w}\0`, 'latin1')) + 1);

  for (const chunk of [1, 3, 7, 64, 4096]) {
    it(`keeps library names and search paths with exact offsets, fed in ${chunk}-byte chunks`, () => {
      const idx = new CandidateStrings();
      idx.continueFrom(new Uint8Array([0]), -1); // the byte before offset 0 is a NUL
      for (let at = 0; at < bytes.length; at += chunk) idx.feed(bytes.subarray(at, at + chunk), at);
      offsets.forEach((off, i) => {
        expect(off).toBeGreaterThan(0);
        expect(idx.lookup(off)).toBe(wanted[i]);
      });
      // A suffix (what a linker's tail merging points at) comes from the same kept string.
      expect(idx.lookup(offsets[0] + 3)).toBe(cstr(bytes, offsets[0] + 3));
      // Symbol names and code bytes are not kept.
      const sym = Buffer.from(bytes).indexOf(Buffer.from('\0foo\0', 'latin1')) + 1;
      expect(idx.lookup(sym)).toBeNull();
      expect(idx.count).toBeLessThan(20);
    });
  }

  it('stops keeping at its byte cap and says so', () => {
    const idx = new CandidateStrings();
    const one = Buffer.from(`\0/${'d'.repeat(4000)}\0`, 'latin1');
    let at = 0;
    for (let i = 0; i < 300; i++, at += one.length) idx.feed(one, at);
    expect(idx.overflow).toBe(true);
    expect(idx.bytesHeld).toBeLessThanOrEqual(CANDIDATE_LIMITS.maxBytes + CANDIDATE_LIMITS.maxStringBytes);
    expect(idx.lookup(1)).toBe(`/${'d'.repeat(4000)}`);
  });

  it('drops strings longer than PATH_MAX', () => {
    const idx = new CandidateStrings();
    const long = Buffer.from(`\0/${'x'.repeat(CANDIDATE_LIMITS.maxStringBytes + 10)}.so\0`, 'latin1');
    for (let at = 0; at < long.length; at += 100) idx.feed(long.subarray(at, at + 100), at);
    expect(idx.count).toBe(0);
  });
});
