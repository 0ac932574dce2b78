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
  const r = render(<App analysis={a} plan={null} title="demo.tar" color={false} columns={80} rows={24} initialFocus="files" />);
  unmount = r.unmount;
  return r;
}

/** The tree rows of a frame (between the column header and the detail line). */
function rows(frame: string): string[] {
  const ls = lines(frame);
  const head = ls.findIndex((l) => /^ +size +hidden +path/.test(l));
  return ls.slice(head + 1, ls.length - 2).filter((l) => l !== '');
}

describe('Files pane', () => {
  it('shows the merged tree with cumulative sizes, largest first, hidden bytes and owners', () => {
    const r = mount();
    const f = r.lastFrame()!;
    expect(lines(f)[2]).toBe('merged tree (2.33 MB) · by size');
    const rs = rows(f);
    expect(rs[0]).toMatch(/^› 1\.34 MB +44\.2 kB +▸ products\/$/);
    expect(rs[1]).toMatch(/^ +547 kB +288 kB +▸ var\/$/);
    expect(rs.find((l) => l.includes('bin → usr/bin'))).toMatch(/0 B +bin → usr\/bin +rpm:filesystem$/);
    // The detail line names the cursor's path in full.
    expect(lines(f).at(-2)).toBe('/products · 1.34 MB · 44.2 kB hidden by later layers');
  });

  it('opens and closes directories with → ← Space Enter, and ← on a child goes to its parent', async () => {
    const r = mount();
    let f = await press(r, KEY.right);
    expect(rows(f)[1]).toMatch(/333 kB +▸ root\/ +ups:root$/);
    f = await press(r, 'j', KEY.enter);
    expect(rows(f)[2]).toMatch(/300 kB +▸ v6_12_06a\/ +ups:root\/v6_12_06a$/);
    f = await press(r, 'j', 'h');
    expect(cursorLine(f)).toMatch(/▾ root\//);
    f = await press(r, 'h');
    expect(cursorLine(f)).toMatch(/▸ root\//);
    f = await press(r, KEY.left);
    expect(cursorLine(f)).toMatch(/▾ products\//);
    f = await press(r, ' ');
    expect(cursorLine(f)).toMatch(/▸ products\//);
    expect(rows(f)[1]).toMatch(/▸ var\/$/);
  });

  it('renders only the rows that fit, and pages through the rest', async () => {
    const r = mount();
    await press(r, KEY.right);
    const f = rows(r.lastFrame()!);
    expect(f).toHaveLength(17);
    const end = await press(r, 'G');
    expect(rows(end)).toHaveLength(17);
    expect(cursorLine(end)).toMatch(/▸ var\/$|sys\/|usr\/|tmp\//);
    const up = await press(r, KEY.pageUp);
    expect(rows(up)[0]).not.toBe(rows(end)[0]);
  });

  it('s sorts by name and back by size', async () => {
    const r = mount();
    const f = await press(r, 's');
    expect(lines(f)[2]).toContain('by name');
    const rs = rows(f);
    expect(rs[0]).toMatch(/▸ Offline\/$/);
    expect(rs[1]).toMatch(/ anaconda-post\.log +dir:\/$/);
    expect(rs[2]).toMatch(/ bin → usr\/bin +rpm:filesystem$/);
    expect(lines(await press(r, 's'))[2]).toContain('by size');
  });

  it('/ filters by path text: matches shown with the way to them open; Esc clears', async () => {
    const r = mount();
    let f = await press(r, '/');
    expect(lines(f).at(-1)).toMatch(/^\/ path contains: +Enter apply · Esc cancel$/);
    f = await pressUntil(r, ['libCorx', KEY.backspace, 'e', KEY.enter], (fr) => fr.includes('"libCore"'));
    // libCore.so, libCore_rdict.pcm and libCore.rootmap in each of three root builds.
    expect(lines(f)[2]).toBe('merged tree (2.33 MB) · by size · "libCore": 9 matches');
    expect(rows(f).filter((l) => l.includes('libCore.so'))).toHaveLength(3);
    expect(rows(f).every((l) => /products|root|v6_|Linux64bit|lib\/|libCore/.test(l))).toBe(true);
    expect(f).not.toContain('var/');
    f = await press(r, KEY.escape);
    expect(lines(f)[2]).toBe('merged tree (2.33 MB) · by size');
    expect(f).toContain('var/');
    // Esc in the prompt cancels without filtering.
    await press(r, '/');
    f = await pressUntil(r, ['zzz', KEY.escape], (fr) => !fr.includes('path contains'));
    expect(f).not.toContain('zzz');
  });

  it('> filters by minimum size and refuses what is not a size', async () => {
    const r = mount();
    await press(r, KEY.right);
    await press(r, '>');
    let f = await pressUntil(r, ['ten', KEY.enter], (fr) => fr.includes('not a size'));
    expect(lines(f).at(-1)).toContain('not a size: "ten" (try 10MB or 500KiB)');
    f = await pressUntil(r, [KEY.backspace, KEY.backspace, KEY.backspace, '100kB', KEY.enter], (fr) => fr.includes('≥ 100 kB'));
    const sizes = rows(f).map((l) => l.slice(1, 9).trim());
    expect(sizes).toEqual(['1.34 MB', '333 kB', '180 kB', '169 kB', '119 kB', '547 kB', '396 kB']);
  });

  it('v cycles merged → changes of the layer under the Layers cursor → tree as of it → merged', async () => {
    const r = mount();
    await press(r, '1', 'j', 'j', '2');
    let f = await pressUntil(r, 'v', (fr) => fr.includes('layer 2 changes (') && !fr.includes('building'));
    expect(lines(f)[2]).toBe('layer 2 changes (867 kB) · by size');
    expect(rows(f)[0]).toMatch(/A +▸ products\/$/);
    f = await pressUntil(r, 'v', (fr) => fr.includes('tree as of layer 2 (') && !fr.includes('building'));
    f = await press(r, 'v');
    expect(lines(f)[2]).toBe('merged tree (2.33 MB) · by size');
  });

  it('c closes every directory', async () => {
    const r = mount();
    await press(r, KEY.right, 'j', KEY.right);
    const f = await press(r, 'c');
    expect(rows(f).every((l) => !l.includes('▾'))).toBe(true);
    expect(cursorLine(f)).toMatch(/products\/$/);
  });

  it('o shows only the highlighted owner’s files, x clears the highlight', async () => {
    const r = mount();
    await press(r, '3');
    // Owners: UPS products is the first group; open it and choose "root" with Space (highlight only).
    await press(r, 'j', ' ');
    let f = await press(r, '2');
    expect(lines(f)[2]).toBe('merged tree (2.33 MB) · by size · • ups:root 333 kB');
    expect(rows(f)[0]).toMatch(/◦ ▾ products\/$/);
    f = await press(r, 'o');
    expect(lines(f)[2]).toBe('merged tree (2.33 MB) · by size · • only ups:root 333 kB');
    expect(rows(f).every((l) => /[•◦] /.test(l))).toBe(true);
    f = await press(r, 'x');
    expect(lines(f)[2]).toBe('merged tree (2.33 MB) · by size');
    await waitForFrame(r, (fr) => !fr.includes('•'));
  });
});
