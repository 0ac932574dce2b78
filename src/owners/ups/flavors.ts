/**
 * UPS flavors and the cetmodules "CET subdir" names that stand for them in fq directory names.
 * Table from coups `platform.py` (flavor, cpu, OS names); AL9 from the Mu2e setup script's
 * `UPS_OVERRIDE="-H Linux64bit+5.14-2.34-al9-3"` and its `MU2E_OSNAME="al9"`.
 */

interface Platform {
  flavor: string;
  /** CET subdir OS names, preferred first. */
  oses: readonly string[];
}

const PLATFORMS: readonly Platform[] = [
  { flavor: 'Linux64bit+2.6-2.5', oses: ['slf5', 'sl5'] },
  { flavor: 'Linux64bit+2.6-2.12', oses: ['slf6', 'sl6'] },
  { flavor: 'Linux64bit+3.10-2.17', oses: ['slf7', 'sl7'] },
  { flavor: 'Linux64bit+5.14-2.34-al9-3', oses: ['al9'] },
  { flavor: 'Linux64bit+3.19-2.19', oses: ['u14'] },
  { flavor: 'Linux64bit+4.4-2.23', oses: ['u16'] },
  { flavor: 'Linux64bit+4.15-2.27', oses: ['u18'] },
  { flavor: 'Linux64bit+5.4-2.31', oses: ['u20'] },
];

const CET_ARCHES = new Set(['x86_64', 'i686', 'ppc64le', 'aarch64', 'arm64']);

/** Matches the flavor at the start of a name, up to a `-` that starts the qualifiers or the end. */
const FLAVOR_PREFIX =
  /^(?:(?:Linux|Darwin|SunOS|IRIX|OSF1|AIX)[A-Za-z0-9]*(?:\+\d+(?:\.\d+)*(?:-\d+(?:\.\d+)*)?(?:-(?:al|el|alma|rhel|rl|rocky|sl|slf|ol)\d+(?:-\d+)?)?)?|NULL)(?=-|$)/;

/** Length of the UPS flavor that `name` starts with (`Linux64bit+3.10-2.17-e17-prof` → 20), or -1. */
export function flavorPrefixLength(name: string): number {
  const m = FLAVOR_PREFIX.exec(name);
  return m ? m[0].length : -1;
}

/** True when the whole string is a UPS flavor name. */
export function isFlavor(name: string): boolean {
  return flavorPrefixLength(name) === name.length;
}

/**
 * The UPS flavor a CET subdir such as `slf7.x86_64` or `noarch` stands for, or null when the name
 * is not a CET subdir. `noarch` products are declared with flavor `NULL` (cetbuildtools, catch).
 */
export function flavorOfCetSubdir(os: string, arch: string | null): string | null {
  if (os === 'noarch' && arch === null) return 'NULL';
  if (arch === null || !CET_ARCHES.has(arch)) return null;
  if (os.length > 1 && os.charCodeAt(0) === 100 /* d */ && /^d\d+$/.test(os)) return `Darwin64bit+${os.slice(1)}`;
  for (const p of PLATFORMS) {
    if (p.oses.includes(os)) return arch === 'ppc64le' ? p.flavor.replace('Linux64bit', 'Linuxppc64le64bit') : p.flavor;
  }
  return null;
}

/** Strip an OS suffix and compare kernel-libc: `Linux64bit+5.14-2.34-al9-3` ~ `Linux64bit+5.14-2.34`. */
function flavorCore(flavor: string): string {
  const m = /^([A-Za-z0-9]+(?:\+\d+(?:\.\d+)*(?:-\d+(?:\.\d+)*)?)?)/.exec(flavor);
  return m ? m[1] : flavor;
}

/** CET subdirs (`slf7.x86_64`, …) a declared flavor may use in cetmodules fq directory names. */
export function cetSubdirsOfFlavor(flavor: string): string[] {
  if (flavor === 'NULL' || flavor === 'noarch') return ['noarch'];
  const core = flavorCore(flavor);
  let arch = 'x86_64';
  let linuxCore = core;
  if (core.startsWith('Linuxppc64le64bit')) {
    arch = 'ppc64le';
    linuxCore = core.replace('Linuxppc64le64bit', 'Linux64bit');
  }
  const d = /^Darwin64bit\+(\d+)/.exec(core);
  if (d) return [`d${d[1]}.x86_64`];
  for (const p of PLATFORMS) {
    if (flavorCore(p.flavor) === linuxCore) return p.oses.map((os) => `${os}.${arch}`);
  }
  return [];
}

/**
 * Whether a build of flavor `have` can satisfy a requirement from flavor `want`, and how well:
 * 3 exact, 2 same kernel/libc core (`…-al9-3` vs plain), 1 a less specific flavor that is a prefix
 * at a `+`/`-`/`.` boundary (`Linux64bit+3.10` for `Linux64bit+3.10-2.17`), 0 `NULL`, -1 no match.
 * A `NULL` requester accepts any flavor (UPS then uses the host's) at rank 0, `NULL` itself at 3.
 */
export function flavorMatchRank(want: string, have: string): number {
  if (want === have) return 3;
  if (have === 'NULL' || have === 'ANY') return 0;
  if (want === 'NULL' || want === 'ANY') return 0;
  if (flavorCore(want) === flavorCore(have)) return 2;
  if (want.startsWith(have)) {
    const next = want.charAt(have.length);
    if (next === '+' || next === '-' || next === '.') return 1;
  }
  return -1;
}
