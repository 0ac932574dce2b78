/** What every safety check gets: the analysis, the decisions, and a bounded findings list per kind. */
import type { CompiledRules } from '../compile.js';
import type { Decisions } from '../evaluate.js';
import type { PlanFinding, PlanFindingKind } from '../types.js';

export class FindingList {
  readonly findings: PlanFinding[] = [];
  readonly counts: Partial<Record<PlanFindingKind, number>> = {};

  constructor(private readonly maxPerKind: number) {}

  add(f: PlanFinding): void {
    const n = (this.counts[f.kind] ?? 0) + 1;
    this.counts[f.kind] = n;
    if (n <= this.maxPerKind) this.findings.push(f);
  }
}

export interface CheckContext {
  compiled: CompiledRules;
  d: Decisions;
  out: FindingList;
}

/** Name of the drop rule that removed a node, or of the nearest dropped ancestor; null when none. */
export function ruleDropping(ctx: CheckContext, node: number): string | null {
  const { paths } = ctx.compiled.analysis;
  for (let n = node; n > 0; n = paths.parent[n]!) {
    const r = ctx.d.droppedBy[n]!;
    if (r >= 0) return ctx.compiled.rules[r]!.name;
  }
  return null;
}

export function abs(ctx: CheckContext, node: number): string {
  return `/${ctx.compiled.analysis.paths.pathOf(node)}`;
}
