/** `whittle plan` as a child process (the built dist/): exit codes, --strict, --json against its schema. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule from 'ajv';
import { beforeAll, describe, expect, test } from 'vitest';
import type { EntrySpec } from '../../fixtures/images/layer.js';
import { runCli } from '../helpers/cli.js';
import { REPO, scratchDir, writeImageFile } from './helpers.js';

const LAYER: EntrySpec[] = [
  { type: 'dir', path: 'usr' }, { type: 'dir', path: 'usr/share' }, { type: 'dir', path: 'usr/share/doc' }, { type: 'dir', path: 'usr/share/doc/a' },
  { type: 'file', path: 'usr/share/doc/a/README', content: { size: 4000, seed: 1 } },
  { type: 'dir', path: 'opt' }, { type: 'file', path: 'opt/data.bin', content: { size: 10_000, seed: 2 } },
  { type: 'symlink', path: 'opt/current', target: 'data.bin' },
];

let image: string;
let findingRules: string;
let cleanRules: string;
beforeAll(() => {
  image = writeImageFile([LAYER]);
  const d = scratchDir();
  findingRules = join(d, 'with-finding.json');
  writeFileSync(findingRules, JSON.stringify({ name: 'f', description: 'drops a symlink target', rules: [{ name: 'data', action: 'drop', why: 'test', paths: ['/opt/data.bin'] }] }));
  cleanRules = join(d, 'clean.json');
  writeFileSync(cleanRules, JSON.stringify({ name: 'c', description: 'drops docs', rules: [{ name: 'docs', action: 'drop', why: 'test', paths: ['/usr/share/doc/**'] }] }));
});

describe('whittle plan', () => {
  test('--json follows docs/plan.schema.json with the contract fields', () => {
    const r = runCli(['plan', image, '--rules', findingRules, 'generic', '--target', '5kB', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const schema = JSON.parse(readFileSync(join(REPO, 'docs/plan.schema.json'), 'utf8'));
    const validate = new AjvModule.default({ allErrors: true, strict: false }).compile(schema);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc).toMatchObject({ inputBytes: 14_000, projectedBytes: 0, savedBytes: 14_000, target: 5000, gap: -5000, reached: true, ruleSets: ['f', 'generic'] });
    expect(doc.rules.slice(0, 2).map((x: { name: string; files: number; bytes: number }) => [x.name, x.files, x.bytes])).toEqual([['f/data', 1, 10_000], ['generic/docs', 1, 4000]]);
    expect(doc.findings).toEqual([{ kind: 'symlink-dangling', path: '/opt/current', message: 'symlink /opt/current -> data.bin would dangle: data.bin (/opt/data.bin) is dropped by rule f/data', rule: 'f/data' }]);
    // files outside the working directory are shown by absolute path, built-in sets as rules/<name>.json
    expect(doc.sources).toEqual([findingRules, 'rules/generic.json']);
  });

  test('without a target, target and gap are null', () => {
    const doc = JSON.parse(runCli(['plan', image, '--rules', cleanRules, '--json']).stdout);
    expect([doc.target, doc.gap, doc.reached, doc.suggestions]).toEqual([null, null, null, []]);
  });

  test('--strict turns findings into exit 1; without findings it exits 0', () => {
    expect(runCli(['plan', image, '--rules', findingRules]).code).toBe(0);
    const strict = runCli(['plan', image, '--rules', findingRules, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('symlinks left dangling (1)');
    expect(runCli(['plan', image, '--rules', cleanRules, '--strict']).code).toBe(0);
  });

  test('the text report gives the verdict and the largest remaining bytes', () => {
    const r = runCli(['plan', image, '--rules', cleanRules, '--target', '1kB']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('target 1 kB NOT reached: 10 kB, 9 kB over');
    expect(r.stdout).toMatch(/drop\s+c\/docs\s+1\s+4 kB\s+28\.6%/);
    expect(r.stdout).toMatch(/dir\s+10 kB\s+1 files\s+\/opt/);
  });

  test('rule sets may be comma-separated', () => {
    const doc = JSON.parse(runCli(['plan', image, '--rules', `${cleanRules},generic`, '--json']).stdout);
    expect(doc.ruleSets).toEqual(['c', 'generic']);
  });

  test('usage errors exit 2 before the image is read', () => {
    const unknown = runCli(['plan', '/no/such/image.tar', '--rules', 'generc']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('whittle: unknown rule set "generc"\nhint: built-in rule sets: debian, el, generic, mu2e, mu2e-sim, ups; or give the path of a .json rule file\n');
    const bad = join(scratchDir(), 'typo.json');
    writeFileSync(bad, JSON.stringify({ name: 't', description: 'x', rules: [{ name: 'r', action: 'drop', paths: ['/x'], pahts: ['/y'] }] }));
    const typo = runCli(['plan', '/no/such/image.tar', '--rules', bad]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('rule "r" (rules[0]): unknown key "pahts"; did you mean "paths"?');
    expect(runCli(['plan', image, '--rules', 'generic', '--target', 'huge']).code).toBe(2);
    expect(runCli(['plan', image]).code).toBe(2);
  });

  test('an unreadable image exits 3', () => {
    const r = runCli(['plan', '/no/such/image.tar', '--rules', 'generic']);
    expect(r.code).toBe(3);
  });
});
