import { describe, expect, it } from 'vitest';
import { parseSize } from '../../src/util/size.js';

describe('parseSize', () => {
  it('reads decimal and binary units the way pretty-bytes and docker print them', () => {
    expect(parseSize('1GB')).toBe(1_000_000_000);
    expect(parseSize('1.5 GB')).toBe(1_500_000_000);
    expect(parseSize('500MiB')).toBe(500 * 1024 * 1024);
    expect(parseSize('20kB')).toBe(20_000);
    expect(parseSize('4KiB')).toBe(4096);
    expect(parseSize('123')).toBe(123);
    expect(parseSize(42)).toBe(42);
  });
  it('rejects what is not a size', () => {
    expect(parseSize('1 XB')).toBeNull();
    expect(parseSize('-5MB')).toBeNull();
    expect(parseSize('')).toBeNull();
    expect(parseSize('MB')).toBeNull();
  });
});
