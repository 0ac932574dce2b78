/**
 * Flavor-qualifier ("fq") directory names inside a UPS product version directory, in the two
 * conventions seen in real trees:
 * - cetmodules/cetbuildtools: `join('.', CET_SUBDIR, quals)` (cetmodules `Setup.pm`), e.g.
 *   `slf7.x86_64.e17.prof`, `slf6.x86_64.e10.nu.s59.prof`, `noarch`;
 * - "externals" (boost, root, clhep…): `${UPS_PROD_FLAVOR}-q1-q2`, e.g.
 *   `Linux64bit+3.10-2.17-e17-prof`, `Linux64bit+2.6-2.12` (no qualifiers), `NULL`.
 * The flavor itself may contain `-` (`Linux64bit+5.14-2.34-al9-3`), so it is matched by shape.
 */
import { cetSubdirsOfFlavor, flavorOfCetSubdir, flavorPrefixLength } from './flavors.js';
import { canonicalQualifiers, qualifierList } from './qualifiers.js';

export type FqConvention = 'cet' | 'external';

export interface FqDir {
  /** UPS flavor the directory stands for (`NULL` for `NULL` and `noarch`). */
  flavor: string;
  /** Canonical qualifier text, `''` when none. */
  qualifiers: string;
  convention: FqConvention;
  /** `slf7.x86_64` for the cet convention. */
  cetSubdir?: string;
}

function isQualifierWord(q: string): boolean {
  if (q.length === 0) return false;
  for (let i = 0; i < q.length; i++) {
    const c = q.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (!ok) return false;
  }
  return true;
}

/** Parse a directory name as an fq directory; null when it is not one (`include`, `source`, …). */
export function parseFqDir(name: string): FqDir | null {
  if (name.length === 0) return null;
  const dot = name.indexOf('.');
  // cet convention: <os>.<arch>[.<q>…] or noarch[.<q>…]
  if (name === 'noarch' || name.startsWith('noarch.')) {
    const quals = name === 'noarch' ? [] : name.slice(7).split('.');
    if (!quals.every(isQualifierWord)) return null;
    return { flavor: 'NULL', qualifiers: canonicalQualifiers(quals), convention: 'cet', cetSubdir: 'noarch' };
  }
  if (dot > 0 && name.indexOf('+') < 0) {
    const parts = name.split('.');
    if (parts.length >= 2) {
      const flavor = flavorOfCetSubdir(parts[0], parts[1]);
      if (flavor !== null) {
        const quals = parts.slice(2);
        if (!quals.every(isQualifierWord)) return null;
        return { flavor, qualifiers: canonicalQualifiers(quals), convention: 'cet', cetSubdir: `${parts[0]}.${parts[1]}` };
      }
    }
  }
  // externals convention: <flavor>[-<q>…]
  const n = flavorPrefixLength(name);
  if (n < 0) return null;
  const flavor = name.slice(0, n);
  const rest = name.slice(n + 1);
  // `${UPS_PROD_FLAVOR}-${UPS_PROD_QUALIFIERS}` (DUNE pugixml table) may leave `:` between quals
  const quals = rest === '' ? [] : rest.split(/[-:]/);
  if (n < name.length && !quals.every(isQualifierWord)) return null;
  return { flavor, qualifiers: canonicalQualifiers(quals), convention: 'external' };
}

/**
 * Candidate fq directory names for a declared build, most likely first: the qualifiers both in the
 * order the version file wrote them and in canonical order, in both conventions.
 */
export function fqDirCandidates(flavor: string, rawQualifiers: string): string[] {
  const written = qualifierList(rawQualifiers);
  const canonical = qualifierList(canonicalQualifiers(rawQualifiers));
  const orders = sameList(written, canonical) ? [written] : [written, canonical];
  const out: string[] = [];
  const add = (s: string) => {
    if (!out.includes(s)) out.push(s);
  };
  for (const q of orders) add(q.length ? `${flavor}-${q.join('-')}` : flavor);
  for (const sub of cetSubdirsOfFlavor(flavor)) {
    for (const q of orders) add(q.length ? `${sub}.${q.join('.')}` : sub);
  }
  return out;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
