import { describe, expect, it } from 'vitest';
import { parseCountValue, parseDiveBytes, parseDiveRatio, parseGrowthValue, parseRatioValue, parseSizeValue, isDiveDisabled } from '../../src/config/values.js';

const ok = <T>(p: { ok: boolean; value?: T }) => (p.ok ? p.value : 'invalid');

describe('budget values', () => {
  it('parses sizes as users write them', () => {
    expect(ok(parseSizeValue('1GB'))).toBe(1_000_000_000);
    expect(ok(parseSizeValue('500MiB'))).toBe(500 * 1024 * 1024);
    expect(ok(parseSizeValue('1.5 GB'))).toBe(1_500_000_000);
    expect(ok(parseSizeValue(12345))).toBe(12345);
    expect(ok(parseSizeValue('12345'))).toBe(12345);
    expect(ok(parseSizeValue(1.5))).toBe('invalid');
    expect(ok(parseSizeValue('1 gigabyte'))).toBe('invalid');
    expect(ok(parseSizeValue(true))).toBe('invalid');
    expect(ok(parseSizeValue('-5MB'))).toBe('invalid');
  });

  it('parses ratios as fractions or percents, never an ambiguous number over 1', () => {
    expect(ok(parseRatioValue(0.9))).toBe(0.9);
    expect(ok(parseRatioValue('0.9'))).toBe(0.9);
    expect(ok(parseRatioValue('90%'))).toBeCloseTo(0.9, 12);
    expect(ok(parseRatioValue('5 %'))).toBeCloseTo(0.05, 12);
    expect(ok(parseRatioValue(90))).toBe('invalid');
    expect(ok(parseRatioValue('150%'))).toBe('invalid');
    expect(ok(parseRatioValue('ninety'))).toBe('invalid');
  });

  it('parses counts and growth limits', () => {
    expect(ok(parseCountValue('12'))).toBe(12);
    expect(ok(parseCountValue(-1))).toBe('invalid');
    expect(ok(parseCountValue('1e3'))).toBe('invalid');
    expect(ok(parseGrowthValue('50MB'))).toEqual({ bytes: 50_000_000 });
    expect(ok(parseGrowthValue('5%'))).toEqual({ fraction: 0.05 });
    expect(ok(parseGrowthValue('250%'))).toEqual({ fraction: 2.5 });
    expect(ok(parseGrowthValue('lots'))).toBe('invalid');
    expect(ok(parseGrowthValue('-5%'))).toBe('invalid');
  });

  it("parses dive's values as dive does (go-humanize bytes, ParseFloat ratios in [0, 1])", () => {
    expect(parseDiveBytes('20MB')).toBe(20_000_000);
    expect(parseDiveBytes('20 MB')).toBe(20_000_000);
    expect(parseDiveBytes('20M')).toBe(20_000_000);
    expect(parseDiveBytes('20Mi')).toBe(20 * 1024 * 1024);
    expect(parseDiveBytes('20MiB')).toBe(20 * 1024 * 1024);
    expect(parseDiveBytes('1,000')).toBe(1000);
    expect(parseDiveBytes('lots')).toBeNull();
    expect(parseDiveRatio('0.95')).toBe(0.95);
    expect(parseDiveRatio('1')).toBe(1);
    expect(parseDiveRatio('1.5')).toBeNull();
    expect(parseDiveRatio('95%')).toBeNull();
    for (const v of ['disabled', 'Disabled', 'off', 'false', '', '  ']) expect(isDiveDisabled(v)).toBe(true);
    expect(isDiveDisabled('0')).toBe(false);
  });
});
