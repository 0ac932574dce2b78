/**
 * Rule files (`rules/<name>.json`): their shape, and validation against docs/rules.schema.json plus
 * the checks a schema cannot express (globs, owner selectors, sizes, duplicate names). Pure: takes
 * the parsed JSON and the file name, returns the file or one line per problem, each naming the rule
 * and the key ("rule \"docs\" (rules[2]): unknown key \"pahts\"; did you mean \"paths\"?").
 */
import type AjvModule from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { lazyRequire } from '../util/lazy-require.js';
import { parseSize } from '../util/size.js';
import { globProblem } from './glob.js';
import { parseOwnerSelector } from './owner-selector.js';
import type { Rule } from './types.js';

/** A rule as written in a file: a `Rule` whose size may still be text ("10MB") and that names no set. */
export type RuleFileRule = Omit<Rule, 'minSize' | 'set'> & { minSize?: number | string };

export interface RuleFile {
  $schema?: string;
  name: string;
  description: string;
  extends?: string[];
  disable?: string[];
  rules: RuleFileRule[];
}

const ajvModule = lazyRequire<typeof AjvModule>('ajv');

let compiled: ValidateFunction | null = null;

/** The compiled schema validator; `schema` is docs/rules.schema.json, parsed. */
export function ruleFileValidator(schema: object): ValidateFunction {
  if (!compiled) {
    const ajv = new (ajvModule().default)({ allErrors: true, strict: false, verbose: true });
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/** Problems with a parsed rule file, one line each (without the file name); [] when valid. */
export function ruleFileProblems(data: unknown, validate: ValidateFunction): string[] {
  if (!validate(data)) return explainSchemaErrors(validate.errors ?? [], data);
  return semanticProblems(data as RuleFile);
}

function semanticProblems(f: RuleFile): string[] {
  const out: string[] = [];
  const seen = new Map<string, number>();
  f.rules.forEach((r, i) => {
    const where = ruleWhere(f, i);
    const prior = seen.get(r.name);
    if (prior !== undefined) out.push(`${where}: the name is already used by rules[${prior}]`);
    else seen.set(r.name, i);
    (r.paths ?? []).forEach((p, j) => {
      const problem = globProblem(p);
      if (problem !== null) out.push(`${where}: paths[${j}] ${JSON.stringify(p)}: ${problem}`);
    });
    (r.owners ?? []).forEach((o, j) => {
      try {
        parseOwnerSelector(o);
      } catch (err) {
        out.push(`${where}: owners[${j}] ${JSON.stringify(o)}: ${(err as Error).message}`);
      }
    });
    if (r.paths && r.paths.every((p) => p.startsWith('!')) && !r.owners) {
      out.push(`${where}: paths has only negated patterns ("!…"), so the rule would select nothing; add a pattern to carve them out of`);
    }
    if (typeof r.minSize === 'string' && parseSize(r.minSize) === null) {
      out.push(`${where}: minSize ${JSON.stringify(r.minSize)} is not a size (use bytes or e.g. "10MB", "500KiB")`);
    }
    if (r.action !== 'drop' && r.allowPartial !== undefined) out.push(`${where}: allowPartial is for drop rules`);
  });
  return out;
}

function ruleWhere(f: unknown, i: number): string {
  const rules = (f as { rules?: unknown })?.rules;
  const r = Array.isArray(rules) ? (rules[i] as { name?: unknown } | undefined) : undefined;
  return typeof r?.name === 'string' ? `rule "${r.name}" (rules[${i}])` : `rules[${i}]`;
}

/** `/rules/2/paths/0` → where + the key inside the rule. */
function locate(pointer: string, data: unknown): { where: string; key: string } {
  const parts = pointer === '' ? [] : pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (parts[0] === 'rules' && parts.length >= 2) {
    const i = Number(parts[1]);
    const rest = parts.slice(2);
    const key = rest.length === 0 ? '' : rest.length === 1 ? rest[0]! : `${rest[0]}[${rest.slice(1).join('][')}]`;
    return { where: ruleWhere(data, i), key };
  }
  const key = parts.length === 0 ? '' : parts.length === 1 ? parts[0]! : `${parts[0]}[${parts.slice(1).join('][')}]`;
  return { where: '', key };
}

const join = (where: string, text: string): string => (where ? `${where}: ${text}` : text);

function explainSchemaErrors(errors: ErrorObject[], data: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (line: string) => {
    if (!seen.has(line)) {
      seen.add(line);
      out.push(line);
    }
  };
  // a rule without paths and owners fails both branches of anyOf: say it once
  const anyOfAt = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  // unknown keys first: the likeliest mistake, and the other problems often follow from it
  const ordered = [...errors.filter((e) => e.keyword === 'additionalProperties'), ...errors.filter((e) => e.keyword !== 'additionalProperties')];
  for (const e of ordered) {
    const { where, key } = locate(e.instancePath, data);
    const at = key ? `${key} ` : '';
    switch (e.keyword) {
      case 'additionalProperties': {
        const extra = (e.params as { additionalProperty: string }).additionalProperty;
        const known = Object.keys((e.parentSchema as { properties?: Record<string, unknown> })?.properties ?? {});
        const best = closest(extra, known);
        const hint = best ? `; did you mean "${best}"?` : `; valid keys: ${known.join(', ')}`;
        add(join(where, `unknown key "${key ? `${key}.` : ''}${extra}"${hint}`));
        break;
      }
      case 'required': {
        const missing = (e.params as { missingProperty: string }).missingProperty;
        if (anyOfAt.has(e.instancePath) && (missing === 'paths' || missing === 'owners')) break;
        add(join(where, `missing key "${missing}"`));
        break;
      }
      case 'anyOf':
        add(join(where, 'a rule needs "paths" or "owners" (or both) to select anything'));
        break;
      case 'enum': {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ');
        add(join(where, `${at}must be one of ${allowed}, got ${JSON.stringify(valueAt(data, e.instancePath))}`));
        break;
      }
      case 'pattern': {
        const v = valueAt(data, e.instancePath);
        add(join(where, `${at}${JSON.stringify(v)} ${patternHint(key)}`));
        break;
      }
      case 'oneOf':
        if (key.startsWith('minSize')) add(join(where, `minSize must be a number of bytes or a size like "10MB", got ${JSON.stringify(valueAt(data, e.instancePath))}`));
        else add(join(where, `${at}${e.message ?? 'is not valid'}`));
        break;
      case 'type':
      case 'minimum':
      case 'minItems':
      case 'minLength': {
        // the `type` error inside minSize's oneOf is explained by the oneOf line
        if (key.startsWith('minSize')) break;
        const what = e.keyword === 'type' ? `must be ${(e.params as { type: string }).type === 'array' ? 'a list' : `a ${(e.params as { type: string }).type}`}` : (e.message ?? 'is not valid');
        add(join(where, `${at || 'the file '}${what}`.trim()));
        break;
      }
      default:
        add(join(where, `${at}${e.message ?? 'is not valid'}`));
    }
  }
  return out;
}

function patternHint(key: string): string {
  if (key.startsWith('paths')) return 'must be an absolute glob starting with "/" or "**/" (a leading "!" negates)';
  if (key.startsWith('owners')) return 'must be an owner selector like "rpm:*-devel", "dpkg:lib*-dev", "ups:root/*/*/debug" or "dir:/opt/*"';
  if (key.startsWith('disable')) return 'must name a rule as "<set>/<rule>"';
  if (key === 'name') return 'must be lowercase letters, digits, ".", "_" or "-", starting with a letter or digit';
  return 'has the wrong form';
}

function valueAt(data: unknown, pointer: string): unknown {
  let v: unknown = data;
  if (pointer === '') return v;
  for (const p of pointer.slice(1).split('/')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[p.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return v;
}

/** The known key closest to a misspelt one (edit distance ≤ 2, or a prefix), else null. */
export function closest(word: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const k of known) {
    if (k.startsWith('$')) continue;
    const d = distance(word.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== null && (bestD <= 2 || best.toLowerCase().startsWith(word.toLowerCase())) ? best : null;
}

/** Damerau-Levenshtein (optimal string alignment) distance. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
