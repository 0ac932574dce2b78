/**
 * The `--json` document of `whittle check` (schema: docs/check.schema.json). Budget names and field
 * names are a contract: add fields freely, never rename.
 */
import type { BudgetResult, CheckResult, Contributor } from '../budget/types.js';
import type { ImageRef } from '../diff/types.js';
import { findingJson } from './analysis-json.js';

export const CHECK_SCHEMA_VERSION = 1;

export interface CheckMeta {
  image: ImageRef;
  baseline: ImageRef | null;
  config: { file: string; kind: string } | null;
  toolVersion: string;
}

export function checkToJson(r: CheckResult, meta: CheckMeta): Record<string, unknown> {
  return {
    schemaVersion: CHECK_SCHEMA_VERSION,
    tool: { name: 'whittle', version: meta.toolVersion },
    image: meta.image,
    baseline: meta.baseline,
    config: meta.config,
    passed: r.passed,
    summary: r.counts,
    budgets: r.budgets.map(budgetJson),
    warnings: r.warnings.map(findingJson),
  };
}

export function budgetJson(b: BudgetResult): Record<string, unknown> {
  return {
    name: b.name,
    kind: b.kind,
    status: b.status,
    description: b.description,
    unit: b.unit,
    comparison: b.comparison,
    measured: b.measured,
    limit: b.limit,
    limitText: b.limitText,
    excess: b.excess,
    message: b.message,
    note: b.note,
    source: {
      kind: b.source.kind,
      file: b.source.file ?? null,
      key: b.source.key ?? null,
      line: b.source.line ?? null,
    },
    contributors: b.contributors.map(contributorJson),
  };
}

function contributorJson(c: Contributor): Record<string, unknown> {
  return { kind: c.kind, id: c.id, bytes: c.bytes, index: c.index ?? null, detail: c.detail ?? null };
}
