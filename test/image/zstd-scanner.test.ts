/**
 * The zstd frame scanner that runs beside every zstd decoder. On Node 22.15+ (node:zlib's decoder)
 * it is what tells a stream cut inside a frame from a complete one: that decoder ends such a
 * stream without an error. These checks run on every Node version.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ZstdScanner } from '../../src/image/decompress.js';
import { zstdRawFrame } from '../../fixtures/images/compress.js';

/** The scanner's verdict after `bytes`, fed in pieces of `piece` bytes. */
function boundaryAfter(bytes: Buffer, piece: number): boolean {
  const s = new ZstdScanner();
  for (let i = 0; i < bytes.length; i += piece) s.cuts(bytes.subarray(i, i + piece));
  return s.atFrameBoundary;
}

const data = Buffer.alloc(300_000, 'whittle ');
const frame = zstdRawFrame(data); // three raw blocks
const hasZstd = spawnSync('sh', ['-c', 'command -v zstd']).status === 0;

describe('ZstdScanner.atFrameBoundary', () => {
  it('is true before any byte, after whole frames and after skippable frames', () => {
    expect(new ZstdScanner().atFrameBoundary).toBe(true);
    const skippable = Buffer.concat([Buffer.from([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0]), Buffer.from('abc')]);
    for (const piece of [1, 7, 4096, 1 << 20]) {
      expect(boundaryAfter(frame, piece)).toBe(true);
      expect(boundaryAfter(Buffer.concat([frame, skippable, frame]), piece)).toBe(true);
    }
  });

  it('is false anywhere inside a frame: header, block header, block data', () => {
    for (const cut of [1, 4, 6, 9, 10, 1000, 131_075, frame.length - 1]) {
      expect(boundaryAfter(frame.subarray(0, cut), 997), `cut at ${cut}`).toBe(false);
    }
    expect(boundaryAfter(Buffer.concat([frame, frame.subarray(0, 3)]), 4096)).toBe(false);
  });

  it.skipIf(!hasZstd)('follows frames the zstd tool writes, with checksums, cut or whole', () => {
    const z = spawnSync('zstd', ['-q', '-c', '-3', '--check'], { input: Buffer.concat([data, Buffer.from(Array.from({ length: 50_000 }, (_, i) => i & 0xff))]) }).stdout;
    expect(boundaryAfter(z, 4096)).toBe(true);
    expect(boundaryAfter(z.subarray(0, z.length - 2), 4096)).toBe(false); // inside the checksum
    expect(boundaryAfter(z.subarray(0, z.length >> 1), 4096)).toBe(false);
  });
});
