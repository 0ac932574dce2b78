/**
 * The `--json` document of `whittle plan` (schema: docs/plan.schema.json). Stable names, a contract:
 * `inputBytes`, `projectedBytes`, `savedBytes`, `target`, `gap`, `rules[]` (`name`, `files`,
 * `bytes`), `findings[]` (`kind`, `path`, `message`). Add fields freely; never rename.
 */
import type { Analysis } from '../analysis/analyze.js';
import type { Plan } from './types.js';

export const PLAN_JSON_VERSION = 1;

export interface PlanJsonOptions {
  toolVersion: string;
  /** The rule files the plan used, as given/resolved. */
  sources?: string[];
  /** Time spent compiling and evaluating the rules (omitted from the document when not given). */
  timings?: { compileMs: number; evaluateMs: number };
}

export function planToJson(a: Analysis, plan: Plan, opts: PlanJsonOptions): Record<string, unknown> {
  const img = a.image;
  return {
    schemaVersion: PLAN_JSON_VERSION,
    tool: { name: 'whittle', version: opts.toolVersion },
    input: { path: img.input, format: img.format, bytes: img.inputBytes },
    image: { tags: img.tags, platform: img.platform, configDigest: img.configDigest },
    ruleSets: plan.ruleSets,
    sources: opts.sources ?? [],
    inputBytes: plan.inputBytes,
    projectedBytes: plan.projectedBytes,
    savedBytes: plan.savedBytes,
    inputImageBytes: plan.inputImageBytes,
    projectedImageBytes: plan.projectedImageBytes,
    target: plan.target,
    gap: plan.gap,
    reached: plan.target === null ? null : plan.projectedBytes <= plan.target,
    inputFiles: plan.inputFiles,
    projectedFiles: plan.projectedFiles,
    rules: plan.rules.map((r) => ({
      name: r.name,
      action: r.action,
      why: r.why,
      enabled: r.enabled,
      files: r.files,
      bytes: r.bytes,
      ...(r.action === 'keep' ? { keptFiles: r.keptFiles ?? 0, keptBytes: r.keptBytes ?? 0 } : {}),
    })),
    findingsChecked: plan.findingsChecked,
    findingCounts: plan.findingCounts,
    findings: plan.findings.map((f) => ({
      kind: f.kind,
      path: f.path,
      message: f.message,
      ...(f.owner !== undefined ? { owner: f.owner } : {}),
      ...(f.rule !== undefined ? { rule: f.rule } : {}),
    })),
    suggestions: plan.suggestions,
    notes: plan.notes,
    warnings: plan.warnings.map((w) => ({ severity: w.severity, code: w.code, message: w.message, ...(w.path !== undefined ? { path: w.path } : {}) })),
    ...(opts.timings ? { timings: opts.timings } : {}),
  };
}
