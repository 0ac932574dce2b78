/**
 * The check report renderers on a hand-made verdict full of hostile text (XML and Markdown
 * specials, control characters, pipes, backticks, newlines), so escaping is what is tested.
 */
import { describe, expect, it } from 'vitest';
import type { BudgetResult, CheckResult } from '../../src/budget/types.js';
import { renderCheckMarkdown } from '../../src/report/check-markdown.js';
import { renderCheckText } from '../../src/report/check-text.js';
import { escapeData, escapeProperty, githubAnnotations } from '../../src/report/github-annotations.js';
import { renderJunit, xmlEscape } from '../../src/report/junit.js';
import { mdCode, mdText } from '../../src/report/markdown.js';
import { HAS_XMLLINT, parseXml, xmllint, xpath } from './xml.js';

const NASTY = '/opt/a<b>&"c\'|`d`\u0001\ne';

function budget(over: Partial<BudgetResult>): BudgetResult {
  return {
    name: 'max-size',
    kind: 'max-size',
    description: 'image size',
    status: 'pass',
    unit: 'bytes',
    comparison: 'max',
    measured: 100,
    limit: 200,
    limitText: '200',
    excess: -100,
    message: 'max-size: 100 B is within the limit of 200 B',
    contributors: [],
    note: null,
    source: { kind: 'flag', key: '--max-size' },
    ...over,
  };
}

const RESULT: CheckResult = {
  passed: false,
  counts: { total: 3, passed: 1, failed: 1, skipped: 1 },
  budgets: [
    budget({}),
    budget({
      name: `path:${NASTY}`,
      kind: 'path',
      status: 'fail',
      measured: 5_000_000,
      limit: 1_000_000,
      limitText: '1MB',
      excess: 4_000_000,
      message: `path:${NASTY}: 5 MB is over the limit of 1 MB by 4 MB; largest: ${NASTY} 5 MB`,
      contributors: [{ kind: 'file', id: NASTY, bytes: 5_000_000, detail: 'x | y' }],
      source: { kind: 'config', file: 'whittle,config:json', key: 'budgets.paths', line: 7 },
    }),
    budget({ name: 'baseline', kind: 'baseline', status: 'skip', measured: null, limit: null, limitText: '5%', excess: null, note: 'no baseline image given (--baseline)', message: 'baseline: skipped' }),
  ],
  warnings: [{ severity: 'warning', code: 'budget-matches-nothing', message: 'budget owner:ups:x matches no owner\nin the image 100%' }],
};

const IMAGE = { input: 'img&<1>.tar', tags: ['repo/app:1.0'], platform: 'linux/amd64', configDigest: 'sha256:abc' };

describe('JUnit', () => {
  const xml = renderJunit(RESULT, { image: IMAGE, seconds: 1.5, timestamp: '2024-01-01T00:00:00.000Z' });

  it('is well-formed XML with one test case per budget, named by the budget', () => {
    const root = parseXml(xml);
    expect(root.name).toBe('testsuites');
    expect(root.attrs).toMatchObject({ tests: '3', failures: '1', skipped: '1', errors: '0', time: '1.500' });
    const suite = root.children[0]!;
    expect(suite.attrs.name).toBe('whittle check repo/app:1.0 (img&<1>.tar)');
    const cases = suite.children.filter((c) => c.name === 'testcase');
    expect(cases.map((c) => c.attrs.name)).toEqual(['max-size', `path:/opt/a<b>&"c'|\`d\`\uFFFD\ne`, 'baseline']);
    expect(cases[0]!.children.map((c) => c.name)).toEqual(['system-out']);
    const failure = cases[1]!.children[0]!;
    expect(failure.name).toBe('failure');
    expect(failure.attrs.type).toBe('budget-exceeded');
    expect(failure.attrs.message).toContain('5 MB is over the limit of 1 MB by 4 MB');
    expect(failure.text).toContain('measured:  5 MB');
    expect(failure.text).toContain('limit:     ≤ 1 MB');
    expect(failure.text).toContain('5 MB  /opt/a<b>&');
    expect(cases[2]!.children[0]).toMatchObject({ name: 'skipped', attrs: { message: 'no baseline image given (--baseline)' } });
    const props = suite.children.find((c) => c.name === 'properties')!.children.map((p) => [p.attrs.name, p.attrs.value]);
    expect(props).toEqual([
      ['image', 'img&<1>.tar'],
      ['tag', 'repo/app:1.0'],
      ['configDigest', 'sha256:abc'],
    ]);
  });

  it.skipIf(!HAS_XMLLINT)('passes xmllint --noout and reads back with XPath (Debian libxml2-utils)', () => {
    expect(xmllint(xml)).toBeNull();
    expect(xpath(xml, 'string(//testcase[2]/failure/@type)').trim()).toBe('budget-exceeded');
    expect(xpath(xml, 'count(//testcase)').trim()).toBe('3');
    expect(xpath(xml, 'string(/testsuites/testsuite/properties/property[1]/@value)').trim()).toBe('img&<1>.tar');
  });

  it('escapes and replaces what XML 1.0 cannot hold', () => {
    expect(xmlEscape('a&b<c>d"e\'f')).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f');
    expect(xmlEscape('x\u0000y\u001fz\tq\n')).toBe('x\uFFFDy\uFFFDz\tq\n');
    expect(xmlEscape('\ud800')).toBe('\uFFFD');
    expect(xmlEscape('😀')).toBe('😀');
  });
});

