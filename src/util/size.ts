/**
 * Sizes as users write them: `1GB`, `1.5 GB`, `500MiB`, `20kB`, or plain bytes. Decimal units are
 * powers of 1000 (as pretty-bytes prints them), binary units (KiB, MiB…) powers of 1024.
 */
const UNITS: Record<string, number> = {
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** Bytes for a size text; null when it is not one. */
export function parseSize(text: string | number): number | null {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : null;
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!m) return null;
  const unit = m[2]!.toLowerCase();
  const mult = unit === '' ? 1 : UNITS[unit];
  if (mult === undefined) return null;
  const value = Number(m[1]) * mult;
  return Number.isFinite(value) ? Math.round(value) : null;
}
