/**
 * State of the Prune pane: which rules are on, the plan for them, and the safety findings of the
 * last check (stale once a rule is toggled, until re-checked). Evaluating is the hook's job; this
 * reducer only records requests and results.
 */
import type { Plan, PlanFinding } from '../prune/types.js';
import { bytes, percent } from '../report/format.js';
import { createListWindow, reduceList, type ListAction, type ListWindow } from './list-window.js';
import type { PlanEvaluation } from './plan-provider.js';
import { cell, rcell } from './text.js';

export interface PruneState {
  enabled: boolean[];
  evaluation: PlanEvaluation | null;
  /** `enabled` as evaluated, so the hook knows when a new plan is due. */
  planFor: string | null;
  findings: PlanFinding[];
  /** `enabled` the findings were checked for; null before the first check. */
  findingsFor: string | null;
  /** Work asked for and not yet started: a plan, or a plan with safety findings. */
  pending: 'plan' | 'findings' | null;
  /** Work running now. */
  running: 'plan' | 'findings' | null;
  rules: ListWindow;
  findingsWin: ListWindow;
  /** Whether the cursor is in the findings list instead of the rules. */
  inFindings: boolean;
}

export type PruneAction =
  | { type: 'toggle'; index?: number }
  | { type: 'all'; on: boolean }
  | { type: 'recheck' }
  | { type: 'started'; work: 'plan' | 'findings' }
  | { type: 'evaluated'; evaluation: PlanEvaluation; key: string; findings: boolean }
  | { type: 'switchList' }
  | { type: 'heights'; rules: number; findings: number }
  | (ListAction & { list?: 'rules' | 'findings' });

export function enabledKey(enabled: readonly boolean[]): string {
  return enabled.map((e) => (e ? '1' : '0')).join('');
}

export function createPruneState(ruleCount: number, rulesHeight: number, findingsHeight: number): PruneState {
  return {
    enabled: new Array<boolean>(ruleCount).fill(true),
    evaluation: null,
    planFor: null,
    findings: [],
    findingsFor: null,
    pending: ruleCount > 0 ? 'findings' : null,
    running: null,
    rules: createListWindow(ruleCount, rulesHeight),
    findingsWin: createListWindow(0, findingsHeight),
    inFindings: false,
  };
}

export function findingsStale(s: PruneState): boolean {
  return s.findingsFor !== null && s.findingsFor !== enabledKey(s.enabled);
}

export function reducePrune(s: PruneState, a: PruneAction): PruneState {
  switch (a.type) {
    case 'toggle': {
      const i = a.index ?? s.rules.cursor;
      if (i < 0 || i >= s.enabled.length) return s;
      const enabled = s.enabled.slice();
      enabled[i] = !enabled[i];
      return { ...s, enabled, pending: s.pending ?? 'plan' };
    }
    case 'all': {
      if (s.enabled.every((e) => e === a.on)) return s;
      return { ...s, enabled: s.enabled.map(() => a.on), pending: s.pending ?? 'plan' };
    }
    case 'recheck':
      return s.enabled.length === 0 || (s.findingsFor === enabledKey(s.enabled) && s.pending === null) ? s : { ...s, pending: 'findings' };
    case 'started':
      return { ...s, pending: null, running: a.work };
    case 'evaluated': {
      const next: PruneState = { ...s, evaluation: a.evaluation, planFor: a.key, running: null };
      if (a.findings) {
        next.findings = a.evaluation.plan.findings;
        next.findingsFor = a.key;
        next.findingsWin = reduceList(s.findingsWin, { type: 'count', count: next.findings.length });
        if (next.findings.length === 0) next.inFindings = false;
      }
      // Toggles that came in while this ran are already pending; make sure the plan catches up.
      if (a.key !== enabledKey(s.enabled) && next.pending === null) next.pending = 'plan';
      return next;
    }
    case 'switchList':
      return s.findings.length === 0 && !s.inFindings ? s : { ...s, inFindings: !s.inFindings };
    case 'heights':
      return { ...s, rules: reduceList(s.rules, { type: 'resize', height: a.rules }), findingsWin: reduceList(s.findingsWin, { type: 'resize', height: a.findings }) };
    default: {
      const inF = a.list ? a.list === 'findings' : s.inFindings;
      if (inF) {
        const findingsWin = reduceList(s.findingsWin, a);
        return findingsWin === s.findingsWin ? s : { ...s, findingsWin };
      }
      const rules = reduceList(s.rules, a);
      return rules === s.rules ? s : { ...s, rules };
    }
  }
}

