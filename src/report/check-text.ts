/** The default, human-readable report of `whittle check`. */
import { formatExcess, formatValue } from '../budget/catalog.js';
import type { BudgetResult, CheckResult, Contributor } from '../budget/types.js';
import type { ImageRef } from '../diff/types.js';
import { bytes, PLAIN, table, truncate, type Style } from './format.js';

export interface CheckTextOptions {
  width: number;
  style?: Style;
  image: ImageRef;
  baseline?: ImageRef | null;
  config?: { file: string } | null;
}

export function imageLabel(img: ImageRef): string {
  const tag = img.tags[0];
  return tag && tag !== img.input ? `${tag} (${img.input})` : img.input;
}

/** "layer 3 sha256:ab12cd34ef56", "ups:geant4/v4_10_4b", "/products/root". */
export function contributorLabel(c: Contributor): string {
  if (c.kind === 'layer') {
    const short = c.id.startsWith('sha256:') ? c.id.slice(0, 19) : c.id;
    return `layer ${c.index ?? '?'} ${short}`;
  }
  return c.id;
}

export function signed(c: Contributor): string {
  return c.bytes < 0 ? `−${bytes(-c.bytes)}` : bytes(c.bytes);
}

export function measuredText(b: BudgetResult): string {
  if (b.measured === null) return '—';
  if (b.kind === 'baseline') return `${b.measured >= 0 ? '+' : '−'}${bytes(Math.abs(b.measured))}`;
  return formatValue(b.unit, b.measured);
}

export function limitText(b: BudgetResult): string {
  const prefix = b.comparison === 'min' ? '≥ ' : '≤ ';
  if (b.limit === null) return `${prefix}${b.limitText}${b.kind === 'baseline' ? ' of the baseline' : ''}`;
  const v = formatValue(b.unit, b.limit);
  return b.kind === 'baseline' && b.limitText.endsWith('%') ? `${prefix}+${v} (${b.limitText})` : b.kind === 'baseline' ? `${prefix}+${v}` : `${prefix}${v}`;
}

/** The heading over a failed budget's contributor list. */
export function contributorsHeading(b: BudgetResult): string {
  if (b.kind === 'max-layers') return 'smallest layers (the cheapest to merge)';
  if (b.kind === 'baseline') return 'largest growth';
  if (b.kind === 'plan') return 'largest remaining';
  return 'largest contributors';
}

export function verdictText(r: CheckResult): string {
  const { total, failed, skipped } = r.counts;
  const skip = skipped > 0 ? ` (${skipped} skipped)` : '';
  return failed > 0 ? `${failed} of ${total} budget${total === 1 ? '' : 's'} exceeded${skip}` : `all ${total} budget${total === 1 ? '' : 's'} hold${skip}`;
}

export function renderCheckText(r: CheckResult, o: CheckTextOptions): string {
  const s = o.style ?? PLAIN;
  const out: string[] = [];
  out.push(`${s.bold('whittle check')}  ${imageLabel(o.image)}`);
  if (o.baseline) out.push(`baseline  ${imageLabel(o.baseline)}`);
  if (o.config) out.push(`config    ${o.config.file}`);
  out.push('');
  const status = (b: BudgetResult) => (b.status === 'fail' ? s.red('FAIL') : b.status === 'pass' ? s.green('PASS') : s.yellow('SKIP'));
  const rows = r.budgets.map((b) => {
    let extra = '';
    if (b.status === 'fail' && b.excess !== null) extra = `${b.comparison === 'max' ? 'over' : 'under'} by ${formatExcess(b.unit, b.excess)}`;
    else if (b.status === 'skip') extra = b.note ?? '';
    return [status(b), b.name, measuredText(b), limitText(b), extra];
  });
  const lines = table(rows, ['left', 'left', 'right', 'left', 'left'], o.width);
  r.budgets.forEach((b, i) => {
    out.push(lines[i]!);
    if (b.status !== 'fail') return;
    if (b.note && b.kind !== 'owner') out.push(`      ${s.dim(b.note)}`);
    if (b.contributors.length === 0) return;
    out.push(`      ${s.dim(`${contributorsHeading(b)}:`)}`);
    const crow = b.contributors.map((c) => [signed(c), contributorLabel(c), c.detail ?? '']);
    for (const l of table(crow, ['right', 'left', 'left'], Math.max(40, o.width - 8))) out.push(`        ${l}`);
  });
  if (r.warnings.length > 0) {
    out.push('');
    for (const w of r.warnings) out.push(`${w.severity === 'info' ? s.dim('note') : s.yellow('warning')}: ${truncate(w.message, 400)}`);
  }
  out.push('');
  out.push(r.passed ? s.green(`✓ ${verdictText(r)}`) : s.red(s.bold(`✗ ${verdictText(r)}`)));
  return out.join('\n');
}
