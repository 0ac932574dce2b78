/**
 * Reads the header names out of C/C++ headers (`#include "x"`, `#include <x>`) and ROOT rootmaps
 * (`header x` lines, one per selected class, as rootcling writes them). Pure: bytes in, names out.
 */

/** One header name: `angle` for `<x>` (searched on the include path only, never next to the includer). */
export interface IncludeRef {
  name: string;
  angle: boolean;
}

const HASH = 0x23;
const NL = 0x0a;
const QUOTE = 0x22;
const LT = 0x3c;
const GT = 0x3e;
const INCLUDE = Buffer.from('include');
const NEXT = Buffer.from('_next');

const isBlank = (c: number): boolean => c === 0x20 || c === 0x09;

function matchesAt(b: Uint8Array, at: number, word: Uint8Array): boolean {
  if (at + word.length > b.length) return false;
  for (let i = 0; i < word.length; i++) if (b[at + i] !== word[i]) return false;
  return true;
}

/** Called with each name's byte range in the buffer (Latin-1; paths in headers are ASCII in practice). */
export type NameSink = (from: number, to: number, angle: boolean) => void;

/**
 * The `#include` directives of a header, in order: `#` first on its line (after blanks), blanks
 * allowed around it; `#include_next` counts too. Directives inside comments or `#if 0` are
 * included: a header kept for nothing costs little, one dropped that is needed breaks a job.
 */
export function forEachInclude(buf: Uint8Array, sink: NameSink): void {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  let from = 0;
  for (;;) {
    // '#' is rare outside directives, and a one-byte search is memchr: several times faster than
    // looking for the word
    const h = b.indexOf(HASH, from);
    if (h < 0) return;
    from = h + 1;
    let s = h - 1;
    while (s >= 0 && isBlank(b[s]!)) s--;
    if (s >= 0 && b[s] !== NL && b[s] !== 0x0d) continue;
    let at = from;
    while (at < b.length && isBlank(b[at]!)) at++;
    if (!matchesAt(b, at, INCLUDE)) continue;
    from = at + INCLUDE.length;
    let p = from;
    if (matchesAt(b, p, NEXT)) p += NEXT.length;
    while (p < b.length && isBlank(b[p]!)) p++;
    const open = b[p];
    if (open !== QUOTE && open !== LT) continue;
    const close = open === QUOTE ? QUOTE : GT;
    let e = p + 1;
    while (e < b.length && b[e] !== close && b[e] !== NL) e++;
    if (e >= b.length || b[e] !== close || e === p + 1) continue;
    sink(p + 1, e, open === LT);
    from = e + 1;
  }
}

const HEADER_KEYWORD = Buffer.from('header ');

/** Calls `line(from, to)` for each line of `buf` (without its newline). */
function forEachLine(buf: Uint8Array, line: (from: number, to: number) => void): void {
  for (let from = 0; from < buf.length; ) {
    let end = buf.indexOf(NL, from);
    if (end < 0) end = buf.length;
    line(from, end);
    from = end + 1;
  }
}

/** The `header` lines of a rootmap (the headers cling parses to autoload its classes). */
export function forEachRootmapHeader(buf: Uint8Array, sink: NameSink): void {
  forEachLine(buf, (line, end) => {
    if (end - line <= HEADER_KEYWORD.length || !matchesAt(buf, line, HEADER_KEYWORD)) return;
    let from = line + HEADER_KEYWORD.length;
    let to = end;
    while (from < to && buf[from]! <= 0x20) from++;
    while (to > from && buf[to - 1]! <= 0x20) to--;
    if (to > from) sink(from, to, true);
  });
}

/** The libraries a rootmap maps its classes to: the names in its `[ libA.so libB.so ]` lines. */
export function forEachRootmapLibrary(buf: Uint8Array, sink: NameSink): void {
  forEachLine(buf, (line, end) => {
    if (buf[line] !== 0x5b /* [ */) return;
    const close = buf.indexOf(0x5d /* ] */, line);
    const stop = close >= 0 && close < end ? close : end;
    for (let p = line + 1; p < stop; ) {
      while (p < stop && buf[p]! <= 0x20) p++;
      const from = p;
      while (p < stop && buf[p]! > 0x20) p++;
      if (p > from) sink(from, p, false);
    }
  });
}

const collect = (scan: (buf: Uint8Array, sink: NameSink) => void) => (buf: Uint8Array): IncludeRef[] => {
  const out: IncludeRef[] = [];
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  scan(buf, (from, to, angle) => out.push({ name: b.toString('latin1', from, to), angle }));
  return out;
};

/** `forEachInclude` as a list of names. */
export const scanIncludes = collect(forEachInclude);
/** `forEachRootmapHeader` as a list of names. */
export const scanRootmapHeaders = collect(forEachRootmapHeader);
/** `forEachRootmapLibrary` as a list of names. */
export const scanRootmapLibraries = collect(forEachRootmapLibrary);

/** Files whose `#include` lines matter: anything in an `include`/`inc` tree or named like a header. */
export function isHeaderPath(path: string): boolean {
  if (path.includes('/include/') || path.includes('/inc/') || path.startsWith('include/') || path.startsWith('inc/')) return true;
  const dot = path.lastIndexOf('.');
  if (dot < path.lastIndexOf('/')) return false;
  return HEADER_EXT.has(path.slice(dot + 1));
}

const HEADER_EXT = new Set(['h', 'hh', 'hpp', 'hxx', 'h++', 'icc', 'tcc', 'inl', 'ipp', 'tpp']);

export function isRootmapPath(path: string): boolean {
  return path.endsWith('.rootmap');
}

/**
 * Dictionary libraries by name (`lib<pkg>_dict.so`, as genreflex/cetbuildtools and Mu2e's SCons
 * name them; `…Dict.so`): rootcling embeds their payload, `#include` lines of the dictionary's
 * headers, which cling parses for classes the rootmap has no header line for (templates).
 */
export function isDictionaryLibraryPath(path: string): boolean {
  return /(?:_dict|Dict)\.so(?:\.\d+)*$/.test(path);
}
