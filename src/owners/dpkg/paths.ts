/**
 * Where dpkg keeps its database inside an image, and which tar entries whittle must capture while
 * streaming. Paths are relative to the image root, without a leading slash.
 */
import type { DpkgPackage } from './parse-status.js';

export const DPKG_DIR = 'var/lib/dpkg/';
export const DPKG_STATUS = 'var/lib/dpkg/status';
/** Distroless images: one stanza file per package, plus `<file>.md5sums`; no `info/`. */
export const DPKG_STATUS_D = 'var/lib/dpkg/status.d/';
export const DPKG_INFO_DIR = 'var/lib/dpkg/info/';
export const DPKG_DIVERSIONS = 'var/lib/dpkg/diversions';
/** `1` = multiarch layout, where `Multi-Arch: same` packages have `<name>:<arch>.list` files. */
export const DPKG_INFO_FORMAT = 'var/lib/dpkg/info/format';

export type DpkgDbFileKind =
  | 'status'
  | 'status-d'
  | 'status-d-md5sums'
  | 'info-list'
  | 'info-md5sums'
  | 'info-format'
  | 'diversions';

/** Maintainer scripts and other non-stanza files distroless tooling may drop into `status.d/`. */
const STATUS_D_IGNORED_SUFFIXES = [
  '.preinst',
  '.postinst',
  '.prerm',
  '.postrm',
  '.config',
  '.templates',
  '.triggers',
  '.shlibs',
  '.symbols',
  '.conffiles',
  '.list',
];

const STATUS_D_REST = DPKG_STATUS_D.length - DPKG_DIR.length; // "status.d/"
const INFO_REST = DPKG_INFO_DIR.length - DPKG_DIR.length; // "info/"

/**
 * Which dpkg database file `relPath` is, or null. Runs on every tar entry, so it is a handful of
 * prefix and suffix comparisons and no regex.
 */
export function classifyDpkgDbPath(relPath: string): DpkgDbFileKind | null {
  if (relPath.charCodeAt(0) !== 118 /* v */ || !relPath.startsWith(DPKG_DIR)) return null;
  const base = DPKG_DIR.length;
  const restLen = relPath.length - base;
  if (restLen <= 0) return null;
  if (relPath.startsWith('info/', base)) {
    if (restLen <= INFO_REST || relPath.indexOf('/', base + INFO_REST) !== -1) return null;
    if (relPath.endsWith('.list')) return 'info-list';
    if (relPath.endsWith('.md5sums')) return 'info-md5sums';
    if (relPath === DPKG_INFO_FORMAT) return 'info-format';
    return null;
  }
  if (relPath.startsWith('status', base)) {
    if (restLen === 6) return 'status';
    if (!relPath.startsWith('.d/', base + 6)) return null;
    if (restLen <= STATUS_D_REST || relPath.indexOf('/', base + STATUS_D_REST) !== -1) return null;
    if (relPath.endsWith('.md5sums')) return 'status-d-md5sums';
    for (const suffix of STATUS_D_IGNORED_SUFFIXES) if (relPath.endsWith(suffix)) return null;
    return 'status-d';
  }
  if (relPath === DPKG_DIVERSIONS) return 'diversions';
  return null;
}

/** True for the files to capture while streaming: status, status.d/*, info lists and md5sums,
 *  info/format, diversions. */
export function isDpkgDbPath(relPath: string): boolean {
  return classifyDpkgDbPath(relPath) !== null;
}

/**
 * The info files that may hold `pkg`'s data, most likely first, as image-relative paths:
 * `var/lib/dpkg/info/libc6:amd64.list` then `var/lib/dpkg/info/libc6.list`. dpkg names them
 * `<name>:<arch>` only for `Multi-Arch: same` packages, and only once `info/format` says `1`;
 * databases from before multiarch use the bare name.
 */
export function dpkgInfoCandidates(
  pkg: Pick<DpkgPackage, 'name' | 'infoKey'>,
  ext: 'list' | 'md5sums' | 'conffiles' = 'list',
): string[] {
  const first = `${DPKG_INFO_DIR}${pkg.infoKey}.${ext}`;
  if (pkg.infoKey === pkg.name) return [first];
  return [first, `${DPKG_INFO_DIR}${pkg.name}.${ext}`];
}

/** The md5sums file distroless images put next to a `status.d/<name>` stanza file. */
export function dpkgStatusDMd5sumsPath(statusDPath: string): string {
  return `${statusDPath}.md5sums`;
}
