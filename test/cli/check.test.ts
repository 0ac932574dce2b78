/**
 * `whittle check` run as CI runs it: the built CLI as a child process on generated images whose
 * figures are known by construction (test/budget/ci-images.ts). Exit codes, reports, config files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelDive } from '../../fixtures/images/dive-model.js';
import { EXPECT, G4_BUILD_ID, NEW_LAYERS, writeCiImages, type CiImagePaths } from '../budget/ci-images.js';
import { REPO, runCli } from '../helpers/cli.js';
import { HAS_XMLLINT, parseXml, xmllint } from '../report/xml.js';

let img: CiImagePaths;
let work: string;

beforeAll(async () => {
  img = await writeCiImages();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'whittle-check-cli-'));
});
afterAll(() => {
  fs.rmSync(img.dir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

/** A fresh working directory holding the given files (config files are looked up in the cwd). */
function cwdWith(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(work, 'cwd-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const noGithub = { GITHUB_ACTIONS: '' };
const check = (args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) =>
  runCli(['check', ...args], { cwd: opts.cwd ?? cwdWith(), env: { ...noGithub, ...opts.env } });

const checkSchema = () => {
  const ajv = new Ajv2020.default({ allErrors: true, strict: true });
  return ajv.compile(JSON.parse(fs.readFileSync(path.join(REPO, 'docs/check.schema.json'), 'utf8')));
};

describe('whittle check: exit codes', () => {
  it('exits 0 when every budget holds', () => {
    const r = check([img.old, '--max-size', '1MB', '--budget', 'ups:geant4=500kB', '--max-layers', '3']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PASS\s+max-size\s+583 kB\s+≤ 1 MB$/m);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('✓ all 3 budgets hold');
    expect(r.stderr).toBe('');
  });

  it('exits 1 when a budget is exceeded, naming the budget, value, limit and largest contributors', () => {
    const r = check([img.new, '--max-size', '1MB', '--budget', 'ups:geant4=500kB', '--max-layers', '4']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^FAIL\s+max-size\s+1\.24 MB\s+≤ 1 MB\s+over by 243 kB$/m);
    expect(r.stdout).toMatch(/^FAIL\s+owner:ups:geant4\s+701 kB\s+≤ 500 kB\s+over by 201 kB$/m);
    expect(r.stdout).toMatch(/^PASS\s+max-layers\s+4\s+≤ 4$/m);
    expect(r.stdout).toMatch(/^\s+700 kB\s+ups:geant4\/v4_10_4b\/Linux64bit\+3\.10-2\.17\/e17:prof\s+ups build$/m);
    expect(r.stdout).toMatch(/^\s+660 kB\s+layer 3 sha256:[0-9a-f]{12}\s+RUN \/bin\/sh -c add-g4-data/m);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('✗ 2 of 3 budgets exceeded');
  });

  it('reads the image from stdin (docker save app | whittle check -)', () => {
    const r = runCli(['check', '-', '--max-size', '1MB', '--json'], { input: fs.readFileSync(img.new), cwd: cwdWith(), env: noGithub });
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.image.input).toBe('-');
    expect(doc.budgets[0].measured).toBe(EXPECT.new.layerBytes);
  });

  it('exits 2 for usage and config errors, with a message saying what to do', () => {
    const none = check([img.new]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('whittle: no budgets to check');
    expect(none.stderr).toContain('hint: give --max-size 1GB');
    expect(check([img.new, '--max-size', 'huge']).stderr).toContain('--max-size: "huge" is not valid; use a size like "1GB"');
    expect(check([img.new, '--max-size', 'huge']).code).toBe(2);
    expect(check([img.new, '--max-sise', '1GB']).code).toBe(2);
    const both = check([img.new, '--max-size', '1GB', '--json', '--markdown']);
    expect([both.code, both.stdout]).toEqual([2, '']);
    const baseline = check([img.new, '--max-size', '1GB', '--baseline', img.old]);
    expect(baseline.code).toBe(2);
    expect(baseline.stderr).toContain('--baseline needs a growth limit');
  });

  it('exits 3 when the image (or the baseline) cannot be read', () => {
    const junk = path.join(work, 'junk.tar');
    fs.writeFileSync(junk, Buffer.alloc(4096, 7));
    const r = check([junk, '--max-size', '1GB']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    const missing = check([path.join(work, 'missing.tar'), '--max-size', '1GB']);
    expect(missing.code).toBe(3);
    const base = check([img.new, '--max-growth', '1MB', '--baseline', junk]);
    expect(base.code).toBe(3);
    expect(base.stderr).toMatch(/^whittle: baseline .*junk\.tar: /m);
  });

  it('exits 4 when a report file cannot be written', () => {
    const r = check([img.new, '--max-size', '1GB', '--junit', path.join(work, 'no/such/dir/junit.xml')]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('writing ');
  });
});

describe('whittle check: reports', () => {
  it('--json follows docs/check.schema.json with exact measured values', () => {
    const r = check([img.new, '--max-size', '1MB', '--max-merged-size', '1MB', '--max-wasted', '100kB', '--budget', '/products/root/**=1MB', '--budget', 'ups:nope=1', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout);
    const validate = checkSchema();
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.passed).toBe(false);
    expect(doc.summary).toEqual({ total: 5, passed: 3, failed: 2, skipped: 0 });
    expect(doc.image).toMatchObject({ input: img.new, tags: ['whittle/ci:new'] });
    const by = Object.fromEntries(doc.budgets.map((b: { name: string }) => [b.name, b]));
    expect(Object.keys(by)).toEqual(['max-size', 'max-merged-size', 'max-wasted', 'owner:ups:nope', 'path:/products/root/**']);
    expect(by['max-size']).toMatchObject({ status: 'fail', measured: EXPECT.new.layerBytes, limit: 1_000_000, excess: EXPECT.new.layerBytes - 1_000_000, limitText: '1MB', source: { kind: 'flag', key: '--max-size', file: null, line: null } });
    expect(by['max-merged-size']).toMatchObject({ status: 'pass', measured: EXPECT.new.mergedBytes });
    expect(by['max-wasted']).toMatchObject({ status: 'fail', measured: EXPECT.new.wastedBytes, excess: 150_000 });
    expect(by['path:/products/root/**']).toMatchObject({ status: 'pass', measured: EXPECT.rootNew });
    expect(by['max-wasted'].contributors[0]).toEqual({ kind: 'path', id: '/products/root/v6_12_06a/Linux64bit+3.10-2.17-e17-prof/lib/libRIO.so', bytes: 200_000, index: null, detail: 'overwritten by a later layer' });
    expect(doc.warnings).toEqual([{ severity: 'warning', code: 'budget-matches-nothing', message: 'budget owner:ups:nope matches no owner in the image', layer: null, path: null }]);
  });

  it('--junit writes one test case per budget that parses as XML', () => {
    const junit = path.join(work, 'junit.xml');
    const r = check([img.new, '--max-size', '1MB', '--max-layers', '10', '--max-growth', '5%', '--budget', '/opt/**=1kB', '--junit', junit]);
    expect(r.code).toBe(1);
    const xml = fs.readFileSync(junit, 'utf8');
    if (HAS_XMLLINT) expect(xmllint(xml)).toBeNull();
    const root = parseXml(xml);
    expect(root.attrs).toMatchObject({ tests: '4', failures: '2', skipped: '1' });
    const cases = root.children[0]!.children.filter((c) => c.name === 'testcase');
    expect(cases.map((c) => [c.attrs.name, c.children.map((k) => k.name).join()])).toEqual([
      ['max-size', 'failure'],
      ['max-layers', 'system-out'],
      ['path:/opt/**', 'failure'],
      ['baseline', 'skipped'],
    ]);
    expect(cases[2]!.children[0]!.attrs.message).toBe('path:/opt/**: 10 kB is over the limit of 1 kB by 9.02 kB; largest: /opt/new 10 kB, /opt/calib 22 B');
    expect(r.stdout).toMatch(/^FAIL\s+max-size/m); // the text report still goes to stdout
  });

  it.skipIf(!HAS_XMLLINT)('the JUnit file passes xmllint --noout (Debian libxml2-utils)', () => {
    const junit = path.join(work, 'junit-lint.xml');
    check([img.new, '--max-size', '1MB', '--junit', junit]);
    expect(xmllint(fs.readFileSync(junit, 'utf8'))).toBeNull();
  });

  it('--markdown prints a job-summary table; --json-file and --markdown-file write alongside', () => {
    const md = check([img.new, '--max-size', '1MB', '--max-layers', '10', '--markdown']);
    expect(md.code).toBe(1);
    const lines = md.stdout.split('\n');
    expect(lines[0]).toBe('### ❌ whittle check: 1 of 2 budgets exceeded');
    expect(lines).toContain('| ❌ fail | `max-size` | 1.24 MB | ≤ 1 MB | over by 243 kB |');
    expect(lines).toContain('| ✅ pass | `max-layers` | 4 | ≤ 10 |  |');
    expect(lines).toContain('#### ❌ `max-size`');
    const jf = path.join(work, 'r.json');
    const mf = path.join(work, 'r.md');
    const both = check([img.new, '--max-size', '1MB', '--json-file', jf, '--markdown-file', mf]);
    expect(both.code).toBe(1);
    expect(both.stdout).toMatch(/^whittle check /);
    expect(JSON.parse(fs.readFileSync(jf, 'utf8')).budgets[0].name).toBe('max-size');
    expect(fs.readFileSync(mf, 'utf8').split('\n')[0]).toBe('### ❌ whittle check: 1 of 1 budget exceeded');
  });

  it('writes GitHub Actions annotations when GITHUB_ACTIONS=true', () => {
    const gh = { GITHUB_ACTIONS: 'true' };
    const text = check([img.new, '--max-size', '1MB', '--max-layers', '10'], { env: gh });
    const errors = text.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(errors).toEqual([`::error title=whittle budget max-size::max-size: 1.24 MB is over the limit of 1 MB by 243 kB; largest: layer 3 660 kB, layer 1 550 kB, layer 0 32.5 kB`]);
    // with --json on stdout, annotations go to stderr so the document stays parseable
    const json = check([img.new, '--max-size', '1MB', '--json'], { env: gh });
    expect(JSON.parse(json.stdout).passed).toBe(false);
    expect(json.stderr).toMatch(/^::error title=whittle budget max-size::/m);
    expect(check([img.new, '--max-size', '1MB', '--no-annotations'], { env: gh }).stdout).not.toContain('::error');
    expect(check([img.new, '--max-size', '1MB']).stdout).not.toContain('::error');
  });
});

describe('whittle check: config files', () => {
  const CONFIG = `{
  "$schema": "./docs/config.schema.json",
  "budgets": {
    "max-size": "1MB",
    "max-layers": 10,
    "owners": { "ups:geant4": "500kB" },
    "paths": { "/products/root/**": "400kB" }
  }
}
`;

  it('reads whittle.config.json from the working directory; annotations point at its lines', () => {
    const cwd = cwdWith({ 'whittle.config.json': CONFIG });
    const r = check([img.new, '--json'], { cwd, env: { GITHUB_ACTIONS: 'true' } });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.config).toEqual({ file: 'whittle.config.json', kind: 'whittle' });
    expect(doc.budgets.map((b: { name: string; status: string }) => `${b.name} ${b.status}`)).toEqual([
      'max-size fail',
      'max-layers pass',
      'owner:ups:geant4 fail',
      'path:/products/root/** pass',
    ]);
    expect(doc.budgets[2].source).toEqual({ kind: 'config', file: 'whittle.config.json', key: 'budgets.owners["ups:geant4"]', line: 6 });
    expect(r.stderr).toContain('::error title=whittle budget max-size,file=whittle.config.json,line=4::');
    expect(r.stderr).toContain('::error title=whittle budget owner%3Aups%3Ageant4,file=whittle.config.json,line=6::');
  });

  it('flags override the config; --no-config ignores it', () => {
    const cwd = cwdWith({ 'whittle.config.json': CONFIG });
    const r = check([img.new, '--max-size', '2MB', '--budget', 'ups:geant4=1MB', '--json'], { cwd });
    expect(r.code).toBe(0);
    const sizes = JSON.parse(r.stdout).budgets.map((b: { name: string; limit: number; source: { kind: string } }) => [b.name, b.limit, b.source.kind]);
    expect(sizes).toEqual([
      ['max-size', 2_000_000, 'flag'],
      ['max-layers', 10, 'config'],
      ['owner:ups:geant4', 1_000_000, 'flag'],
      ['path:/products/root/**', 400_000, 'config'],
    ]);
    const noConfig = check([img.new, '--no-config', '--max-layers', '9', '--json'], { cwd });
    expect(JSON.parse(noConfig.stdout).budgets.map((b: { name: string }) => b.name)).toEqual(['max-layers']);
  });

  it('a typo in the config exits 2 naming the key and the closest valid one', () => {
    const cwd = cwdWith({ 'whittle.config.json': '{ "budgets": { "max-layer-sise": "1MB" } }' });
    const r = check([img.new], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('whittle: whittle.config.json: unknown key "budgets.max-layer-sise"; did you mean "max-layer-size"?\n');
  });

  it('reads the whittle key of package.json and --config FILE', () => {
    const cwd = cwdWith({ 'package.json': JSON.stringify({ name: 'app', whittle: { budgets: { 'max-layers': 3 } } }), 'ci.json': '{"budgets":{"max-layers":5}}' });
    const pkg = check([img.new, '--json'], { cwd });
    expect(pkg.code).toBe(1);
    expect(JSON.parse(pkg.stdout).budgets[0]).toMatchObject({ name: 'max-layers', source: { file: 'package.json', key: 'whittle.budgets.max-layers' } });
    const explicit = check([img.new, '--config', 'ci.json'], { cwd });
    expect(explicit.code).toBe(0);
  });

  it("reads dive's .dive-ci and gives dive's verdicts", () => {
    const dive = modelDive(NEW_LAYERS);
    const efficiency = dive.minSum / dive.cumulativeSum; // ≈ 0.7586
    const userPercent = dive.wastedBytes / dive.userSize; // ≈ 0.4132
    const strict = cwdWith({ '.dive-ci': `rules:\n  lowest-efficiency: ${(efficiency + 0.01).toFixed(4)}\n  highest-wasted-bytes: 1MB\n  highest-user-wasted-percent: 0.5\n` });
    const r = check([img.new, '--json'], { cwd: strict });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.config).toEqual({ file: '.dive-ci', kind: 'dive-ci' });
    expect(doc.budgets.map((b: { name: string; status: string; measured: number }) => [b.name, b.status])).toEqual([
      ['min-efficiency', 'fail'],
      ['dive-wasted-bytes', 'pass'],
      ['dive-user-wasted-percent', 'pass'],
    ]);
    expect(doc.budgets[0].measured).toBeCloseTo(efficiency, 12);
    expect(doc.budgets[1].measured).toBe(dive.wastedBytes);
    expect(doc.budgets[2].measured).toBeCloseTo(userPercent, 12);
    // a .dive-ci with only lowest-efficiency: dive's default highest-user-wasted-percent 0.1 applies and fails
    const defaults = cwdWith({ '.dive-ci': 'rules:\n  lowestEfficiency: 0.5\n' });
    const d = check([img.new], { cwd: defaults });
    expect(d.code).toBe(1);
    expect(d.stdout).toMatch(/^PASS\s+min-efficiency\s+75\.86%\s+≥ 50\.00%$/m);
    expect(d.stdout).toMatch(/^FAIL\s+dive-user-wasted-percent\s+41\.32%\s+≤ 10\.00%/m);
    expect(d.stdout).toContain('warning: .dive-ci: "lowestEfficiency" is deprecated in dive; use "lowest-efficiency"');
    const typo = check([img.new], { cwd: cwdWith({ '.dive-ci': 'rules:\n  highest-wasted-byte: 1MB\n' }) });
    expect([typo.code, typo.stderr]).toEqual([2, 'whittle: .dive-ci:2: unknown key "rules.highest-wasted-byte"; did you mean "highest-wasted-bytes"?\n']);
  });
});

describe('whittle check: baseline', () => {
  it('fails when the image grew more than allowed over the baseline, naming what grew', () => {
    const r = check([img.new, '--baseline', img.old, '--max-growth', '500kB']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`baseline  whittle/ci:old (${img.old})`);
    expect(r.stdout).toMatch(/^FAIL\s+baseline\s+\+660 kB\s+≤ \+500 kB\s+over by 160 kB$/m);
    expect(r.stdout).toMatch(/^\s+400 kB\s+ups:geant4\/v4_10_4b\/Linux64bit\+3\.10-2\.17\/e17:prof\s+300 kB → 700 kB$/m);
    const json = JSON.parse(check([img.new, '--baseline', img.old, '--max-growth', '200%', '--json']).stdout);
    expect(json.passed).toBe(true);
    expect(json.baseline).toMatchObject({ input: img.old, tags: ['whittle/ci:old'] });
    expect(json.budgets[0]).toMatchObject({ name: 'baseline', measured: 660_000, limit: 2 * EXPECT.old.layerBytes, limitText: '200%' });
    expect(json.budgets[0].contributors[0]).toMatchObject({ kind: 'owner', id: G4_BUILD_ID, bytes: 400_000 });
  });

  it('the same image as its own baseline has grown by 0', () => {
    const r = check([img.old, '--baseline', img.old, '--max-growth', '0', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).budgets[0]).toMatchObject({ measured: 0, limit: 0, status: 'pass' });
  });
});

describe('whittle check: plan budgets', () => {
  const RULES = JSON.stringify({
    name: 'g4data',
    description: 'test rule set: drop the geant4 data files',
    rules: [{ name: 'g4-share', action: 'drop', why: 'test data', paths: ['/products/geant4/*/*/share/**'] }],
  });

  it('the plan for a rule set must reach the target: projected bytes vs the limit', () => {
    const cwd = cwdWith({ 'g4data.json': RULES });
    const projected = EXPECT.new.mergedBytes - 400_000;
    const ok = check([img.new, '--plan', `./g4data.json=${projected}`, '--json'], { cwd });
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).budgets[0]).toMatchObject({ name: 'plan:./g4data.json', kind: 'plan', measured: projected, status: 'pass' });
    const miss = check([img.new, '--plan', `./g4data.json=${projected - 1}`, '--json'], { cwd });
    expect(miss.code).toBe(1);
    const b = JSON.parse(miss.stdout).budgets[0];
    expect(b).toMatchObject({ status: 'fail', excess: 1 });
    // what is left, largest first: the geant4 build without its data, then ROOT
    expect(b.contributors.slice(0, 2).map((c: { kind: string; id: string }) => [c.kind, c.id])).toEqual([
      ['suggestion', G4_BUILD_ID],
      ['suggestion', 'ups:root/v6_12_06a/Linux64bit+3.10-2.17/e17:prof'],
    ]);
  });

  it('plan budgets come from the config too; an unknown rule set exits 2 before reading the image', () => {
    const cwd = cwdWith({ 'g4data.json': RULES, 'whittle.config.json': JSON.stringify({ budgets: { plans: { './g4data.json': '1MB' } } }) });
    expect(check([img.new], { cwd }).code).toBe(0);
    const r = check(['/nonexistent/image.tar', '--plan', 'nosuch=1GB']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('whittle: budget plan:nosuch: unknown rule set "nosuch"');
  });
});
