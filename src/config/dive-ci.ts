/**
 * dive's CI config (`.dive-ci`, YAML) → budgets, so a team can switch from `dive --ci` and get the
 * same verdicts. dive reads three rules under `rules:` and fills in its defaults for missing ones:
 *
 * | .dive-ci key (legacy camelCase)                            | dive default | whittle budget            |
 * |------------------------------------------------------------|--------------|---------------------------|
 * | `lowest-efficiency` (`lowestEfficiency`)                   | 0.9          | `min-efficiency`          |
 * | `highest-wasted-bytes` (`highestWastedBytes`)              | disabled     | `dive-wasted-bytes`       |
 * | `highest-user-wasted-percent` (`highestUserWastedPercent`) | 0.1          | `dive-user-wasted-percent`|
 *
 * Values are strings as dive parses them: ratios with ParseFloat in [0, 1], bytes with go-humanize
 * ("20MB"); "disabled", "off", "false" or "" turn a rule off. camelCase keys still work in dive with
 * a deprecation warning, and here too.
 */
import type { Finding } from '../findings.js';
import type { BudgetSpec } from '../budget/types.js';
import type { ScalarKind } from '../budget/catalog.js';
import { UsageError } from '../errors.js';
import { closestKey } from './suggest.js';
import { isDiveDisabled, parseDiveBytes, parseDiveRatio } from './values.js';
import { parseYamlLite, type YamlNode } from './yaml-lite.js';

interface DiveRule {
  kind: ScalarKind;
  keys: string[];
  legacy: string;
  default: string;
  unit: 'ratio' | 'bytes';
}

export const DIVE_RULES: readonly DiveRule[] = [
  { kind: 'min-efficiency', keys: ['lowest-efficiency', 'lowest-efficiency-threshold'], legacy: 'lowestEfficiency', default: '0.9', unit: 'ratio' },
  { kind: 'dive-wasted-bytes', keys: ['highest-wasted-bytes'], legacy: 'highestWastedBytes', default: 'disabled', unit: 'bytes' },
  { kind: 'dive-user-wasted-percent', keys: ['highest-user-wasted-percent'], legacy: 'highestUserWastedPercent', default: '0.1', unit: 'ratio' },
];

const ALL_KEYS = DIVE_RULES.flatMap((r) => [...r.keys, r.legacy]);

export interface DiveCiResult {
  specs: BudgetSpec[];
  warnings: Finding[];
}

export function parseDiveCi(text: string, file: string): DiveCiResult {
  const parsed = parseYamlLite(text);
  if (!parsed.ok) throw new UsageError(`${file}:${parsed.line}: ${parsed.message}`);
  const doc = parsed.doc;
  for (const [key, node] of doc) {
    if (key === 'rules') continue;
    const best = ALL_KEYS.includes(key) ? null : closestKey(key, ['rules']);
    throw new UsageError(
      ALL_KEYS.includes(key)
        ? `${file}:${node.line}: "${key}" must be under "rules:" (dive reads rules only there)`
        : `${file}:${node.line}: unknown key "${key}"${best ? `; did you mean "${best}"?` : '; a .dive-ci file has one key, "rules"'}`,
    );
  }
  const rulesNode = doc.get('rules');
  const rules = rulesNode?.value instanceof Map ? rulesNode.value : new Map<string, YamlNode>();
  if (rulesNode && typeof rulesNode.value === 'string') throw new UsageError(`${file}:${rulesNode.line}: "rules" must be a mapping of rule names to values`);
  for (const [key, node] of rules) {
    if (ALL_KEYS.includes(key)) continue;
    const best = closestKey(key, ALL_KEYS.filter((k) => !/[A-Z]/.test(k)));
    throw new UsageError(`${file}:${node.line}: unknown key "rules.${key}"${best ? `; did you mean "${best}"?` : `; valid keys: ${ALL_KEYS.join(', ')}`}`);
  }
  const specs: BudgetSpec[] = [];
  const warnings: Finding[] = [];
  for (const rule of DIVE_RULES) {
    const present = [...rule.keys, rule.legacy].filter((k) => rules.has(k));
    if (present.length > 1) {
      throw new UsageError(`${file}:${rules.get(present[1]!)!.line}: "rules.${present[1]}" repeats "rules.${present[0]}"; keep one`);
    }
    const key = present[0];
    const node = key === undefined ? undefined : rules.get(key)!;
    if (node && node.value instanceof Map) throw new UsageError(`${file}:${node.line}: rules.${key} must be a value, not a mapping`);
    if (key === rule.legacy) {
      warnings.push({
        severity: 'warning',
        code: 'dive-ci-deprecated-key',
        message: `${file}: "${key}" is deprecated in dive; use "${rule.keys[0]}"`,
      });
    }
    const value = node ? (node.value as string | null) ?? '' : rule.default;
    if (isDiveDisabled(value)) continue;
    const n = rule.unit === 'ratio' ? parseDiveRatio(value) : parseDiveBytes(value);
    if (n === null) {
      const expected = rule.unit === 'ratio' ? 'a ratio between 0 and 1 (e.g. 0.9) or "disabled"' : 'a size like "20MB" or "disabled"';
      throw new UsageError(`${file}:${node!.line}: rules.${key} must be ${expected}, got ${JSON.stringify(value)}`);
    }
    specs.push({
      name: rule.kind,
      kind: rule.kind,
      limit: n,
      limitText: value.trim(),
      source: node ? { kind: 'dive-ci', file, key: `rules.${key}`, line: node.line } : { kind: 'dive-default', file, key: `rules.${rule.keys[0]}` },
    });
  }
  return { specs, warnings };
}
