/**
 * Budget values as users write them, in flags and config files: sizes (`1GB`, `500MiB`, bytes),
 * ratios (`0.9` or `90%`), counts, and growth limits (`50MB` or `5%`). Each parser returns the
 * value or a message saying what was expected; callers add where the value came from.
 */
import { parseSize } from '../util/size.js';

export type Parsed<T> = { ok: true; value: T; text: string } | { ok: false; expected: string };

export const EXPECT = {
  size: 'a size like "1GB", "500MiB" or a whole number of bytes',
  ratio: 'a fraction between 0 and 1 like 0.9, or a percent like "90%"',
  count: 'a whole number ≥ 0',
  growth: 'a size like "50MB", or a percent of the baseline like "5%"',
} as const;

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : String(v));

export function parseSizeValue(v: unknown): Parsed<number> {
  if (typeof v === 'number' && !Number.isInteger(v)) return { ok: false, expected: EXPECT.size };
  if (typeof v !== 'string' && typeof v !== 'number') return { ok: false, expected: EXPECT.size };
  const n = parseSize(v);
  return n === null ? { ok: false, expected: EXPECT.size } : { ok: true, value: n, text: text(v) };
}

export function parseRatioValue(v: unknown): Parsed<number> {
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(v);
    if (!m) return { ok: false, expected: EXPECT.ratio };
    n = m[2] === '%' ? Number(m[1]) / 100 : Number(m[1]);
  } else return { ok: false, expected: EXPECT.ratio };
  if (!Number.isFinite(n) || n < 0 || n > 1) return { ok: false, expected: EXPECT.ratio };
  return { ok: true, value: n, text: text(v) };
}

export function parseCountValue(v: unknown): Parsed<number> {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) return { ok: false, expected: EXPECT.count };
  return { ok: true, value: n, text: text(v) };
}

/** A growth limit: bytes, or a fraction of the baseline (`5%`; fractions need the % sign here). */
export function parseGrowthValue(v: unknown): Parsed<{ bytes: number } | { fraction: number }> {
  if (typeof v === 'string' && v.trim().endsWith('%')) {
    // Growth may exceed 100% of the baseline, unlike a ratio.
    const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*%\s*$/.exec(v);
    if (!m) return { ok: false, expected: EXPECT.growth };
    return { ok: true, value: { fraction: Number(m[1]) / 100 }, text: v.trim() };
  }
  const s = parseSizeValue(v);
  return s.ok ? { ok: true, value: { bytes: s.value }, text: s.text } : { ok: false, expected: EXPECT.growth };
}

/** dive's values: go-humanize sizes ("20MB", "20 MiB", "1,000"); "disabled", "off", "false" or "" turn a rule off. */
export function isDiveDisabled(v: string): boolean {
  const s = v.trim().toLowerCase();
  return s === '' || s === 'disabled' || s === 'off' || s === 'false';
}

export function parseDiveBytes(v: string): number | null {
  // go-humanize also accepts "20M", "20Mi" and thousands separators.
  const s = v.trim().replace(/,/g, '');
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*([a-zA-Z]*)$/.exec(s);
  if (!m) return null;
  let unit = m[2]!.toLowerCase();
  if (/^[kmgt]i$/.test(unit)) unit += 'b';
  return parseSize(`${m[1]}${unit}`);
}

/** dive's ratios: a float in [0, 1] (strconv.ParseFloat). */
export function parseDiveRatio(v: string): number | null {
  const s = v.trim();
  if (!/^[+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : null;
}
