/** Measures one budget against an analysis: the value, the largest contributors, and any note. */
import type { Analysis } from '../analysis/analyze.js';
import { diffOwners, diffDirectories } from '../diff/compare.js';
import { directorySizes } from '../diff/snapshot.js';
import type { ImageSnapshot } from '../diff/types.js';
import type { Plan } from '../prune/types.js';
import { bytes } from '../report/format.js';
import { layerContributor, ownerContributor, topHolders, topLayers, topWastedPaths } from './contributors.js';
import { selectOwners } from './owner-select.js';
import { sumPaths } from './path-sum.js';
import type { BudgetSpec, Contributor } from './types.js';

export interface Measurement {
  /** null = skipped (see note). */
  measured: number | null;
  contributors: Contributor[];
  note?: string;
  /** The limit when it depends on the image (a baseline percent), else the spec's. */
  limit?: number;
}

export interface MeasureContext {
  analysis: Analysis;
  /** The baseline image, for `baseline` budgets (none: they are skipped). */
  baseline?: ImageSnapshot | null;
  /** Plans by rule set name, for `plan` budgets, computed by the caller with the budget's target. */
  plans?: ReadonlyMap<string, Plan>;
  /** Contributors per budget. */
  top: number;
}

export function measure(spec: BudgetSpec, ctx: MeasureContext): Measurement {
  const a = ctx.analysis;
  const n = ctx.top;
  const t = a.totals;
  switch (spec.kind) {
    case 'max-size':
      return { measured: t.layerBytes, contributors: [...topLayers(a, n, (l) => l.size), ...topHolders(a, n)] };
    case 'max-merged-size':
      return { measured: t.mergedBytes, contributors: topHolders(a, n) };
    case 'max-compressed-size':
      return { measured: t.blobBytes, contributors: topLayers(a, n, (l) => l.blobSize) };
    case 'max-layers':
      // The smallest layers are the cheapest to fold into a neighbour.
      return { measured: t.layers, contributors: topLayers(a, n, (l) => l.size, 'asc') };
    case 'max-layer-size':
      return measureLayerSize(spec, ctx);
    case 'max-wasted':
      return { measured: t.wastedBytes, contributors: wasted(ctx) };
    case 'max-wasted-percent':
      if (t.layerBytes === 0) return { measured: null, contributors: [], note: 'the image stores no file bytes' };
      return { measured: t.wastedBytes / t.layerBytes, contributors: wasted(ctx) };
    case 'min-efficiency':
      return { measured: a.dive.efficiency, contributors: wasted(ctx) };
    case 'dive-wasted-bytes':
      return { measured: a.dive.wastedBytes, contributors: wasted(ctx) };
    case 'dive-user-wasted-percent':
      if (a.dive.wastedUserPercent === null) return { measured: null, contributors: [], note: 'no bytes above the base layer (dive divides by zero here and passes)' };
      return { measured: a.dive.wastedUserPercent, contributors: wasted(ctx) };
    case 'owner':
      return measureOwner(spec, ctx);
    case 'path': {
      const s = sumPaths(a.tree, spec.selector ?? '', n);
      return {
        measured: s.bytes,
        contributors: s.parts.map((p) => ({ kind: p.dir ? 'directory' : 'file', id: p.path, bytes: p.bytes })),
        ...(s.files === 0 ? { note: 'no file matches this pattern' } : {}),
      };
    }
    case 'baseline':
      return measureBaseline(spec, ctx);
    case 'plan':
      return measurePlan(spec, ctx);
  }
}

function wasted(ctx: MeasureContext): Contributor[] {
  const a = ctx.analysis;
  return [...topWastedPaths(a, ctx.top), ...topLayers(a, ctx.top, (l) => l.wastedBytes)];
}

