/**
 * Parses dpkg's per-package file lists: `info/<pkg>[:arch].list`, `info/<pkg>[:arch].md5sums` (and
 * distroless `status.d/<pkg>.md5sums`), and the `diversions` table.
 */
import type { Finding } from '../../findings.js';

export interface DpkgFileListResult {
  /** Absolute paths, directories included, in file order; the `/.` root entry is dropped. */
  paths: string[];
  findings: Finding[];
}

/**
 * `info/<pkg>.list`: one absolute path per line, written by dpkg for every file, directory and
 * symlink the package shipped (first line `/.`). Paths are taken verbatim: a path may legally end
 * in spaces or hold a carriage return.
 */
export function parseDpkgFileList(text: string, source = 'dpkg file list'): DpkgFileListResult {
  const paths: string[] = [];
  const findings: Finding[] = [];
  forEachLine(text, (line, lineNo) => {
    if (line === '' || line === '/.') return;
    if (line.charCodeAt(0) !== 47 /* / */) {
      findings.push({
        severity: 'warning',
        code: 'dpkg-list-bad-line',
        message: `${source}: line ${lineNo} is not an absolute path: ${JSON.stringify(line.slice(0, 80))}`,
        path: source,
      });
      return;
    }
    paths.push(line);
  });
  return { paths, findings };
}

export interface DpkgMd5sum {
  /** Absolute path. */
  path: string;
  md5: string;
}

export interface DpkgMd5sumsResult {
  files: DpkgMd5sum[];
  findings: Finding[];
}

/**
 * `<md5>  <path>` per line, path relative to the root (`usr/bin/x`); returned absolute. Regular
 * files only: md5sums never lists directories or symlinks.
 */
export function parseDpkgMd5sums(text: string, source = 'dpkg md5sums'): DpkgMd5sumsResult {
  const files: DpkgMd5sum[] = [];
  const findings: Finding[] = [];
  forEachLine(text, (line, lineNo) => {
    if (line === '') return;
    const sp = line.indexOf(' ');
    let p = sp + 1;
    while (p < line.length && line.charCodeAt(p) === 32) p++;
    // md5sum's binary-mode marker: "<md5> *<path>".
    if (p < line.length && line.charCodeAt(p) === 42 /* * */ && p === sp + 1) p++;
    const md5 = sp === -1 ? '' : line.slice(0, sp);
    if (!isMd5(md5) || p >= line.length) {
      findings.push({
        severity: 'warning',
        code: 'dpkg-md5sums-bad-line',
        message: `${source}: line ${lineNo} is not "<md5>  <path>": ${JSON.stringify(line.slice(0, 80))}`,
        path: source,
      });
      return;
    }
    const rel = line.slice(p);
    files.push({ path: rel.charCodeAt(0) === 47 ? rel : `/${rel}`, md5: md5.toLowerCase() });
  });
  return { files, findings };
}

export interface DpkgDiversion {
  /** The path the package (or admin) moved away. */
  from: string;
  /** Where the diverted file lives now. */
  to: string;
  /** Package that holds the diversion, or null for a local (admin, `:`) diversion. */
  by: string | null;
}

export interface DpkgDiversionsResult {
  diversions: DpkgDiversion[];
  findings: Finding[];
}

/** `var/lib/dpkg/diversions`: records of three lines: from, to, package (`:` = local). */
export function parseDpkgDiversions(text: string, source = 'var/lib/dpkg/diversions'): DpkgDiversionsResult {
  const lines: string[] = [];
  forEachLine(text, (line) => {
    lines.push(line);
  });
  // forEachLine yields a final empty line only if the text ends with "\n\n"; drop blank tails.
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const diversions: DpkgDiversion[] = [];
  const findings: Finding[] = [];
  const whole = lines.length - (lines.length % 3);
  for (let i = 0; i < whole; i += 3) {
    const from = lines[i];
    const to = lines[i + 1];
    const by = lines[i + 2];
    if (!from.startsWith('/') || !to.startsWith('/') || by === '') {
      findings.push({
        severity: 'warning',
        code: 'dpkg-diversions-bad-record',
        message: `${source}: record at line ${i + 1} is not "from, to, package": ${JSON.stringify([from, to, by])}`,
        path: source,
      });
      continue;
    }
    diversions.push({ from, to, by: by === ':' ? null : by });
  }
  if (whole !== lines.length) {
    findings.push({
      severity: 'warning',
      code: 'dpkg-diversions-truncated',
      message: `${source}: has ${lines.length} lines, not a multiple of 3; ignoring the last ${lines.length - whole}`,
      path: source,
    });
  }
  return { diversions, findings };
}

/** Diversions keyed by the diverted path, for `divertedPath`. */
export function indexDpkgDiversions(diversions: readonly DpkgDiversion[]): Map<string, DpkgDiversion> {
  const index = new Map<string, DpkgDiversion>();
  for (const d of diversions) index.set(d.from, d);
  return index;
}

/**
 * Where a file that package `pkgName` lists at `path` really lives. A diversion sends every
 * package's copy of `from` to `to`, except the diverting package's own copy; a local diversion
 * sends every package's copy. (This is what `dpkg-query -L` annotates as "diverted to".)
 */
export function divertedPath(path: string, pkgName: string, index: ReadonlyMap<string, DpkgDiversion>): string {
  const d = index.get(path);
  if (d === undefined || d.by === pkgName) return path;
  return d.to;
}

/** Calls `fn` per line (without `\n`), 1-based numbers; no trailing empty line for a final `\n`. */
function forEachLine(text: string, fn: (line: string, lineNo: number) => void): void {
  let pos = 0;
  let lineNo = 0;
  const len = text.length;
  while (pos < len) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = len;
    fn(text.slice(pos, end), ++lineNo);
    pos = end + 1;
  }
}

function isMd5(s: string): boolean {
  if (s.length !== 32) return false;
  for (let i = 0; i < 32; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}