describe('Markdown', () => {
  const md = renderCheckMarkdown(RESULT, { image: IMAGE, config: { file: 'whittle.config.json' } });
  const lines = md.split('\n');

  it('leads with the verdict and has one table row per budget', () => {
    expect(lines[0]).toBe('### ❌ whittle check: 1 of 3 budgets exceeded (1 skipped)');
    expect(md).toContain('image `repo/app:1.0 (img&<1>.tar)` · config `whittle.config.json`');
    expect(lines).toContain('| Status | Budget | Measured | Limit | Detail |');
    expect(lines).toContain('| --- | --- | ---: | ---: | --- |');
    expect(lines).toContain('| ✅ pass | `max-size` | 100 B | ≤ 200 B |  |');
    expect(lines).toContain('| ⏭️ skip | `baseline` | — | ≤ 5% of the baseline | no baseline image given (--baseline) |');
  });

  it('keeps every table row one line with the right number of cells', () => {
    const rows = lines.filter((l) => l.startsWith('| '));
    for (const r of rows) {
      // cells split on unescaped pipes
      const cells = r.slice(2, -2).split(/(?<!\\) \| /);
      expect([3, 5]).toContain(cells.length);
    }
    expect(md).toContain('``path:/opt/a<b>&"c\'\\|`d`\uFFFD e``');
  });

  it('details each failed budget with its contributors', () => {
    expect(lines).toContain('#### ❌ ``path:/opt/a<b>&"c\'\\|`d`\uFFFD e``');
    expect(lines).toContain('| Largest contributors | Bytes | Detail |');
    expect(lines.some((l) => l.startsWith('| ``/opt/a<b>') && l.includes('| 5 MB | x \\| y |'))).toBe(true);
    expect(md).toContain('> **Warning:** budget owner:ups:x matches no owner in the image 100%');
  });

  it('escapes text and sizes code spans to the backticks inside', () => {
    expect(mdText('a|b*c_<d>')).toBe('a\\|b\\*c\\_\\<d\\>');
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('`x`')).toBe('`` `x` ``');
    expect(mdCode('p|q')).toBe('`p\\|q`');
  });
});

describe('GitHub annotations', () => {
  it('one error per failed budget pointing at the config line, warnings for warnings', () => {
    const out = githubAnnotations(RESULT);
    expect(out).toHaveLength(2);
    expect(out[0]).toBe(
      `::error title=whittle budget path%3A/opt/a<b>&"c'|\`d\`\u0001%0Ae,file=whittle%2Cconfig%3Ajson,line=7::${escapeData(RESULT.budgets[1]!.message)}`,
    );
    expect(out[0]!.split('\n')).toHaveLength(1);
    expect(out[1]).toBe('::warning title=whittle::budget owner:ups:x matches no owner%0Ain the image 100%25');
  });

  it('escapes workflow command data and properties', () => {
    expect(escapeData('50%\r\nx')).toBe('50%25%0D%0Ax');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
  });
});

describe('text', () => {
  it('shows each budget with status, measured and limit, and contributors under failures', () => {
    const text = renderCheckText(RESULT, { width: 100, image: IMAGE });
    const lines = text.split('\n');
    expect(lines[0]).toBe('whittle check  repo/app:1.0 (img&<1>.tar)');
    expect(lines.find((l) => l.startsWith('PASS'))).toMatch(/^PASS\s+max-size\s+100 B\s+≤ 200 B$/);
    expect(lines.find((l) => l.startsWith('SKIP'))).toMatch(/^SKIP\s+baseline\s+—\s+≤ 5% of the baseline\s+no baseline image given/);
    expect(text).toMatch(/^FAIL\s+path:/m);
    expect(text).toContain('largest contributors:');
    expect(lines[lines.length - 1]).toBe('✗ 1 of 3 budgets exceeded (1 skipped)');
  });
});
