/**
 * A validated whittle config object → budget specs. Values were checked by the schema; this turns
 * them into numbers and remembers where each budget was written (file and line) for reports.
 */
import { budgetName, SCALAR_KINDS, type ScalarKind } from '../budget/catalog.js';
import { ownerSelectorProblem } from '../budget/owner-select.js';
import type { BudgetKind, BudgetSource, BudgetSpec } from '../budget/types.js';
import { UsageError } from '../errors.js';
import { parseCountValue, parseGrowthValue, parseRatioValue, parseSizeValue, type Parsed } from './values.js';

export interface WhittleConfig {
  $schema?: string;
  budgets?: Partial<Record<ScalarKind | 'max-growth', string | number>> & {
    owners?: Record<string, string | number>;
    paths?: Record<string, string | number>;
    plans?: Record<string, string | number>;
  };
}

export interface ConfigOrigin {
  /** File name for messages: `whittle.config.json`, `package.json`. */
  file: string;
  /** File text, to find the line of each key (optional). */
  text?: string;
  /** Key path prefix in messages: `budgets` or `whittle.budgets` (package.json). */
  prefix: string;
}

const PARSERS: Record<ScalarKind, (v: unknown) => Parsed<number>> = {
  'max-size': parseSizeValue,
  'max-merged-size': parseSizeValue,
  'max-compressed-size': parseSizeValue,
  'max-layers': parseCountValue,
  'max-layer-size': parseSizeValue,
  'max-wasted': parseSizeValue,
  'max-wasted-percent': parseRatioValue,
  'min-efficiency': parseRatioValue,
  'dive-wasted-bytes': parseSizeValue,
  'dive-user-wasted-percent': parseRatioValue,
};

export function scalarParser(kind: ScalarKind): (v: unknown) => Parsed<number> {
  return PARSERS[kind];
}

/** 1-based line of the first `"key"` at or after `from` in the text, or undefined. */
export function lineOf(text: string | undefined, key: string, from = 0): number | undefined {
  if (!text) return undefined;
  const i = text.indexOf(JSON.stringify(key), from);
  if (i < 0) return undefined;
  let line = 1;
  for (let j = 0; j < i; j++) if (text.charCodeAt(j) === 10) line++;
  return line;
}

export function configToSpecs(doc: WhittleConfig, origin: ConfigOrigin): BudgetSpec[] {
  const b = doc.budgets;
  if (!b) return [];
  const budgetsAt = origin.text?.indexOf('"budgets"') ?? -1;
  const from = budgetsAt < 0 ? 0 : budgetsAt;
  const source = (key: string, sectionKey?: string): BudgetSource => {
    let at = from;
    if (sectionKey !== undefined && origin.text) {
      const s = origin.text.indexOf(JSON.stringify(sectionKey), from);
      if (s >= 0) at = s;
    }
    const line = lineOf(origin.text, key, at);
    const keyPath = sectionKey === undefined ? `${origin.prefix}.${key}` : `${origin.prefix}.${sectionKey}["${key}"]`;
    return { kind: 'config', file: origin.file, key: keyPath, ...(line !== undefined ? { line } : {}) };
  };
  const fail = (key: string, expected: string, v: unknown): never => {
    throw new UsageError(`${origin.file}: ${origin.prefix}.${key} must be ${expected}, got ${JSON.stringify(v)}`);
  };
  const specs: BudgetSpec[] = [];
  for (const kind of SCALAR_KINDS) {
    const v = b[kind];
    if (v === undefined) continue;
    const p = PARSERS[kind](v);
    if (!p.ok) fail(kind, p.expected, v);
    else specs.push({ name: kind, kind, limit: p.value, limitText: p.text, source: source(kind) });
  }
  if (b['max-growth'] !== undefined) {
    const p = parseGrowthValue(b['max-growth']);
    if (!p.ok) fail('max-growth', p.expected, b['max-growth']);
    else specs.push(growthSpec(p.value, p.text, source('max-growth')));
  }
  const sections: [keyof NonNullable<WhittleConfig['budgets']> & ('owners' | 'paths' | 'plans'), BudgetKind][] = [
    ['owners', 'owner'],
    ['paths', 'path'],
    ['plans', 'plan'],
  ];
  for (const [section, kind] of sections) {
    for (const [selector, v] of Object.entries(b[section] ?? {})) {
      const p = parseSizeValue(v);
      const problem = section === 'owners' ? ownerSelectorProblem(selector) : null;
      if (problem) throw new UsageError(`${origin.file}: ${origin.prefix}.owners["${selector}"]: ${problem}`, { hint: 'owner selectors are those of rule files: see docs/rules.md, "Owner selectors"' });
      if (!p.ok) fail(`${section}["${selector}"]`, p.expected, v);
      else specs.push({ name: budgetName(kind, selector.trim()), kind, selector: selector.trim(), limit: p.value, limitText: p.text, source: source(selector, section) });
    }
  }
  return specs;
}

export function growthSpec(v: { bytes: number } | { fraction: number }, text: string, source: BudgetSource): BudgetSpec {
  return 'fraction' in v
    ? { name: 'baseline', kind: 'baseline', limit: v.fraction, limitIsFraction: true, limitText: text, source }
    : { name: 'baseline', kind: 'baseline', limit: v.bytes, limitText: text, source };
}
