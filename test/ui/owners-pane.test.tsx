import { render } from 'ink-testing-library';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/analysis/analyze.js';
import { App } from '../../src/ui/components/App.js';
import { cursorLine, demoAnalysis, KEY, lines, press, pressUntil } from './helpers.js';

let a: Analysis;
beforeAll(async () => {
  a = await demoAnalysis();
});
let unmount = () => {};
afterEach(() => unmount());

function mount(analysis = a) {
  const r = render(<App analysis={analysis} plan={null} title="demo.tar" color={false} columns={80} rows={24} initialFocus="owners" />);
  unmount = r.unmount;
  return r;
}

describe('Owners pane', () => {
  it('lists owner groups by bytes, UPS products first here, each with bytes, files and wasted bytes', () => {
    const r = mount();
    const ls = lines(r.lastFrame()!);
    expect(ls[2]).toMatch(/^ +size +files +wasted +owner$/);
    expect(ls[3]).toMatch(/^› 1\.34 MB +496 +44\.2 kB +▾ UPS products$/);
    expect(ls[4]).toMatch(/^ +333 kB +54 +▸ root$/);
    expect(ls.slice(-4, -2)).toEqual(['UPS products', '1.34 MB in 496 files · 150 owners · wasted 44.2 kB']);
  });

  it('opens product → version → build and shows the build under the cursor in full', async () => {
    const r = mount();
    let f = await press(r, 'j', KEY.right);
    expect(lines(f)[5]).toMatch(/301 kB +41 +▸ v6_12_06a$/);
    f = await press(r, 'j', KEY.right, 'j');
    expect(cursorLine(f)).toMatch(/177 kB +20 +Linux64bit\+3\.10-2\.17 e17:prof$/);
    expect(lines(f).slice(-4, -2)).toEqual(['ups:root/v6_12_06a/Linux64bit+3.10-2.17/e17:prof', '177 kB in 20 files · requires gcc']);
    f = await press(r, KEY.left);
    expect(cursorLine(f)).toMatch(/▾ v6_12_06a$/);
  });

  it('Enter highlights the chosen owner’s files and shows only them in Files', async () => {
    const r = mount();
    await press(r, 'j', KEY.right, 'j', KEY.right, 'j');
    const f = await press(r, KEY.enter);
    expect(f).toContain('[2 Files]');
    expect(lines(f)[2]).toBe('merged tree (2.33 MB) · by size · • only ups:root v6_12_06a e17:prof 177 kB');
    // Only the way to the build's files and the files themselves: lib/libCore.so among them.
    expect(f).not.toContain('var/');
    expect(f).toContain('libCore.so');
    const marked = lines(f).filter((l) => /[•◦] /.test(l));
    expect(marked.length).toBeGreaterThan(5);
    // Back in Owners the choice is marked and named.
    const back = await press(r, '3');
    expect(cursorLine(back)).toContain('• ');
    expect(lines(back).at(-2)).toBe('highlighted in Files: ups:root/v6_12_06a/Linux64bit+3.10-2.17/e17:prof');
  });

  it('/ filters owners by name, Esc clears, s sorts by name', async () => {
    const r = mount();
    await press(r, '/');
    let f = await pressUntil(r, ['e17:debug', KEY.enter], (fr) => fr.includes('filter "e17:debug"'));
    expect(f).toContain('Linux64bit+3.10-2.17 e17:debug');
    expect(f).not.toContain('e17:prof');
    f = await press(r, KEY.escape);
    expect(f).not.toContain('filter "');
    f = await press(r, 's', 'g');
    expect(lines(f)[3]).toMatch(/^› +[0-9.]+ kB +[0-9,]+ +▾ OS packages$/);
    expect(lines(f)[4]).toMatch(/ {4}rpm:[a-z0-9-]+  [0-9][^ ]*\.el7(_[0-9])?$/);
  });

  it('says so when owner attribution was off', () => {
    const r = mount({ ...a, owners: null });
    expect(r.lastFrame()).toContain('owner attribution was turned off');
  });
});
