/**
 * Budgets → verdict. Pure: measures each budget, compares it with its limit and writes the one-line
 * message reports and annotations use. No printing, no exit codes (the CLI maps `passed`).
 */
import type { Finding } from '../findings.js';
import { bytes } from '../report/format.js';
import { formatExcess, formatValue, KINDS } from './catalog.js';
import { editDistance } from './edit-distance.js';
import { measure, type MeasureContext } from './measure.js';
import type { BudgetResult, BudgetSpec, CheckResult, Contributor } from './types.js';

export interface EvaluateOptions extends Omit<MeasureContext, 'top'> {
  /** Contributors per budget (default 5). */
  top?: number;
}

export const DEFAULT_TOP = 5;

export function evaluateBudgets(specs: readonly BudgetSpec[], opts: EvaluateOptions): CheckResult {
  const ctx: MeasureContext = { ...opts, top: opts.top ?? DEFAULT_TOP };
  const warnings: Finding[] = [];
  const budgets = specs.map((spec) => {
    const r = evaluateOne(spec, ctx);
    if (spec.kind === 'owner' && r.measured === 0 && r.note === 'no owner matches this selector') {
      warnings.push({ severity: 'warning', code: 'budget-matches-nothing', message: `budget ${spec.name} matches no owner in the image${suggestOwner(spec.selector ?? '', ctx)}` });
    }
    if (spec.kind === 'path' && r.note === 'no file matches this pattern') {
      warnings.push({ severity: 'warning', code: 'budget-matches-nothing', message: `budget ${spec.name} matches no file in the image` });
    }
    return r;
  });
  const failed = budgets.filter((b) => b.status === 'fail').length;
  const skipped = budgets.filter((b) => b.status === 'skip').length;
  return {
    passed: failed === 0,
    counts: { total: budgets.length, passed: budgets.length - failed - skipped, failed, skipped },
    budgets,
    warnings,
  };
}

export function evaluateOne(spec: BudgetSpec, ctx: MeasureContext): BudgetResult {
  const info = KINDS[spec.kind];
  const m = measure(spec, ctx);
  const limit = m.limit ?? spec.limit;
  // A percent-of-baseline limit has no byte value until there is a baseline.
  const shownLimit = spec.kind === 'baseline' && spec.limitIsFraction && m.limit === undefined ? null : limit;
  const base = {
    name: spec.name,
    kind: spec.kind,
    description: info.description,
    unit: info.unit,
    comparison: info.comparison,
    limit: shownLimit,
    limitText: spec.limitText,
    contributors: m.contributors,
    source: spec.source,
  };
  if (m.measured === null) {
    return { ...base, status: 'skip', measured: null, excess: null, note: m.note ?? null, message: `${spec.name}: skipped (${m.note ?? 'nothing to measure'})` };
  }
  const excess = info.comparison === 'max' ? m.measured - limit : limit - m.measured;
  const fail = excess > 0;
  const fmt = (n: number) => formatValue(info.unit, n);
  const limitShown = spec.kind === 'baseline' && spec.limitIsFraction ? `${fmt(limit)} (${spec.limitText} of the baseline)` : fmt(limit);
  const measuredShown = spec.kind === 'baseline' ? `${m.measured >= 0 ? '+' : '−'}${bytes(Math.abs(m.measured))}` : fmt(m.measured);
  let message: string;
  if (fail) {
    const verb = info.comparison === 'max' ? `is over the limit of ${limitShown} by` : `is under the minimum of ${limitShown} by`;
    message = `${spec.name}: ${measuredShown} ${verb} ${formatExcess(info.unit, excess)}${largest(m.contributors)}`;
  } else {
    message = `${spec.name}: ${measuredShown} is within the ${info.comparison === 'max' ? 'limit' : 'minimum'} of ${limitShown}`;
  }
  return { ...base, status: fail ? 'fail' : 'pass', measured: m.measured, excess, note: m.note ?? null, message };
}

/** "; largest: a 300 MB, b 120 MB, c 80 MB" (three at most, so the line stays readable). */
function largest(list: readonly Contributor[]): string {
  const shown = list.slice(0, 3).map((c) => `${c.kind === 'layer' ? `layer ${c.index}` : c.id} ${c.bytes < 0 ? '−' : ''}${bytes(Math.abs(c.bytes))}`);
  return shown.length > 0 ? `; largest: ${shown.join(', ')}` : '';
}

function suggestOwner(selector: string, ctx: MeasureContext): string {
  const owners = ctx.analysis.owners?.owners;
  if (!owners || owners.length === 0) return '';
  const colon = selector.indexOf(':');
  const kind = selector.slice(0, colon);
  const want = selector.slice(colon + 1).split('/')[0]!.toLowerCase();
  let best: string | null = null;
  let bestScore = Infinity;
  const seen = new Set<string>();
  for (const o of owners) {
    if (o.kind !== kind) continue;
    const top = o.id.slice(colon + 1).split('/')[0]!;
    if (seen.has(top)) continue;
    seen.add(top);
    const d = editDistance(want, top.toLowerCase());
    if (d < bestScore) {
      bestScore = d;
      best = `${kind}:${top}`;
    }
  }
  return best !== null && bestScore <= Math.max(2, Math.floor(want.length / 3)) ? `; did you mean "${best}"?` : '';
}
