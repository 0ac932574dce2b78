/** Path helpers for in-image relative paths (no leading slash, `/` separated). */

/** Normalise: drop empty and `.` segments, apply `..` (never above the image root). */
export function normalizePath(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out.join('/');
}

/** Join and normalise; a later absolute part (leading `/`) restarts from the image root. */
export function joinPath(...parts: (string | null | undefined)[]): string {
  let acc = '';
  for (const p of parts) {
    if (!p) continue;
    if (p.charCodeAt(0) === 47) acc = p;
    else acc = acc === '' ? p : `${acc}/${p}`;
  }
  return normalizePath(acc);
}

/** Parent of a relative path (`''` for a top-level name). */
export function parentPath(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

export function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** True when `p` is `dir` or lies below it (`dir` `''` is the image root). */
export function isWithin(p: string, dir: string): boolean {
  if (dir === '') return true;
  return p === dir || (p.length > dir.length && p.charCodeAt(dir.length) === 47 && p.startsWith(dir));
}
