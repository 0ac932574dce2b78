import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/prune/types.js';
import { createPruneState, enabledKey, findingsStale, gauge, reducePrune, ruleColumns, ruleRows } from '../../src/ui/prune-model.js';

function plan(over: Partial<Plan>): Plan {
  return {
    ruleSets: ['t'],
    inputBytes: 1000,
    projectedBytes: 600,
    savedBytes: 400,
    projectedImageBytes: 700,
    target: 500,
    gap: 100,
    inputFiles: 10,
    projectedFiles: 6,
    rules: [],
    findings: [],
    suggestions: [],
    warnings: [],
    findingCounts: {},
    notes: { droppedDirs: 0, emptiedDirs: 0, droppedSymlinks: 0, hardlinksRepointed: 0, elfChecked: 0, elfUnresolvedBefore: 0, symlinksDanglingBefore: 0 },
    ...over,
  } as Plan;
}

describe('prune model', () => {
  it('asks for a plan with findings first, then a quick plan per toggle, and marks findings stale', () => {
    let s = createPruneState(3, 10, 4);
    expect(s.pending).toBe('findings');
    s = reducePrune(s, { type: 'started', work: 'findings' });
    expect([s.pending, s.running]).toEqual([null, 'findings']);
    const f = { kind: 'symlink-dangling' as const, path: '/x', message: 'symlink "/x" would point to "/y", which the plan drops' };
    s = reducePrune(s, { type: 'evaluated', evaluation: { plan: plan({ findings: [f] }), dropped: null }, key: '111', findings: true });
    expect([s.pending, s.running, s.findings.length, findingsStale(s)]).toEqual([null, null, 1, false]);
    s = reducePrune(s, { type: 'toggle' });
    expect(s.enabled).toEqual([false, true, true]);
    expect(s.pending).toBe('plan');
    expect(findingsStale(s)).toBe(true);
    s = reducePrune(s, { type: 'started', work: 'plan' });
    // A second toggle while the first plan runs: the result is for old toggles, so another plan is due.
    s = reducePrune(s, { type: 'move', by: 1 });
    s = reducePrune(s, { type: 'toggle' });
    s = reducePrune(s, { type: 'evaluated', evaluation: { plan: plan({}), dropped: null }, key: '011', findings: false });
    expect(s.pending).toBe('plan');
    expect(enabledKey(s.enabled)).toBe('001');
    s = reducePrune(s, { type: 'started', work: 'plan' });
    s = reducePrune(s, { type: 'evaluated', evaluation: { plan: plan({}), dropped: null }, key: '001', findings: false });
    expect(s.pending).toBeNull();
    expect(s.findings.length).toBe(1);
    s = reducePrune(s, { type: 'recheck' });
    expect(s.pending).toBe('findings');
  });

  it('switches every rule on or off at once', () => {
    let s = createPruneState(3, 10, 4);
    s = reducePrune(s, { type: 'all', on: false });
    expect(s.enabled).toEqual([false, false, false]);
    s = reducePrune(s, { type: 'all', on: true });
    expect(s.enabled).toEqual([true, true, true]);
  });

  it('draws the projected size against the input with the target marked', () => {
    const g = gauge(plan({}), 20);
    // 600 of 1000 over 20 columns = 12 filled; target 500 → marker in column 10 (the 10th cell).
    expect(g.filled).toBe(12);
    expect(g.marker).toBe(9);
    expect(g.bar).toBe('█████████│██░░░░░░░░');
    expect(g.overTarget).toBe(true);
    expect(g.text).toBe('600 B of 1 kB · saves 400 B (40.0%) · target 500 B: 100 B over');
    const met = gauge(plan({ projectedBytes: 400, savedBytes: 600, gap: -100 }), 20);
    expect(met.overTarget).toBe(false);
    expect(met.text).toContain('target 500 B: met, 100 B to spare');
    expect(gauge(plan({ target: null, gap: null }), 20).marker).toBe(-1);
  });

  it('lists rules with what they save, a dash when off', () => {
    let s = createPruneState(2, 10, 4);
    const p = plan({
      rules: [
        { name: 'docs', action: 'drop', why: 'documentation', enabled: true, files: 1234, bytes: 5_000_000 },
        { name: 'keep-licenses', action: 'keep', why: null, enabled: true, files: 0, bytes: 0, keptFiles: 3, keptBytes: 3000 },
      ],
    });
    s = reducePrune(s, { type: 'evaluated', evaluation: { plan: p, dropped: null }, key: '11', findings: true });
    const rows = ruleRows(s, ['docs', 'keep-licenses'], ruleColumns(78));
    expect(rows[0]!.text).toMatch(/^\[x\] docs +1,234 +5 MB  documentation$/);
    expect(rows[1]!.text).toMatch(/^\[x\] keep keep-licenses +3 +\+3 kB/);
    s = reducePrune(s, { type: 'toggle', index: 0 });
    // Until the plan for the new toggles is in, the switched rule shows no figures.
    expect(ruleRows(s, ['docs', 'keep-licenses'], ruleColumns(78))[0]!.text).toMatch(/^\[ \] docs +…  documentation$/);
    const off = plan({ rules: [{ ...p.rules[0]!, enabled: false, files: 0, bytes: 0 }, p.rules[1]!] });
    s = reducePrune(s, { type: 'evaluated', evaluation: { plan: off, dropped: null }, key: '01', findings: false });
    expect(ruleRows(s, ['docs', 'keep-licenses'], ruleColumns(78))[0]!.text).toMatch(/^\[ \] docs +—  documentation$/);
  });
});
