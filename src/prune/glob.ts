/**
 * Path globs compiled for a walk over the path trie. A pattern (micromatch syntax, matched as with
 * `{ dot: true }` against absolute paths like `/usr/share/doc/x`) is split into segments after brace
 * expansion; matching runs one small automaton per pattern down the tree, one step per path
 * component, so no path string is ever built and a pattern whose literal prefix a directory does
 * not share is dropped for that whole subtree.
 *
 * Segment kinds: `**` alone (any number of components, also none), a literal name, `*` (any name),
 * simple `prefix*`/`*suffix` forms, and anything else as micromatch's own regex for one component.
 * The automaton state is a bit mask: bit i = "the first i segments are consumed".
 */
import type Micromatch from 'micromatch';
import { lazyRequire } from '../util/lazy-require.js';

const micromatch = lazyRequire<typeof Micromatch>('micromatch');

const GLOBSTAR = 0;
const LITERAL = 1;
const ANY = 2;
const PREFIX = 3;
const SUFFIX = 4;
const REGEX = 5;

/** Patterns may have at most this many segments (the state is a 32-bit mask). */
export const MAX_SEGMENTS = 30;
/** Brace expansion may give at most this many patterns. */
export const MAX_EXPANSIONS = 256;

export interface CompiledGlob {
  /** The pattern as written (after brace expansion). */
  source: string;
  kinds: Uint8Array;
  /** Literal text / prefix / suffix per segment ('' for others). */
  text: string[];
  regex: (RegExp | null)[];
  /** Mask of the start state (after skipping leading `**`). */
  start: number;
  /** Bit of the accepting state. */
  accept: number;
}

const MM = { dot: true } as const;

function isPlain(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // * ? [ ] { } ( ) ! + @ \
    if (c === 42 || c === 63 || c === 91 || c === 93 || c === 123 || c === 125 || c === 40 || c === 41 || c === 33 || c === 43 || c === 64 || c === 92) return false;
  }
  return true;
}

/** Problems that make a pattern unusable, as a short lowercase reason; null when fine. */
export function globProblem(pattern: string): string | null {
  const p = pattern.startsWith('!') ? pattern.slice(1) : pattern;
  if (p === '') return 'empty pattern';
  if (!p.startsWith('/') && p !== '**' && !p.startsWith('**/')) return 'must start with "/" (paths are absolute, e.g. "/usr/share/doc/**") or "**/"';
  let depth = 0;
  let bracket = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (bracket) {
      if (c === ']') bracket = false;
      else if (c === '/') return 'a "/" inside [...] is not supported';
      continue;
    }
    if (c === '[') bracket = true;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === '/' && depth > 0) return 'a "/" inside an extglob (...) is not supported';
  }
  let expanded: string[];
  try {
    expanded = expandBraces(p);
  } catch (err) {
    return (err as Error).message;
  }
  for (const e of expanded) {
    const segs = splitSegments(e);
    if (segs.length > MAX_SEGMENTS) return `more than ${MAX_SEGMENTS} path components`;
    for (const s of segs) {
      if (s === '') return 'empty path component ("//" or a trailing "/")';
      if (s === '.' || s === '..') return `"${s}" components are not supported`;
    }
  }
  return null;
}

function expandBraces(p: string): string[] {
  if (!p.includes('{')) return [p];
  const out = micromatch().braces(p, { expand: true });
  if (out.length > MAX_EXPANSIONS) throw new Error(`braces expand to more than ${MAX_EXPANSIONS} patterns`);
  return out;
}

function splitSegments(p: string): string[] {
  const body = p.startsWith('/') ? p.slice(1) : p;
  return body === '' ? [] : body.split('/');
}

/** Compiles one pattern (without a leading `!`) into one automaton per brace expansion. */
export function compileGlob(pattern: string): CompiledGlob[] {
  const problem = globProblem(pattern);
  if (problem !== null) throw new Error(`glob ${JSON.stringify(pattern)}: ${problem}`);
  return expandBraces(pattern).map((source) => {
    const segs = splitSegments(source);
    const n = segs.length;
    const kinds = new Uint8Array(n);
    const text: string[] = [];
    const regex: (RegExp | null)[] = [];
    for (let i = 0; i < n; i++) {
      const s = segs[i]!;
      let kind: number;
      let t = '';
      let re: RegExp | null = null;
      if (s === '**') kind = GLOBSTAR;
      else if (isPlain(s)) {
        kind = LITERAL;
        t = s;
      } else if (s === '*' || /^\*+$/.test(s)) kind = ANY;
      else if (s.endsWith('*') && !s.endsWith('**') && isPlain(s.slice(0, -1))) {
        kind = PREFIX;
        t = s.slice(0, -1);
      } else if (s.startsWith('*') && !s.startsWith('**') && isPlain(s.slice(1))) {
        kind = SUFFIX;
        t = s.slice(1);
      } else {
        kind = REGEX;
        re = micromatch().makeRe(s, MM);
      }
      kinds[i] = kind;
      text.push(t);
      regex.push(re);
    }
    const g: CompiledGlob = { source, kinds, text, regex, start: 0, accept: 1 << n };
    g.start = closure(g, 1);
    return g;
  });
}

/** Adds the states reachable by letting `**` segments match nothing. */
function closure(g: CompiledGlob, mask: number): number {
  const k = g.kinds.length;
  for (let i = 0; i < k; i++) if (mask & (1 << i) && g.kinds[i] === GLOBSTAR) mask |= 1 << (i + 1);
  return mask;
}

function segmentMatches(g: CompiledGlob, i: number, name: string): boolean {
  switch (g.kinds[i]) {
    case LITERAL:
      return name === g.text[i];
    case ANY:
      return name.length > 0;
    case PREFIX:
      return name.startsWith(g.text[i]!);
    case SUFFIX:
      return name.endsWith(g.text[i]!);
    default:
      return g.regex[i]!.test(name);
  }
}

/** The state after one more path component `name`; 0 when the pattern can no longer match below. */
export function stepGlob(g: CompiledGlob, mask: number, name: string): number {
  const k = g.kinds.length;
  let next = 0;
  for (let i = 0; i < k; i++) {
    if ((mask & (1 << i)) === 0) continue;
    if (g.kinds[i] === GLOBSTAR) next |= 1 << i;
    else if (segmentMatches(g, i, name)) next |= 1 << (i + 1);
  }
  return next === 0 ? 0 : closure(g, next);
}

/** Whole-path matching with the automaton (tests and one-off checks): `/a/b` style paths. */
export function globMatchesPath(g: CompiledGlob, absPath: string): boolean {
  let mask = g.start;
  for (const part of splitSegments(absPath)) {
    if (part === '') continue;
    mask = stepGlob(g, mask, part);
    if (mask === 0) return false;
  }
  return (mask & g.accept) !== 0;
}
