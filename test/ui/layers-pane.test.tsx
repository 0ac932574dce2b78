import { render } from 'ink-testing-library';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/analysis/analyze.js';
import { App } from '../../src/ui/components/App.js';
import { cursorLine, demoAnalysis, KEY, lines, press, pressUntil, waitForFrame } from './helpers.js';

let a: Analysis;
beforeAll(async () => {
  a = await demoAnalysis();
});
let unmount = () => {};
afterEach(() => unmount());

function mount() {
  const r = render(<App analysis={a} plan={null} title="demo.tar" color={false} columns={80} rows={24} />);
  unmount = r.unmount;
  return r;
}

describe('Layers pane', () => {
  it('lists index, size, wasted bytes and command per layer', () => {
    const r = mount();
    const ls = lines(r.lastFrame()!);
    expect(ls[2]).toMatch(/^ +# +size +wasted +command$/);
    expect(ls[3]).toMatch(/^› +0 +486 kB +274 kB +\/bin\/sh -c #\(nop\) ADD file:/);
    expect(ls[4]).toMatch(/^ +1 +746 kB +13\.6 kB +\/bin\/sh -c yum install/);
    // The last layer hides nothing: its wasted cell is blank.
    expect(ls[8]).toMatch(/^ +5 +16\.5 kB +\/bin\/sh -c rm -rf/);
  });

  it('j/k and arrows move the cursor and the details follow it', async () => {
    const r = mount();
    expect(r.lastFrame()).toContain('added 558 files (486 kB) · modified none · removed none');
    let f = await press(r, 'j');
    expect(cursorLine(f)).toMatch(/^› +1 /);
    expect(f).toMatch(/layer 1 · [0-9a-f]{12} · 1,004 entries · 746 kB/);
    f = await press(r, KEY.down);
    expect(cursorLine(f)).toMatch(/^› +2 /);
    f = await press(r, 'k');
    expect(cursorLine(f)).toMatch(/^› +1 /);
    f = await press(r, 'G');
    expect(cursorLine(f)).toMatch(/^› +5 /);
    expect(f).toContain('nothing in it is hidden by later layers');
    f = await press(r, 'g');
    expect(cursorLine(f)).toMatch(/^› +0 /);
  });

  it("Enter shows the layer's changes in Files, tagged, with the bytes they hide", async () => {
    const r = mount();
    await press(r, 'G');
    // Building a layer's view takes a moment on big images: the footer says so first (on a busy
    // machine the finished view may already be the first frame we see).
    const first = await press(r, KEY.enter);
    expect(lines(first).at(-1) === 'building layer 5 changes…' || first.includes('layer 5 changes (')).toBe(true);
    const f = await waitForFrame(r, (fr) => fr.includes('layer 5 changes (') && !fr.includes('building'));
    expect(f).toContain('[2 Files]');
    expect(f).toContain('layer 5 changes (16.5 kB)');
    // The layer adds only 16.5 kB but its rm -rf hides 44.2 kB under /products.
    expect(lines(f).find((l) => l.includes('products/'))).toMatch(/0 B +44\.2 kB +▸ products\/$/);
    // Its whiteouts are the deleted (D) rows: the product source directories it removed.
    const found = await pressUntil(r, ['/', 'source', KEY.enter], (fr) => fr.includes('"source"'));
    const deleted = lines(found).filter((l) => / D  .*source$/.test(l.replace(/ +ups:.*$/, '')));
    expect(deleted.length).toBeGreaterThan(0);
  });

  it('t shows the tree as of the layer, m goes back to the merged tree', async () => {
    const r = mount();
    await press(r, 'j');
    let f = await pressUntil(r, 't', (fr) => fr.includes('tree as of layer 1 (') && !fr.includes('building'));
    expect(f).toContain('tree as of layer 1 (958 kB)');
    expect(f).not.toContain('products/');
    await press(r, '1');
    f = await pressUntil(r, 'm', (fr) => fr.includes('merged tree (2.33 MB)'));
    expect(f).toContain('products/');
  });
});
