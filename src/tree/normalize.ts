/**
 * Normalises tar entry names the way a container runtime applies them: relative to the root,
 * `.` dropped, `..` never climbing above the root, no trailing slash. Hostile names are reported,
 * not rejected: the analysis shows where a runtime would put them.
 */
export type PathIssue = 'absolute' | 'escapes-root' | 'nul-byte';

export interface NormalizedName {
  /** Relative path without leading or trailing slash; '' is the root. */
  path: string;
  issue: PathIssue | null;
}

const OK: PathIssue | null = null;

export function normalizeEntryName(name: string): NormalizedName {
  // Fast path for the usual "usr/bin/x", "./usr/bin/x" and "usr/lib/" shapes.
  let s = name;
  if (s.startsWith('./')) s = s.slice(2);
  if (s.endsWith('/')) s = s.slice(0, -1);
  if (
    s.charCodeAt(0) !== 0x2f /* / */ &&
    s.indexOf('//') === -1 &&
    s.indexOf('\0') === -1 &&
    !hasDotComponent(s)
  ) {
    return { path: s, issue: OK };
  }
  return slowNormalize(name);
}

function hasDotComponent(s: string): boolean {
  // A `.` or `..` component starts the name or follows a slash; most names have neither.
  if (s.charCodeAt(0) !== 0x2e /* . */ && s.indexOf('/.') === -1) return false;
  if (s === '.' || s === '..') return true;
  if (s.startsWith('./') || s.startsWith('../')) return true;
  if (s.endsWith('/.') || s.endsWith('/..')) return true;
  return s.includes('/./') || s.includes('/../');
}

function slowNormalize(name: string): NormalizedName {
  let issue: PathIssue | null = null;
  let s = name;
  if (s.includes('\0')) {
    issue = 'nul-byte';
    s = s.replaceAll('\0', '\uFFFD');
  }
  if (s.startsWith('/') && issue === null) issue = 'absolute';
  const out: string[] = [];
  for (const part of s.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) issue ??= 'escapes-root';
      else out.pop();
      continue;
    }
    out.push(part);
  }
  return { path: out.join('/'), issue };
}

/** Resolves a symlink target against the link's directory, inside the root (never above it). */
export function resolveLinkTarget(linkDir: string, target: string): string {
  const parts = target.startsWith('/') ? [] : linkDir === '' ? [] : linkDir.split('/');
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
