import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { UsageError } from '../../src/errors.js';

const dirs: string[] = [];
function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whittle-config-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const WHITTLE = '{\n  "budgets": {\n    "max-size": "1GB",\n    "owners": {\n      "ups:geant4": "500MB"\n    }\n  }\n}\n';

describe('loadConfig', () => {
  it('finds whittle.config.json first and records the line of each budget', () => {
    const cwd = project({ 'whittle.config.json': WHITTLE, '.dive-ci': 'rules:\n  lowest-efficiency: 0.9\n', 'package.json': '{"whittle":{"budgets":{}}}' });
    const c = loadConfig({ cwd });
    expect(c.file).toBe('whittle.config.json');
    expect(c.specs.map((s) => [s.name, s.limit, s.source.key, s.source.line])).toEqual([
      ['max-size', 1_000_000_000, 'budgets.max-size', 3],
      ['owner:ups:geant4', 500_000_000, 'budgets.owners["ups:geant4"]', 5],
    ]);
    expect(c.warnings.map((w) => w.message)).toEqual(['package.json ignored: whittle.config.json comes first', '.dive-ci ignored: whittle.config.json comes first']);
  });

  it('reads the whittle key of package.json, and skips a package.json without one', () => {
    const cwd = project({ 'package.json': '{"name":"app","whittle":{"budgets":{"max-layers":9}}}' });
    expect(loadConfig({ cwd }).specs.map((s) => [s.name, s.limit, s.source.key])).toEqual([['max-layers', 9, 'whittle.budgets.max-layers']]);
    const cwd2 = project({ 'package.json': '{"name":"app"}', '.dive-ci': 'rules:\n  lowest-efficiency: 0.8\n' });
    const c2 = loadConfig({ cwd: cwd2 });
    expect(c2.file).toBe('.dive-ci');
    expect(c2.kind).toBe('dive-ci');
    expect(c2.specs[0]!.limit).toBe(0.8);
    expect(c2.warnings).toEqual([]);
  });

  it('returns no budgets without a config, or with --no-config', () => {
    expect(loadConfig({ cwd: project({}) }).specs).toEqual([]);
    expect(loadConfig({ cwd: project({ 'whittle.config.json': WHITTLE }), disabled: true }).file).toBeNull();
  });

  it('reads --config by kind: .json, package.json, anything else as .dive-ci', () => {
    const cwd = project({ 'ci/budgets.json': WHITTLE, 'ci/dive.yaml': 'rules:\n  lowest-efficiency: 0.7\n', 'ci/package.json': '{"name":"x"}' });
    expect(loadConfig({ cwd, path: 'ci/budgets.json' }).file).toBe(path.join('ci', 'budgets.json'));
    expect(loadConfig({ cwd, path: 'ci/dive.yaml' }).specs[0]!.limit).toBe(0.7);
    expect(() => loadConfig({ cwd, path: 'ci/package.json' })).toThrow('ci/package.json: no "whittle" key');
    expect(() => loadConfig({ cwd, path: 'nope.json' })).toThrow('config file nope.json not found');
  });

  it('fails with exit-2 errors that name the file, the key and the closest valid key', () => {
    const cwd = project({ 'whittle.config.json': '{"budgets":{"max-sise":"1GB","max-layers":"x"}}' });
    let err: unknown;
    try {
      loadConfig({ cwd });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as Error).message).toBe(
      'whittle.config.json: unknown key "budgets.max-sise"; did you mean "max-size"? (and 1 more: budgets.max-layers must be a whole number ≥ 0, got "x")',
    );
    const pkg = project({ 'package.json': '{"whittle":{"budgets":{"maxSize":"1GB"}}}' });
    expect(() => loadConfig({ cwd: pkg })).toThrow('package.json ("whittle" key): unknown key "budgets.maxSize"; did you mean "max-size"?');
  });

  it('checks owner selectors with the rule-file selector parser', () => {
    const cwd = project({ 'whittle.config.json': '{"budgets":{"owners":{"ups[fresh]:geant4":"1GB"}}}' });
    expect(() => loadConfig({ cwd })).toThrow(/^whittle\.config\.json: budgets\.owners\["ups\[fresh\]:geant4"\]: unknown tag "fresh"/);
  });

  it('points at the line and column of broken JSON', () => {
    const cwd = project({ 'whittle.config.json': '{\n  "budgets": {\n    "max-size": "1GB",\n  }\n}\n' });
    expect(() => loadConfig({ cwd })).toThrow(/^whittle\.config\.json:4:3: not valid JSON/);
  });
});
