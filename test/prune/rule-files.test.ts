import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { builtinRuleSets, loadRuleSet, readRuleFile } from '../../src/prune/load-rules.js';
import { REPO } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'whittle-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, doc: unknown): string => {
  const p = join(dir, name);
  writeFileSync(p, typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));
  return p;
};
const set = (rules: object[], extra: object = {}) => ({ name: 'mine', description: 'test', ...extra, rules });
/** The UsageError message reading a rule file gives. */
const problem = (doc: unknown, name = 'bad.json'): string => {
  const p = write(name, doc);
  try {
    readRuleFile(p, dir);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
};

describe('rule file problems name the file, the rule and the key', () => {
  test('a misspelt key', () => {
    expect(problem(set([{ name: 'docs', action: 'drop', pahts: ['/usr/share/doc/**'] }]))).toBe(
      'rule file bad.json has 2 problems:\n' +
        '  rule "docs" (rules[0]): unknown key "pahts"; did you mean "paths"?\n' +
        '  rule "docs" (rules[0]): a rule needs "paths" or "owners" (or both) to select anything',
    );
  });
  test('a misspelt top-level key', () => {
    expect(problem({ name: 'mine', description: 'x', rule: [] })).toBe('rule file bad.json has 2 problems:\n  unknown key "rule"; did you mean "rules"?\n  missing key "rules"');
  });
  test('an unknown action', () => {
    expect(problem(set([{ name: 'docs', action: 'delete', paths: ['/x'] }]))).toBe('rule file bad.json: rule "docs" (rules[0]): action must be one of "drop", "keep", "strip", got "delete"');
  });
  test('a relative glob', () => {
    expect(problem(set([{ name: 'docs', action: 'drop', paths: ['/ok/**', 'usr/share/doc'] }]))).toBe(
      'rule file bad.json: rule "docs" (rules[0]): paths[1] "usr/share/doc" must be an absolute glob starting with "/" or "**/" (a leading "!" negates)',
    );
  });
  test('a glob whittle cannot walk', () => {
    expect(problem(set([{ name: 'docs', action: 'drop', paths: ['/usr//doc'] }]))).toBe('rule file bad.json: rule "docs" (rules[0]): paths[0] "/usr//doc": empty path component ("//" or a trailing "/")');
  });
  test('an unknown owner kind and an unknown UPS tag', () => {
    expect(problem(set([{ name: 'x', action: 'drop', owners: ['pip:requests'] }]))).toContain('rule "x" (rules[0]): owners[0] "pip:requests" must be an owner selector like');
    expect(problem(set([{ name: 'x', action: 'drop', owners: ['ups[unreferencd]:*'] }]))).toBe(
      'rule file bad.json: rule "x" (rules[0]): owners[0] "ups[unreferencd]:*": unknown tag "unreferencd" (known: unreferenced, build-only, unchained, chained, undeclared, foreign-flavor)',
    );
  });
  test('a duplicate name, a bad size, allowPartial on a keep rule', () => {
    expect(
      problem(set([
        { name: 'a', action: 'drop', paths: ['/a'], minSize: '10 parsecs' },
        { name: 'a', action: 'keep', paths: ['/b'], allowPartial: true },
      ])),
    ).toBe(
      'rule file bad.json has 3 problems:\n' +
        '  rule "a" (rules[0]): minSize "10 parsecs" is not a size (use bytes or e.g. "10MB", "500KiB")\n' +
        '  rule "a" (rules[1]): the name is already used by rules[0]\n' +
        '  rule "a" (rules[1]): allowPartial is for drop rules',
    );
  });
  test('only negated globs', () => {
    expect(problem(set([{ name: 'a', action: 'drop', paths: ['!/a'] }]))).toContain('paths has only negated patterns');
  });
  test('not JSON at all', () => {
    expect(problem('{ "name": ', 'broken.json')).toMatch(/^rule file broken\.json is not valid JSON: /);
  });
});

describe('finding and composing rule sets', () => {
  test('an unknown name says which sets exist', () => {
    try {
      loadRuleSet(['generc'], dir);
      throw new Error('no error');
    } catch (err) {
      expect((err as UsageError).message).toBe('unknown rule set "generc"');
      expect((err as UsageError).hint).toBe('built-in rule sets: debian, el, generic, mu2e, mu2e-sim, ups; or give the path of a .json rule file');
      expect((err as UsageError).exitCode).toBe(2);
    }
  });
  test('a missing file', () => {
    expect(() => loadRuleSet(['./nope.json'], dir)).toThrow('rule file ./nope.json not found');
  });
  test('extends: depth first, each set once, relative to the file; disable removes an inherited rule', () => {
    write('base.json', set([{ name: 'one', action: 'drop', paths: ['/one'] }, { name: 'two', action: 'drop', paths: ['/two'] }], { name: 'base' }));
    write('mid.json', set([{ name: 'three', action: 'drop', paths: ['/three'] }], { name: 'mid', extends: ['./base.json'] }));
    const top = write('top.json', set([{ name: 'four', action: 'keep', paths: ['/four'] }], { name: 'top', extends: ['./mid.json', './base.json', 'generic'], disable: ['base/two'] }));
    const rs = loadRuleSet([top, 'generic'], dir);
    expect(rs.name).toBe('top+generic');
    expect(rs.sources).toEqual(['base.json', 'mid.json', 'rules/generic.json', 'top.json']);
    const names = rs.rules.map((r) => r.name);
    expect(names.slice(0, 2)).toEqual(['base/one', 'mid/three']);
    expect(names).not.toContain('base/two');
    expect(names[names.length - 1]).toBe('top/four');
    expect(names.filter((n) => n === 'generic/docs')).toHaveLength(1);
  });
  test('extends cycles and bad disables are errors', () => {
    write('c1.json', set([], { name: 'c1', extends: ['./c2.json'] }));
    write('c2.json', set([], { name: 'c2', extends: ['./c1.json'] }));
    expect(() => loadRuleSet(['./c1.json'], dir)).toThrow('rule file c1.json: extends itself through c1.json → c2.json → c1.json');
    write('d.json', set([], { name: 'd', extends: ['generic'], disable: ['generic/nothing'] }));
    expect(() => loadRuleSet(['./d.json'], dir)).toThrow('rule file d.json: disable names "generic/nothing", which none of the sets it extends has');
  });
  test('sizes in rule files become bytes', () => {
    const p = write('sizes.json', set([{ name: 'big', action: 'drop', paths: ['/**'], minSize: '1.5MiB' }]));
    expect(loadRuleSet([p], dir).rules[0]!.minSize).toBe(1_572_864);
  });
});

describe('the shipped rule sets', () => {
  const files = readdirSync(join(REPO, 'rules')).filter((f) => f.endsWith('.json'));
  test('are the documented six', () => {
    expect(files.sort()).toEqual(['debian.json', 'el.json', 'generic.json', 'mu2e-sim.json', 'mu2e.json', 'ups.json']);
    expect(builtinRuleSets()).toEqual(['debian', 'el', 'generic', 'mu2e', 'mu2e-sim', 'ups']);
  });
  test.each(files)('%s is valid, points at the schema and says why for every rule', (f) => {
    const doc = JSON.parse(readFileSync(join(REPO, 'rules', f), 'utf8')) as { $schema: string; name: string; rules: { why?: string }[] };
    expect(doc.$schema).toBe('../docs/rules.schema.json');
    expect(doc.name).toBe(f.replace(/\.json$/, ''));
    for (const r of doc.rules) expect(r.why?.length ?? 0).toBeGreaterThan(40);
    expect(() => readRuleFile(join(REPO, 'rules', f))).not.toThrow();
  });
  test('mu2e extends generic, ups and el', () => {
    expect(loadRuleSet(['mu2e']).sources).toEqual(['rules/generic.json', 'rules/ups.json', 'rules/el.json', 'rules/mu2e.json']);
  });
});