export interface Gauge {
  bar: string;
  /** Columns of the bar that are filled (projected size). */
  filled: number;
  /** Column of the target marker, or -1. */
  marker: number;
  overTarget: boolean;
  text: string;
}

/** Projected size against the input, with the target marked: `███████░░│░░ 830 MB of 1.2 GB`. */
export function gauge(plan: Plan, width: number): Gauge {
  const w = Math.max(10, width);
  const input = Math.max(1, plan.inputBytes);
  const filled = Math.round(Math.min(1, plan.projectedBytes / input) * w);
  const marker = plan.target === null ? -1 : Math.min(w - 1, Math.max(0, Math.round(Math.min(1, plan.target / input) * w) - 1));
  let bar = '';
  for (let i = 0; i < w; i++) bar += i === marker ? '│' : i < filled ? '█' : '░';
  const saved = plan.inputBytes === 0 ? 0 : plan.savedBytes / plan.inputBytes;
  let text = `${bytes(plan.projectedBytes)} of ${bytes(plan.inputBytes)} · saves ${bytes(plan.savedBytes)} (${percent(saved)})`;
  const over = plan.gap !== null && plan.gap > 0;
  if (plan.target !== null && plan.gap !== null) {
    text += ` · target ${bytes(plan.target)}: ${over ? `${bytes(plan.gap)} over` : `met, ${bytes(-plan.gap)} to spare`}`;
  }
  return { bar, filled, marker, overTarget: over, text };
}

export interface RuleColumns {
  name: number;
  files: number;
  bytes: number;
  why: number;
}

export function ruleColumns(width: number): RuleColumns {
  const files = 9;
  const b = 8;
  const rest = Math.max(12, width - 1 - 4 - files - 1 - b - 2);
  const name = Math.min(34, Math.max(12, Math.floor(rest * 0.55)));
  return { name, files, bytes: b, why: Math.max(0, rest - name - 2) };
}

export function ruleHeader(c: RuleColumns): string {
  return ` on  ${cell('rule', c.name)}${rcell('files', c.files)} ${rcell('saves', c.bytes)}  ${cell('why', c.why)}`.trimEnd();
}

export interface RuleRowCells {
  index: number;
  cursor: boolean;
  enabled: boolean;
  keep: boolean;
  text: string;
}

export function ruleRows(s: PruneState, ruleNames: readonly string[], c: RuleColumns): RuleRowCells[] {
  const plan = s.evaluation?.plan ?? null;
  const out: RuleRowCells[] = [];
  const end = Math.min(s.rules.count, s.rules.top + s.rules.height);
  for (let i = s.rules.top; i < end; i++) {
    const r = plan?.rules[i];
    const keep = r?.action === 'keep';
    const on = s.enabled[i]!;
    const files = r ? (keep ? r.keptFiles ?? 0 : r.files) : 0;
    const b = r ? (keep ? r.keptBytes ?? 0 : r.bytes) : 0;
    // A rule switched since the plan shown was made: its figures are on their way.
    const stale = r !== undefined && r.enabled !== on;
    const amount = r === undefined || stale ? '…' : on ? (keep ? `+${bytes(b)}` : bytes(b)) : '—';
    out.push({
      index: i,
      cursor: !s.inFindings && i === s.rules.cursor,
      enabled: on,
      keep,
      text: `[${on ? 'x' : ' '}] ${cell((keep ? 'keep ' : '') + (r?.name ?? ruleNames[i] ?? `rule ${i}`), c.name)}${rcell(r && on && !stale ? files.toLocaleString('en-US') : '', c.files)} ${rcell(amount, c.bytes)}  ${cell(r?.why ?? '', c.why)}`.trimEnd(),
    });
  }
  return out;
}

export function findingText(f: PlanFinding, width: number): string {
  return cell(`${f.kind}: ${f.message}`, width);
}

/** A finding in full, for the detail lines: what breaks, then the owner when the message does not name it. */
export function findingLong(f: PlanFinding): string {
  const owner = f.owner && !f.message.includes(f.owner) ? ` (${f.owner})` : '';
  return `${f.kind}: ${f.message}${owner}`;
}
