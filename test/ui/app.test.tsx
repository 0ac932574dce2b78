import { render } from 'ink-testing-library';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Analysis } from '../../src/analysis/analyze.js';
import { App, type AppProps } from '../../src/ui/components/App.js';
import { cursorLine, demoAnalysis, KEY, lines, press, pressUntil, waitForFrame } from './helpers.js';

let a: Analysis;
beforeAll(async () => {
  a = await demoAnalysis();
});

const mounted: { unmount(): void }[] = [];
afterEach(() => {
  for (const m of mounted.splice(0)) m.unmount();
});

function mount(props: Partial<AppProps> = {}) {
  const r = render(<App analysis={a} plan={null} title="demo.tar" color={false} columns={80} rows={24} {...props} />);
  mounted.push(r);
  return r;
}

const width = (l: string) => [...l].length;

describe('inspect app at 80×24', () => {
  it('fits the terminal: at most 23 lines of at most 80 columns, header and tabs on top', () => {
    const r = mount();
    const ls = lines(r.lastFrame()!);
    expect(ls.length).toBeLessThanOrEqual(23);
    for (const l of ls) expect(width(l)).toBeLessThanOrEqual(80);
    expect(ls[0]).toMatch(/^whittle · mu2e\/offline-sl7:v7_5_4 · 2\.33 MB in 1,541 files · 6 layers · hidden/);
    expect(ls[1]).toContain('[1 Layers]');
    expect(ls.at(-1)).toContain('? help');
  });

  it('Tab and Shift-Tab cycle the panes, digits jump to one', async () => {
    const r = mount();
    expect(await press(r, KEY.tab)).toContain('[2 Files]');
    expect(await press(r, KEY.tab)).toContain('[3 Owners]');
    expect(await press(r, KEY.tab)).toContain('[4 Prune]');
    expect(await press(r, KEY.tab)).toContain('[1 Layers]');
    expect(await press(r, KEY.shiftTab)).toContain('[4 Prune]');
    expect(await press(r, '3')).toContain('[3 Owners]');
    expect(await press(r, '1')).toContain('[1 Layers]');
  });

  it('? shows the key map, Esc and ? hide it', async () => {
    const r = mount();
    const help = await press(r, '?');
    expect(help).toContain('Everywhere');
    expect(help).toMatch(/q {2}Ctrl-C +quit/);
    expect(help).not.toContain('command');
    // Taller than the pane at 24 rows: it scrolls.
    expect(help).toMatch(/… \d+ more lines \(j\/k, PgDn, G\)/);
    expect(help).not.toContain('Marks in Files');
    const end = await press(r, 'G');
    expect(end).toContain('Marks in Files');
    expect(end).not.toContain('more lines');
    expect(await press(r, 'g')).toContain('Everywhere');
    expect(await press(r, KEY.escape)).toContain('command');
    await press(r, '?');
    expect(await press(r, '?')).toContain('command');
  });

  it('q and Ctrl-C quit', async () => {
    const onQuit = vi.fn();
    const r = mount({ onQuit });
    r.stdin.write('q');
    await vi.waitFor(() => expect(onQuit).toHaveBeenCalledTimes(1));
    r.stdin.write(KEY.ctrlC);
    await vi.waitFor(() => expect(onQuit).toHaveBeenCalledTimes(2));
  });

  it('keys arriving together go where the key before them sent the focus', async () => {
    const r = mount();
    // Tab then → in one chunk: the → opens the first directory of the Files pane.
    const f = await pressUntil(r, KEY.tab + KEY.right, (fr) => fr.includes('▾ products/'));
    expect(f).toContain('[2 Files]');
    // Several characters in one event (key repeat) are several keys.
    await pressUntil(r, 'jj', (fr) => cursorLine(fr)?.includes('boost/') === true);
    // A "/" and the text after it in one event: the text goes to the prompt.
    const typed = await pressUntil(r, '/libCore', (fr) => fr.includes('/ path contains: '));
    await waitForFrame(r, (fr) => lines(fr).at(-1)!.startsWith('/ path contains: libCore '));
    void typed;
    // Control characters inside such an event are keys too: Enter applies the filter.
    await pressUntil(r, 'x\u007f\r', (fr) => fr.includes('"libCore": 9 matches'));
    // "1G⏎" from a script: to Layers, to the last layer, show its changes.
    await pressUntil(r, '1G\r', (fr) => fr.includes('layer 5 changes (16.5 kB)'));
  });

  it('shows Layers beside the other pane on a wide terminal and follows resizes', async () => {
    const r = mount();
    await press(r, KEY.tab);
    r.rerender(<App analysis={a} plan={null} title="demo.tar" color={false} columns={130} rows={30} />);
    const wide = await waitForFrame(r, (f) => f.includes('command') && f.includes('path'));
    // Layers on the left, Files on the right of the same lines.
    expect(lines(wide).some((l) => /^› +0 +486 kB .* size +hidden +path/.test(l))).toBe(true);
    expect(lines(wide).length).toBeLessThanOrEqual(29);
    for (const l of lines(wide)) expect(width(l)).toBeLessThanOrEqual(130);
    r.rerender(<App analysis={a} plan={null} title="demo.tar" color={false} columns={60} rows={8} />);
    expect(await waitForFrame(r, (f) => f.includes('terminal too small'))).toContain('60×8');
    r.rerender(<App analysis={a} plan={null} title="demo.tar" color={false} columns={80} rows={24} />);
    await waitForFrame(r, (f) => f.includes('[2 Files]') && !f.includes('command'));
  });
});
