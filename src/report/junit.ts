/**
 * `whittle check --junit FILE`: JUnit XML that CI systems (GitLab `artifacts:reports:junit`, Jenkins,
 * GitHub test-report actions) show as tests: one test case per budget, named by its budget name;
 * a failed budget is a <failure>, a skipped one <skipped>.
 */
import type { BudgetResult, CheckResult } from '../budget/types.js';
import type { ImageRef } from '../diff/types.js';
import { contributorLabel, contributorsHeading, imageLabel, limitText, measuredText, signed } from './check-text.js';

export interface JunitOptions {
  image: ImageRef;
  /** Seconds the check took (analysis included). */
  seconds?: number;
  /** ISO timestamp of the run (omitted when not given). */
  timestamp?: string;
}

/** Text safe in XML 1.0 content and attributes: escaped, characters XML forbids replaced by U+FFFD. */
export function xmlEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === '"') out += '&quot;';
    else if (ch === "'") out += '&apos;';
    else if (c === 0x9 || c === 0xa || c === 0xd) out += ch;
    else if (c < 0x20 || (c >= 0xd800 && c <= 0xdfff) || c === 0xfffe || c === 0xffff) out += '\uFFFD';
    else out += ch;
  }
  return out;
}

export function renderJunit(r: CheckResult, o: JunitOptions): string {
  const time = (o.seconds ?? 0).toFixed(3);
  const { total, failed, skipped } = r.counts;
  const suiteName = `whittle check ${imageLabel(o.image)}`;
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(`<testsuites name="whittle check" tests="${total}" failures="${failed}" errors="0" skipped="${skipped}" time="${time}">`);
  const ts = o.timestamp ? ` timestamp="${xmlEscape(o.timestamp)}"` : '';
  lines.push(`  <testsuite name="${xmlEscape(suiteName)}" tests="${total}" failures="${failed}" errors="0" skipped="${skipped}" time="${time}"${ts}>`);
  lines.push('    <properties>');
  lines.push(`      <property name="image" value="${xmlEscape(o.image.input)}"/>`);
  if (o.image.tags[0]) lines.push(`      <property name="tag" value="${xmlEscape(o.image.tags[0])}"/>`);
  if (o.image.configDigest) lines.push(`      <property name="configDigest" value="${xmlEscape(o.image.configDigest)}"/>`);
  lines.push('    </properties>');
  for (const b of r.budgets) lines.push(...testCase(b));
  lines.push('  </testsuite>');
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function testCase(b: BudgetResult): string[] {
  const open = `    <testcase name="${xmlEscape(b.name)}" classname="whittle.budgets" time="0"`;
  if (b.status === 'pass') {
    return [`${open}>`, `      <system-out>${xmlEscape(b.message)}</system-out>`, '    </testcase>'];
  }
  if (b.status === 'skip') {
    return [`${open}>`, `      <skipped message="${xmlEscape(b.note ?? 'skipped')}"/>`, '    </testcase>'];
  }
  const body = [
    `budget:    ${b.name} (${b.description})`,
    `measured:  ${measuredText(b)}`,
    `limit:     ${limitText(b)}`,
    ...(b.note ? [`note:      ${b.note}`] : []),
    ...(b.contributors.length > 0 ? [`${contributorsHeading(b)}:`] : []),
    ...b.contributors.map((c) => `  ${signed(c).padStart(10)}  ${contributorLabel(c)}${c.detail ? `  ${c.detail}` : ''}`),
  ].join('\n');
  return [
    `${open}>`,
    `      <failure message="${xmlEscape(b.message)}" type="budget-exceeded">${xmlEscape(body)}</failure>`,
    '    </testcase>',
  ];
}
