/**
 * `whittle check --markdown`: fits a GitHub job summary ($GITHUB_STEP_SUMMARY) or a GitLab
 * merge-request comment. A verdict heading, one table row per budget, then per failed budget its
 * message and largest contributors.
 */
import { formatExcess } from '../budget/catalog.js';
import type { BudgetResult, CheckResult } from '../budget/types.js';
import type { ImageRef } from '../diff/types.js';
import { contributorLabel, contributorsHeading, imageLabel, limitText, measuredText, signed, verdictText } from './check-text.js';
import { mdCode, mdTable, mdText } from './markdown.js';

export interface CheckMarkdownOptions {
  image: ImageRef;
  baseline?: ImageRef | null;
  config?: { file: string } | null;
}

const ICON = { pass: '✅', fail: '❌', skip: '⏭️' } as const;

export function renderCheckMarkdown(r: CheckResult, o: CheckMarkdownOptions): string {
  const out: string[] = [];
  out.push(`### ${r.passed ? '✅' : '❌'} whittle check: ${verdictText(r)}`);
  out.push('');
  const meta = [`image ${mdCode(imageLabel(o.image))}`];
  if (o.baseline) meta.push(`baseline ${mdCode(imageLabel(o.baseline))}`);
  if (o.config) meta.push(`config ${mdCode(o.config.file)}`);
  out.push(meta.join(' · '));
  out.push('');
  const rows = r.budgets.map((b) => [
    `${ICON[b.status]} ${b.status}`,
    mdCode(b.name),
    mdText(measuredText(b)),
    mdText(limitText(b)),
    mdText(detail(b)),
  ]);
  out.push(...mdTable(['Status', 'Budget', 'Measured', 'Limit', 'Detail'], rows, ['left', 'left', 'right', 'right', 'left']));
  for (const b of r.budgets) {
    if (b.status !== 'fail') continue;
    out.push('');
    out.push(`#### ❌ ${mdCode(b.name)}`);
    out.push('');
    out.push(mdText(b.message));
    if (b.contributors.length > 0) {
      out.push('');
      out.push(
        ...mdTable(
          [contributorsHeading(b).replace(/^./, (c) => c.toUpperCase()), 'Bytes', 'Detail'],
          b.contributors.map((c) => [mdCode(contributorLabel(c)), mdText(signed(c)), mdText(c.detail ?? '')]),
          ['left', 'right', 'left'],
        ),
      );
    }
  }
  if (r.warnings.length > 0) {
    out.push('');
    // One quote block per warning: consecutive `>` lines would merge into one paragraph.
    out.push(r.warnings.map((w) => `> **${w.severity === 'info' ? 'Note' : 'Warning'}:** ${mdText(w.message)}`).join('\n\n'));
  }
  return `${out.join('\n')}\n`;
}

function detail(b: BudgetResult): string {
  if (b.status === 'fail' && b.excess !== null) return `${b.comparison === 'max' ? 'over' : 'under'} by ${formatExcess(b.unit, b.excess)}`;
  if (b.status === 'skip') return b.note ?? '';
  return '';
}
