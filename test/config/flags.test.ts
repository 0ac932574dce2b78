import { describe, expect, it } from 'vitest';
import { flagsToSpecs, mergeSpecs } from '../../src/config/flags.js';
import { UsageError } from '../../src/errors.js';

describe('budget flags', () => {
  it('turns flags into named budgets with parsed limits', () => {
    const specs = flagsToSpecs({
      'max-size': '1.2GB',
      'max-layers': '12',
      'min-efficiency': '90%',
      budget: ['ups:geant4=500MB', '/products/root/**=400MB', 'rpm:*-devel=0', '**/a=b/*.so=1kB'],
      maxGrowth: '5%',
      plan: ['mu2e=3GB'],
    });
    expect(specs.map((s) => [s.name, s.kind, s.selector ?? null, s.limit])).toEqual([
      ['max-size', 'max-size', null, 1_200_000_000],
      ['max-layers', 'max-layers', null, 12],
      ['min-efficiency', 'min-efficiency', null, 0.9],
      ['owner:ups:geant4', 'owner', 'ups:geant4', 500_000_000],
      ['path:/products/root/**', 'path', '/products/root/**', 400_000_000],
      ['owner:rpm:*-devel', 'owner', 'rpm:*-devel', 0],
      ['path:**/a=b/*.so', 'path', '**/a=b/*.so', 1000],
      ['baseline', 'baseline', null, 0.05],
      ['plan:mu2e', 'plan', 'mu2e', 3_000_000_000],
    ]);
    expect(specs.find((s) => s.name === 'baseline')!.limitIsFraction).toBe(true);
    expect(specs[0]!.source).toEqual({ kind: 'flag', key: '--max-size' });
  });

  it('reads --max-wasted 5% as the percent budget', () => {
    expect(flagsToSpecs({ 'max-wasted': '5%' }).map((s) => [s.name, s.limit])).toEqual([['max-wasted-percent', 0.05]]);
  });

  it('rejects bad values with the flag named', () => {
    expect(() => flagsToSpecs({ 'max-size': 'big' })).toThrow(UsageError);
    expect(() => flagsToSpecs({ 'max-size': 'big' })).toThrow('--max-size: "big" is not valid; use a size like "1GB", "500MiB" or a whole number of bytes');
    expect(() => flagsToSpecs({ budget: ['ups:geant4'] })).toThrow('--budget takes SELECTOR=SIZE');
    expect(() => flagsToSpecs({ budget: ['ups:geant4=huge'] })).toThrow('"huge" is not valid');
    expect(() => flagsToSpecs({ budget: ['rpms:glibc=1MB'] })).toThrow('"rpms:" is not an owner kind');
    expect(() => flagsToSpecs({ budget: ['!/opt/**=1MB'] })).toThrow('negated');
    expect(() => flagsToSpecs({ 'min-efficiency': '95' })).toThrow('--min-efficiency: "95" is not valid');
  });

  it('lets flags override config budgets of the same name, in a stable kind order', () => {
    const config = flagsToSpecs({ budget: ['ups:root=1GB'], 'max-size': '2GB', 'max-layers': '30' }).map((s) => ({ ...s, source: { kind: 'config' as const } }));
    const flags = flagsToSpecs({ 'max-size': '1GB', budget: ['/opt/**=1MB'] });
    const merged = mergeSpecs(config, flags);
    expect(merged.map((s) => [s.name, s.limit, s.source.kind])).toEqual([
      ['max-size', 1_000_000_000, 'flag'],
      ['max-layers', 30, 'config'],
      ['owner:ups:root', 1_000_000_000, 'config'],
      ['path:/opt/**', 1_000_000, 'flag'],
    ]);
  });
});