function measureLayerSize(spec: BudgetSpec, ctx: MeasureContext): Measurement {
  const a = ctx.analysis;
  if (a.layers.length === 0) return { measured: 0, contributors: [] };
  const sorted = [...a.layers].sort((x, y) => y.size - x.size || x.index - y.index);
  const largest = sorted[0]!;
  const over = sorted.filter((l) => l.size > spec.limit);
  const layers = (over.length > 0 ? over : sorted).slice(0, ctx.top).map((l) => layerContributor(l, l.size));
  // The largest files of the largest layer say what to move or drop.
  const files: Contributor[] = largest.topFiles.slice(0, ctx.top).map((f) => ({ kind: 'file', id: f.path, bytes: f.size, detail: `in layer ${largest.index}` }));
  return { measured: largest.size, contributors: [...layers, ...files] };
}

function measureOwner(spec: BudgetSpec, ctx: MeasureContext): Measurement {
  const owners = ctx.analysis.owners;
  if (!owners) return { measured: null, contributors: [], note: 'owner attribution was turned off' };
  const matched = selectOwners(ctx.analysis, spec.selector ?? '');
  const total = matched.reduce((s, o) => s + o.bytes, 0);
  return {
    measured: total,
    contributors: matched.filter((o) => o.bytes > 0).slice(0, ctx.top).map(ownerContributor),
    ...(matched.length === 0 ? { note: 'no owner matches this selector' } : { note: `${matched.length} owner${matched.length === 1 ? '' : 's'} matched` }),
  };
}

function measureBaseline(spec: BudgetSpec, ctx: MeasureContext): Measurement {
  const base = ctx.baseline;
  if (!base) return { measured: null, contributors: [], note: 'no baseline image given (--baseline)' };
  const a = ctx.analysis;
  const growth = a.totals.layerBytes - base.totals.layerBytes;
  const limit = spec.limitIsFraction ? Math.round(spec.limit * base.totals.layerBytes) : spec.limit;
  const note = `baseline ${base.image.tags[0] ?? base.image.input}: ${bytes(base.totals.layerBytes)} → ${bytes(a.totals.layerBytes)}`;
  let contributors: Contributor[];
  if (base.owners && a.owners) {
    const now = new Map(a.owners.owners.map((o) => [o.id, { bytes: o.bytes, files: o.files, kind: o.kind }] as const));
    contributors = diffOwners(base.owners, now, 0)
      .entries.filter((e) => e.delta > 0)
      .slice(0, ctx.top)
      .map((e) => ({ kind: 'owner', id: e.id, bytes: e.delta, detail: e.status === 'added' ? 'new owner' : `${bytes(e.oldBytes)} → ${bytes(e.newBytes)}` }));
  } else {
    const dirs = diffDirectories(base.dirs, directorySizes(a.tree, base.depth), base.depth, 0);
    contributors = dirs.entries
      .filter((e) => e.delta > 0)
      .slice(0, ctx.top)
      .map((e) => ({ kind: 'directory', id: e.path, bytes: e.delta, detail: e.status === 'added' ? 'new directory' : `${bytes(e.oldBytes)} → ${bytes(e.newBytes)}` }));
  }
  return { measured: growth, contributors, note, limit };
}

function measurePlan(spec: BudgetSpec, ctx: MeasureContext): Measurement {
  const plan = ctx.plans?.get(spec.selector ?? '');
  if (!plan) return { measured: null, contributors: [], note: `no plan was computed for rule set "${spec.selector}"` };
  const failing = plan.projectedBytes > spec.limit;
  const contributors: Contributor[] = failing
    ? plan.suggestions.slice(0, ctx.top).map((s) => ({ kind: 'suggestion', id: s.id, bytes: s.bytes, detail: `largest remaining ${s.kind}` }))
    : plan.rules
        .filter((r) => r.action !== 'keep' && r.bytes > 0)
        .sort((x, y) => y.bytes - x.bytes)
        .slice(0, ctx.top)
        .map((r) => ({ kind: 'rule', id: r.name, bytes: r.bytes, detail: 'saved by this rule' }));
  return {
    measured: plan.projectedBytes,
    contributors,
    note: `${bytes(plan.inputBytes)} → ${bytes(plan.projectedBytes)} (saves ${bytes(plan.savedBytes)})`,
  };
}
