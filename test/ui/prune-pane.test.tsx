import { render } from 'ink-testing-library';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/analysis/analyze.js';
import { ruleSetFromObject } from '../../src/prune/load-rules.js';
import { App } from '../../src/ui/components/App.js';
import type { PlanProvider } from '../../src/ui/plan-provider.js';
import { plannerProvider } from '../../src/ui/planner-provider.js';
import { cursorLine, demoAnalysis, KEY, lines, press, pressUntil, waitForFrame } from './helpers.js';

let a: Analysis;
let provider: PlanProvider;
beforeAll(async () => {
  a = await demoAnalysis(true);
  const rules = ruleSetFromObject({
    name: 'ui-test',
    description: 'rules for the Prune pane tests',
    rules: [
      { name: 'boost', action: 'drop', why: 'pretend nothing needs boost', owners: ['ups:boost'] },
      { name: 'static-libs', action: 'drop', why: 'static libraries are only linked at build time', paths: ['**/*.a'] },
      { name: 'logs', action: 'drop', paths: ['/var/log/**'] },
    ],
  });
  provider = await plannerProvider(a, rules, 2_200_000);
});
let unmount = () => {};
afterEach(() => unmount());

function mount(plan: PlanProvider | null = provider, planNote?: string[]) {
  const r = render(<App analysis={a} plan={plan} {...(planNote ? { planNote } : {})} title="demo.tar" color={false} columns={80} rows={24} initialFocus="prune" />);
  unmount = r.unmount;
  return r;
}

const ready = (f: string) => f.includes('safety findings: 26');

describe('plan marks', () => {
  it('credit the bytes a plan drops to every directory above them; at the root they are what it saves', async () => {
    const { planMarks } = await import('../../src/ui/plan-marks.js');
    const e = provider.evaluate([true, true, true], { findings: false });
    const m = planMarks(a.tree, e.dropped!);
    expect(m.droppedBytes[0]).toBe(e.plan.savedBytes);
    const boost = a.tree.lookup('products/boost');
    expect(m.droppedBytes[boost]).toBe(a.tree.cumulativeBytes(boost));
    expect(e.plan.rules[0]!.bytes).toBe(a.tree.cumulativeBytes(boost));
  });
});

describe('Prune pane', () => {
  it('shows each rule with what it saves, the projected size against the target, and the safety findings', async () => {
    const r = mount();
    const f = await waitForFrame(r, ready);
    const ls = lines(f);
    expect(ls[2]).toBe('rules: ui-test · target 2.2 MB · 3/3 on');
    // 180 kB (boost) + 34.6 kB (static libraries) + 9.76 kB (a log) = 224 kB saved.
    expect(ls[4]).toBe(' 2.11 MB of 2.33 MB · saves 224 kB (9.6%) · target 2.2 MB: met, 90.9 kB to spare');
    // 2.11 of 2.33 MB over 78 columns: 70 filled; the target (2.2 MB) marked at column 74.
    expect(ls[3]).toBe(` ${'█'.repeat(70)}░░░│░░░░`);
    expect(ls[6]).toMatch(/^›\[x\] ui-test\/boost +11 +180 kB  pretend nothing needs/);
    expect(ls[7]).toMatch(/^ \[x\] ui-test\/static-libs +18 +34\.6 kB  static libraries/);
    expect(f).toMatch(/safety findings: 26 · f to read them/);
    expect(f).toMatch(/ups-requirement-dropped: ups:cetlib\/v3_03_00/);
  });

  it('Space switches a rule off: the plan, the gauge and the rule row update, findings go stale; r re-checks', async () => {
    const r = mount();
    await waitForFrame(r, ready);
    let f = await pressUntil(r, ' ', (fr) => fr.includes('2/3 on') && !fr.includes('updating'));
    expect(cursorLine(f)).toMatch(/^›\[ \] ui-test\/boost +—/);
    // Without boost's rule its static libraries fall to the static-libs rule: 94.6 kB + 9.76 kB.
    expect(lines(f)[4]).toBe(' 2.23 MB of 2.33 MB · saves 104 kB (4.5%) · target 2.2 MB: 29.2 kB over');
    expect(lines(f)[7]).toMatch(/^ \[x\] ui-test\/static-libs +20 +94\.6 kB/);
    expect(f).toContain('safety findings: 26 (for earlier toggles: r re-checks)');
    f = await pressUntil(r, 'r', (fr) => /safety findings: \d+ · f/.test(fr) && !fr.includes('earlier'));
    // Without the boost rule only a static-library finding remains.
    expect(f).toMatch(/safety findings: 1 · f to read them/);
    expect(f).toContain('package-partial: rpm:glibc-devel would lose 3 of its 13 files');
    f = await press(r, 'a');
    // Until the new plan is in, the rule switched back on shows no figures.
    if (f.includes('updating')) expect(cursorLine(f)).toMatch(/^›\[x\] ui-test\/boost +…  /);
    f = await waitForFrame(r, (fr) => fr.includes('3/3 on') && !fr.includes('updating'));
    expect(cursorLine(f)).toMatch(/^›\[x\] ui-test\/boost +11 +180 kB/);
    f = await pressUntil(r, 'n', (fr) => fr.includes('0/3 on') && !fr.includes('updating'));
    expect(lines(f)[4]).toMatch(/^ 2\.33 MB of 2\.33 MB · saves 0 B \(0\.0%\)/);
  });

  it('f moves to the findings, which read in full under the list', async () => {
    const r = mount();
    await waitForFrame(r, ready);
    const f = await press(r, 'f');
    expect(f).toContain('safety findings: 26 · f back to the rules');
    expect(f).not.toContain('ui-test/static-libs');
    const cur = cursorLine(f)!;
    expect(cur).toMatch(/^›ups-requirement-dropped: /);
    // The full message wraps over the last lines of the pane.
    expect(lines(f).slice(-4, -1).map((l) => l.trim()).join(' ')).toMatch(/^ups-requirement-dropped: ups:cetlib\/v3_03_00\/Linux64bit\+3\.10-2\.17\/e17:debug stays but requires ups:boost/);
    const next = await press(r, 'j');
    expect(cursorLine(next)).not.toBe(cur);
    expect(await press(r, 'f')).toContain('ui-test/static-libs');
  });

  it('says how to give rules when there are none', () => {
    const r = mount(null, ['no rule set given', 'run: whittle inspect IMAGE --rules NAME… [--target SIZE]']);
    expect(lines(r.lastFrame()!).slice(2, 4)).toEqual(['no rule set given', 'run: whittle inspect IMAGE --rules NAME… [--target SIZE]']);
  });

  it("marks what the plan drops in Files, and how much under the cursor's path", async () => {
    const r = mount();
    await waitForFrame(r, ready);
    const f = await pressUntil(r, ['2', KEY.right], (fr) => fr.includes('▾ products/'));
    expect(lines(f).find((l) => l.includes('▸ boost/'))).toMatch(/ x +▸ boost\/ /);
    expect(lines(f).find((l) => l.includes('▾ products/'))).toMatch(/ - ▾ products\//);
    expect(lines(f).at(-2)).toBe('/products · 1.34 MB · 44.2 kB hidden by later layers · plan drops 215 kB');
  });
});
