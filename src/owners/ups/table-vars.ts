/**
 * Expanding `${VAR}` references in UPS table values the way `setup` would for one build:
 * UPS's own variables (`UPS_PROD_DIR`, `UPS_PROD_FLAVOR`, `UPS_PROD_QUALIFIERS`, …), the
 * `<PROD>_DIR` that `setupEnv()`/`prodDir()` define, and the table's own `envSet`s. Nested names
 * (`${${UPS_PROD_NAME_UC}_FQ_DIR}`, cetbuildtools tables) expand inside out. A variable with several
 * definitions (`if … envSet(X_LIB, …/lib) … endif`, `if … envSet(X_LIB, …/lib64)`) yields every
 * value; the caller keeps the ones that exist. Anything else (another product's variables, shell
 * commands in backticks other than cetmodules' `get-directory-name subdir`) is unresolved: never
 * guessed.
 */

export interface ExpandContext {
  /** Variables with known values. */
  known: Map<string, string[]>;
  /** Table definitions, name → raw values as written (expanded on use). */
  defs: Map<string, string[]>;
  /** What `${CET_SUBDIR}` / `` `get-directory-name subdir` `` can be for this build's flavor. */
  cetSubdirs: string[];
}

export type Expansion = { values: string[]; unresolved?: undefined } | { values?: undefined; unresolved: string };

const MAX_VALUES = 32;
const MAX_DEPTH = 16;

const GET_DIRECTORY_NAME = /^get-directory-name\s+subdir$/;

export function expandTableValue(value: string, ctx: ExpandContext, depth = 0, resolving: Set<string> = new Set()): Expansion {
  if (depth > MAX_DEPTH) return { unresolved: value };
  let work = [value];
  for (let guard = 0; guard < 64; guard++) {
    const s = work.find((w) => w.includes('${') || w.includes('`'));
    if (s === undefined) return { values: dedupe(work) };
    let replacements: string[];
    let start: number;
    let end: number;
    const i = s.lastIndexOf('${');
    if (i >= 0) {
      const j = s.indexOf('}', i + 2);
      if (j < 0) return { unresolved: s };
      const name = s.slice(i + 2, j);
      start = i;
      end = j + 1;
      const r = resolveName(name, ctx, depth, resolving);
      if (r.unresolved !== undefined) return r;
      replacements = r.values;
    } else {
      const b = s.indexOf('`');
      const e = s.indexOf('`', b + 1);
      if (e < 0) return { unresolved: s };
      const cmd = s.slice(b + 1, e).trim();
      if (!GET_DIRECTORY_NAME.test(cmd) || ctx.cetSubdirs.length === 0) return { unresolved: `\`${cmd}\`` };
      start = b;
      end = e + 1;
      replacements = ctx.cetSubdirs;
    }
    const next: string[] = [];
    for (const w of work) {
      if (w !== s) next.push(w);
      else for (const r of replacements) next.push(w.slice(0, start) + r + w.slice(end));
    }
    if (next.length > MAX_VALUES) return { unresolved: value };
    work = next;
  }
  return { unresolved: value };
}

function resolveName(name: string, ctx: ExpandContext, depth: number, resolving: Set<string>): Expansion {
  const known = ctx.known.get(name);
  if (known) return { values: known };
  if (name === 'CET_SUBDIR' && ctx.cetSubdirs.length) return { values: ctx.cetSubdirs };
  const defs = ctx.defs.get(name);
  if (!defs || resolving.has(name)) return { unresolved: `\${${name}}` };
  resolving.add(name);
  const values: string[] = [];
  try {
    for (const d of defs) {
      const r = expandTableValue(d, ctx, depth + 1, resolving);
      if (r.unresolved !== undefined) return r;
      values.push(...r.values);
    }
  } finally {
    resolving.delete(name);
  }
  return { values: dedupe(values) };
}

function dedupe(a: string[]): string[] {
  return [...new Set(a)];
}
