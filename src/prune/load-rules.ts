/**
 * Finds, reads, validates and composes rule sets: `--rules generic --rules ./mine.json` and the
 * `extends` of each file, depth first, each file once, in order. Built-in sets live in `rules/` at
 * the package root. Every problem is a UsageError naming the file (and the rule and key).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import { parseSize } from '../util/size.js';
import { ruleFileProblems, ruleFileValidator, type RuleFile } from './rule-file.js';
import type { Rule, RuleSet } from './types.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The package root (holding `rules/` and `docs/`), from src/prune or dist/src/prune. */
export function packageRoot(): string {
  for (const rel of ['../..', '../../..']) {
    const root = path.resolve(here, rel);
    if (existsSync(path.join(root, 'rules', 'generic.json')) && existsSync(path.join(root, 'docs', 'rules.schema.json'))) return root;
  }
  throw new Error(`cannot find whittle's rules/ and docs/ directories above ${here}`);
}

export function builtinRulesDir(): string {
  return path.join(packageRoot(), 'rules');
}

/** Names of the built-in rule sets (`rules/*.json`), sorted. */
export function builtinRuleSets(): string[] {
  return readdirSync(builtinRulesDir())
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

let schemaMemo: object | null = null;
function schema(): object {
  if (!schemaMemo) schemaMemo = JSON.parse(readFileSync(path.join(packageRoot(), 'docs', 'rules.schema.json'), 'utf8')) as object;
  return schemaMemo;
}

/** Whether a `--rules` argument names a file rather than a built-in set. */
function looksLikePath(spec: string): boolean {
  return spec.includes('/') || spec.includes(path.sep) || spec.endsWith('.json') || spec.startsWith('.');
}

function displayPath(file: string, cwd: string): string {
  const builtin = builtinRulesDir();
  if (path.dirname(file) === builtin) return `rules/${path.basename(file)}`;
  const rel = path.relative(cwd, file);
  return rel.startsWith('..') ? file : rel;
}

function resolveSpec(spec: string, baseDir: string, from: string | null): string {
  if (looksLikePath(spec)) {
    const file = path.resolve(baseDir, spec);
    if (!existsSync(file)) throw new UsageError(`${from ? `${from}: extends ` : ''}rule file ${spec} not found`);
    return file;
  }
  const file = path.join(builtinRulesDir(), `${spec}.json`);
  if (!existsSync(file)) {
    throw new UsageError(`${from ? `${from}: extends ` : ''}unknown rule set "${spec}"`, {
      hint: `built-in rule sets: ${builtinRuleSets().join(', ')}; or give the path of a .json rule file`,
    });
  }
  return file;
}

/** Reads and validates one rule file (no `extends` resolution). */
export function readRuleFile(file: string, cwd = process.cwd()): RuleFile {
  const shown = displayPath(file, cwd);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`reading rule file ${shown}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`rule file ${shown} is not valid JSON: ${(err as Error).message}`);
  }
  const problems = ruleFileProblems(data, ruleFileValidator(schema()));
  if (problems.length === 1) throw new UsageError(`rule file ${shown}: ${problems[0]}`);
  if (problems.length > 1) throw new UsageError(`rule file ${shown} has ${problems.length} problems:\n  ${problems.join('\n  ')}`);
  return data as RuleFile;
}

function toRule(set: string, r: RuleFile['rules'][number]): Rule {
  const rule: Rule = { name: `${set}/${r.name}`, action: r.action, set };
  if (r.why !== undefined) rule.why = r.why;
  if (r.paths) rule.paths = [...r.paths];
  if (r.owners) rule.owners = [...r.owners];
  if (r.type !== undefined && r.type !== 'any') rule.type = r.type;
  if (r.elf !== undefined) rule.elf = r.elf;
  if (r.minSize !== undefined) rule.minSize = typeof r.minSize === 'number' ? r.minSize : parseSize(r.minSize)!;
  if (r.dictionaryHeader !== undefined) rule.dictionaryHeader = r.dictionaryHeader;
  if (r.allowPartial) rule.allowPartial = true;
  return rule;
}

interface Loaded {
  names: string[];
  sources: string[];
  rules: Rule[];
  descriptions: string[];
}

/**
 * Resolves `--rules` arguments (built-in names or file paths, composed in order) into one rule set.
 * Throws UsageError for unknown names, missing files, invalid files, `extends` cycles and bad
 * `disable` entries.
 */
export function loadRuleSet(specs: readonly string[], cwd = process.cwd()): RuleSet {
  if (specs.length === 0) throw new UsageError('no rule set given', { hint: `use --rules with one of ${builtinRuleSets().join(', ')} or a .json file` });
  const acc: Loaded = { names: [], sources: [], rules: [], descriptions: [] };
  const included = new Set<string>();
  const stack: string[] = [];
  const setNames = new Map<string, string>(); // set name → file

  const nameOf = new Map<string, string>(); // file → set name
  const include = (file: string): string => {
    if (included.has(file)) return nameOf.get(file)!;
    const shown = displayPath(file, cwd);
    if (stack.includes(file)) throw new UsageError(`rule file ${shown}: extends itself through ${[...stack.slice(stack.indexOf(file)), file].map((f) => displayPath(f, cwd)).join(' → ')}`);
    stack.push(file);
    const f = readRuleFile(file, cwd);
    for (const ext of f.extends ?? []) include(resolveSpec(ext, path.dirname(file), shown));
    stack.pop();
    const other = setNames.get(f.name);
    if (other !== undefined && other !== file) {
      throw new UsageError(`rule file ${shown}: the rule set name "${f.name}" is also used by ${displayPath(other, cwd)}`, { hint: 'give each rule file its own "name"' });
    }
    setNames.set(f.name, file);
    for (const d of f.disable ?? []) {
      const i = acc.rules.findIndex((r) => r.name === d);
      if (i < 0) throw new UsageError(`rule file ${shown}: disable names "${d}", which none of the sets it extends has`);
      acc.rules.splice(i, 1);
    }
    for (const r of f.rules) acc.rules.push(toRule(f.name, r));
    included.add(file);
    nameOf.set(file, f.name);
    acc.names.push(f.name);
    acc.sources.push(shown);
    acc.descriptions.push(f.description);
    return f.name;
  };

  const tops: string[] = [];
  for (const spec of specs) {
    const name = include(resolveSpec(spec, cwd, null));
    if (!tops.includes(name)) tops.push(name);
  }
  return {
    name: tops.join('+'),
    description: tops.length === 1 ? acc.descriptions[acc.names.indexOf(tops[0]!)] ?? '' : `${tops.join(', ')} composed in this order`,
    sources: acc.sources,
    rules: acc.rules,
  };
}

/** A rule set from an in-memory rule file object (tests, the UI's ad-hoc rules); no `extends`. */
export function ruleSetFromObject(data: unknown, label = '(inline)'): RuleSet {
  const problems = ruleFileProblems(data, ruleFileValidator(schema()));
  if (problems.length > 0) throw new UsageError(`rule set ${label}: ${problems.join('; ')}`);
  const f = data as RuleFile;
  if (f.extends && f.extends.length > 0) throw new UsageError(`rule set ${label}: extends needs a file; use loadRuleSet`);
  return { name: f.name, description: f.description, sources: [label], rules: f.rules.map((r) => toRule(f.name, r)) };
}
