/** Budget flags of `whittle check` → budget specs, and merging them over a config file's. */
import { budgetName, SCALAR_KINDS, type ScalarKind } from '../budget/catalog.js';
import { ownerSelectorProblem } from '../budget/owner-select.js';
import type { BudgetKind, BudgetSpec } from '../budget/types.js';
import { UsageError } from '../errors.js';
import { growthSpec, scalarParser } from './whittle-config.js';
import { parseGrowthValue, parseRatioValue, parseSizeValue } from './values.js';

export type BudgetFlags = Partial<Record<ScalarKind, string>> & {
  budget?: string[];
  plan?: string[];
  maxGrowth?: string;
};

export const OWNER_KIND_PREFIX = /^(dpkg|rpm|apk|spack|dir|ups(\[[^\]]*\])?):/;

/** `selector=size` with the selector possibly containing `=`: split at the last one. */
function splitAssignment(flag: string, text: string): { left: string; right: string } {
  const i = text.lastIndexOf('=');
  if (i <= 0 || i === text.length - 1) throw new UsageError(`${flag} takes SELECTOR=SIZE (e.g. ${flag} ups:geant4=500MB or ${flag} '/products/root/**=400MB'), got "${text}"`);
  return { left: text.slice(0, i).trim(), right: text.slice(i + 1).trim() };
}

export function flagsToSpecs(f: BudgetFlags): BudgetSpec[] {
  const specs: BudgetSpec[] = [];
  for (const kind of SCALAR_KINDS) {
    const v = f[kind];
    if (v === undefined) continue;
    const flag = `--${kind}`;
    // `--max-wasted 5%` means the percent budget: accept it rather than fail on a likely intent.
    if (kind === 'max-wasted' && v.trim().endsWith('%')) {
      const p = parseRatioValue(v);
      if (!p.ok) throw new UsageError(`${flag}: "${v}" is not a percent; use e.g. 5%`);
      specs.push({ name: 'max-wasted-percent', kind: 'max-wasted-percent', limit: p.value, limitText: p.text, source: { kind: 'flag', key: flag } });
      continue;
    }
    const p = scalarParser(kind)(v);
    if (!p.ok) throw new UsageError(`${flag}: "${v}" is not valid; use ${p.expected}`);
    specs.push({ name: kind, kind, limit: p.value, limitText: p.text, source: { kind: 'flag', key: flag } });
  }
  for (const text of f.budget ?? []) {
    const { left, right } = splitAssignment('--budget', text);
    const size = parseSizeValue(right);
    if (!size.ok) throw new UsageError(`--budget ${text}: "${right}" is not valid; use ${size.expected}`);
    if (left.startsWith('!')) throw new UsageError(`--budget ${text}: a budget cannot use a negated pattern`);
    const kind: BudgetKind = OWNER_KIND_PREFIX.test(left) ? 'owner' : 'path';
    if (kind === 'path' && /^[a-z]+:/.test(left) && !left.startsWith('/')) {
      throw new UsageError(`--budget ${text}: "${left.slice(0, left.indexOf(':') + 1)}" is not an owner kind; owners start with dpkg:, rpm:, apk:, ups:, spack: or dir:, paths with /`);
    }
    const problem = kind === 'owner' ? ownerSelectorProblem(left) : null;
    if (problem) throw new UsageError(`--budget ${text}: ${problem}`, { hint: 'owner selectors are those of rule files: see docs/rules.md, "Owner selectors"' });
    specs.push({ name: budgetName(kind, left), kind, selector: left, limit: size.value, limitText: size.text, source: { kind: 'flag', key: '--budget' } });
  }
  if (f.maxGrowth !== undefined) {
    const p = parseGrowthValue(f.maxGrowth);
    if (!p.ok) throw new UsageError(`--max-growth: "${f.maxGrowth}" is not valid; use ${p.expected}`);
    specs.push(growthSpec(p.value, p.text, { kind: 'flag', key: '--max-growth' }));
  }
  for (const text of f.plan ?? []) {
    const { left, right } = splitAssignment('--plan', text);
    const size = parseSizeValue(right);
    if (!size.ok) throw new UsageError(`--plan ${text}: "${right}" is not valid; use ${size.expected}`);
    specs.push({ name: budgetName('plan', left), kind: 'plan', selector: left, limit: size.value, limitText: size.text, source: { kind: 'flag', key: '--plan' } });
  }
  return specs;
}

const ORDER: readonly BudgetKind[] = [...SCALAR_KINDS, 'owner', 'path', 'baseline', 'plan'];

/** Config budgets with flag budgets of the same name replacing them; ordered by kind, then as given. */
export function mergeSpecs(fromConfig: readonly BudgetSpec[], fromFlags: readonly BudgetSpec[]): BudgetSpec[] {
  const byName = new Map<string, BudgetSpec>();
  for (const s of fromConfig) byName.set(s.name, s);
  for (const s of fromFlags) byName.set(s.name, s);
  const list = [...byName.values()];
  return list
    .map((s, i) => ({ s, i }))
    .sort((x, y) => ORDER.indexOf(x.s.kind) - ORDER.indexOf(y.s.kind) || x.i - y.i)
    .map((x) => x.s);
}
