/**
 * UPS qualifier sets. A qualifier string such as `e17:prof` is an unordered set (coups lists both
 * `debug:e20` and `e20:prof`), so whittle compares qualifiers by a canonical text: compiler
 * qualifiers (`e17`, `c7`, `gcc9`) first, then software-set qualifiers (`s67`), then the others
 * alphabetically, then the build type (`prof`, `debug`, `opt`) last, joined by `:`.
 */

/** Build types, in the order they are written when (unusually) more than one is present. */
const BUILD_TYPES = ['prof', 'debug', 'opt'] as const;
export type BuildType = (typeof BUILD_TYPES)[number];

export function isBuildType(q: string): q is BuildType {
  return q === 'prof' || q === 'debug' || q === 'opt';
}

function isDigits(s: string, from: number): boolean {
  if (from >= s.length) return false;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** `e17`, `c7`, `gcc9` (coups `parsing.py` compiler_qual). */
export function isCompilerQualifier(q: string): boolean {
  if (q.startsWith('gcc')) return isDigits(q, 3);
  const c = q.charCodeAt(0);
  return (c === 101 /* e */ || c === 99 /* c */) && isDigits(q, 1);
}

/** `s67`, `s128` (Mu2e/art software-set qualifiers). */
export function isSoftwareQualifier(q: string): boolean {
  return q.charCodeAt(0) === 115 /* s */ && isDigits(q, 1);
}

function rank(q: string): number {
  if (isCompilerQualifier(q)) return 0;
  if (isSoftwareQualifier(q)) return 1;
  if (isBuildType(q)) return 3;
  return 2;
}

function compareQualifiers(a: string, b: string): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 3) return BUILD_TYPES.indexOf(a as BuildType) - BUILD_TYPES.indexOf(b as BuildType);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Split a qualifier string or list into its members: `:` separated (also `-` and `.` when asked,
 * for directory names), leading `+` stripped, empty members and duplicates dropped. Members marked
 * optional with a leading `?` (UPS "use if available") are dropped unless `keepOptional` is set.
 */
export function qualifierList(input: string | readonly string[] | null | undefined, keepOptional = false): string[] {
  if (input == null) return [];
  const parts = typeof input === 'string' ? input.split(':') : input;
  const out: string[] = [];
  for (let raw of parts) {
    raw = raw.trim();
    while (raw.startsWith('+')) raw = raw.slice(1);
    if (raw.startsWith('?')) {
      if (!keepOptional) continue;
      raw = raw.slice(1);
    }
    if (raw === '' || out.includes(raw)) continue;
    out.push(raw);
  }
  return out;
}

/** Canonical text of a qualifier set: `prof:e17` → `e17:prof`; empty set → `''`. */
export function canonicalQualifiers(input: string | readonly string[] | null | undefined): string {
  const list = qualifierList(input);
  list.sort(compareQualifiers);
  return list.join(':');
}

/** Optional (`?q`) members of a qualifier string, canonical order. */
export function optionalQualifiers(input: string | null | undefined): string[] {
  if (!input) return [];
  const out: string[] = [];
  for (let raw of input.split(':')) {
    raw = raw.trim();
    while (raw.startsWith('+')) raw = raw.slice(1);
    if (raw.startsWith('?') && raw.length > 1 && !out.includes(raw.slice(1))) out.push(raw.slice(1));
  }
  return out.sort(compareQualifiers);
}

/** Members of a canonical (or any) qualifier text as a set. */
export function qualifierSet(input: string | readonly string[] | null | undefined): Set<string> {
  return new Set(qualifierList(input));
}

/** The build type of a qualifier set, if it has one. */
export function buildTypeOf(quals: Iterable<string>): BuildType | null {
  for (const q of quals) if (isBuildType(q)) return q;
  return null;
}

export function isSubset(small: ReadonlySet<string>, big: ReadonlySet<string>): boolean {
  for (const q of small) if (!big.has(q)) return false;
  return true;
}
