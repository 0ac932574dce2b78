import { describe, expect, it } from 'vitest';
import { parseDiveCi } from '../../src/config/dive-ci.js';

const summary = (text: string) => parseDiveCi(text, '.dive-ci').specs.map((s) => [s.name, s.limit, s.source.kind, s.source.line ?? null]);

describe('.dive-ci → budgets', () => {
  it('maps the three dive rules and fills in dive defaults for the missing ones', () => {
    expect(summary('rules:\n  lowest-efficiency: 0.95\n')).toEqual([
      ['min-efficiency', 0.95, 'dive-ci', 2],
      // highest-wasted-bytes defaults to disabled in dive: no budget
      ['dive-user-wasted-percent', 0.1, 'dive-default', null],
    ]);
    expect(summary('rules:\n  lowest-efficiency: 0.9\n  highest-wasted-bytes: 20MB\n  highest-user-wasted-percent: 0.2\n')).toEqual([
      ['min-efficiency', 0.9, 'dive-ci', 2],
      ['dive-wasted-bytes', 20_000_000, 'dive-ci', 3],
      ['dive-user-wasted-percent', 0.2, 'dive-ci', 4],
    ]);
  });

  it('an empty file means dive defaults, as in dive', () => {
    expect(summary('')).toEqual([
      ['min-efficiency', 0.9, 'dive-default', null],
      ['dive-user-wasted-percent', 0.1, 'dive-default', null],
    ]);
  });

  it('turns rules off with disabled / off / false', () => {
    expect(summary('rules:\n  lowest-efficiency: disabled\n  highest-user-wasted-percent: "off"\n')).toEqual([]);
  });

  it('accepts the legacy camelCase keys with a deprecation warning', () => {
    const r = parseDiveCi('rules:\n  lowestEfficiency: 0.8\n  highestWastedBytes: 1MB\n', '.dive-ci');
    expect(r.specs.map((s) => [s.name, s.limit, s.source.key])).toEqual([
      ['min-efficiency', 0.8, 'rules.lowestEfficiency'],
      ['dive-wasted-bytes', 1_000_000, 'rules.highestWastedBytes'],
      ['dive-user-wasted-percent', 0.1, 'rules.highest-user-wasted-percent'],
    ]);
    expect(r.warnings.map((w) => w.message)).toEqual([
      '.dive-ci: "lowestEfficiency" is deprecated in dive; use "lowest-efficiency"',
      '.dive-ci: "highestWastedBytes" is deprecated in dive; use "highest-wasted-bytes"',
    ]);
  });

  it('names unknown keys with the closest valid one', () => {
    expect(() => parseDiveCi('rules:\n  lowest-eficiency: 0.9\n', '.dive-ci')).toThrow('.dive-ci:2: unknown key "rules.lowest-eficiency"; did you mean "lowest-efficiency"?');
    expect(() => parseDiveCi('rule:\n  lowest-efficiency: 0.9\n', '.dive-ci')).toThrow('.dive-ci:1: unknown key "rule"; did you mean "rules"?');
    expect(() => parseDiveCi('lowest-efficiency: 0.9\n', '.dive-ci')).toThrow('.dive-ci:1: "lowest-efficiency" must be under "rules:"');
  });

  it('rejects values dive would reject, with the line', () => {
    expect(() => parseDiveCi('rules:\n  lowest-efficiency: 95%\n', 'ci/.dive-ci')).toThrow('ci/.dive-ci:2: rules.lowest-efficiency must be a ratio between 0 and 1 (e.g. 0.9) or "disabled", got "95%"');
    expect(() => parseDiveCi('rules:\n  highest-wasted-bytes: lots\n', '.dive-ci')).toThrow('.dive-ci:2: rules.highest-wasted-bytes must be a size like "20MB" or "disabled", got "lots"');
    expect(() => parseDiveCi('rules:\n  lowest-efficiency: 0.9\n  lowestEfficiency: 0.8\n', '.dive-ci')).toThrow('.dive-ci:3: "rules.lowestEfficiency" repeats "rules.lowest-efficiency"; keep one');
  });
});
