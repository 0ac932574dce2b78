import fs from 'node:fs';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { analyzeImage } from '../../src/analysis/analyze.js';
import { InspectApp, type Loaded } from '../../src/ui/components/InspectApp.js';
import { demoImage, lines, waitForFrame } from './helpers.js';

let unmount = () => {};
afterEach(() => unmount());

/** A load that reports what the test says, and finishes when the test says. */
function controlled() {
  let report: (read: number, total: number | null) => void = () => {};
  let finish: (v: Loaded) => void = () => {};
  let fail: (e: unknown) => void = () => {};
  const load = (onProgress: (read: number, total: number | null) => void) =>
    new Promise<Loaded>((res, rej) => {
      report = onProgress;
      finish = res;
      fail = rej;
    });
  return { load, report: (r: number, t: number | null) => report(r, t), finish: (v: Loaded) => finish(v), fail: (e: unknown) => fail(e) };
}

function mount(load: (p: (r: number, t: number | null) => void) => Promise<Loaded>, label = 'demo.tar') {
  const onQuit = vi.fn();
  const onError = vi.fn();
  const r = render(<InspectApp label={label} load={load} color={false} columns={80} rows={24} onQuit={onQuit} onError={onError} />);
  unmount = r.unmount;
  return { r, onQuit, onError };
}

describe('loading screen', () => {
  it('shows a bar, bytes of the total, rate and ETA for a file, then the app', async () => {
    const c = controlled();
    const { r } = mount(c.load);
    c.report(25_000_000, 100_000_000);
    let f = await waitForFrame(r, (fr) => fr.includes('25%'));
    expect(lines(f)[0]).toBe('reading demo.tar');
    expect(lines(f)[1]).toMatch(/^█{13}░{37}$/);
    expect(lines(f)[2]).toMatch(/^25% · 25 MB of 100 MB( · [0-9.]+ [kMG]?B\/s · ETA .+)?$/);
    // Once the rate is measurable the ETA follows (read 25 MB in the elapsed time; 75 MB to go).
    f = await waitForFrame(r, (fr) => fr.includes('ETA'), 2000);
    expect(lines(f)[2]).toMatch(/ · ETA \d+(s|m \d\ds|h \d\dm)$/);
    c.report(100_000_000, 100_000_000);
    await waitForFrame(r, (fr) => fr.startsWith('analysing demo.tar'));
    const analysis = await analyzeImage(await demoImage());
    c.finish({ analysis, plan: null });
    f = await waitForFrame(r, (fr) => fr.includes('[1 Layers]'));
    expect(f).toContain('mu2e/offline-sl7:v7_5_4');
  });

  it('shows bytes and rate only when reading stdin', async () => {
    const c = controlled();
    const { r } = mount(c.load, 'stdin');
    c.report(3_000_000, null);
    const f = await waitForFrame(r, (fr) => fr.includes('3 MB read'));
    expect(lines(f)[0]).toBe('reading stdin');
    expect(lines(f)[1]).toMatch(/^3 MB read( · [0-9.]+ [kMG]?B\/s)?$/);
    expect(f).not.toContain('█');
    expect(f).not.toContain('ETA');
  });

  it('q while loading cancels', async () => {
    const c = controlled();
    const { r, onQuit } = mount(c.load);
    r.stdin.write('q');
    await vi.waitFor(() => expect(onQuit).toHaveBeenCalledWith('cancelled'));
  });

  it('hands a load error to the caller', async () => {
    const c = controlled();
    const { onError } = mount(c.load);
    const err = new Error('reading layer 3: unexpected end of data');
    c.fail(err);
    await vi.waitFor(() => expect(onError).toHaveBeenCalledWith(err));
  });

  it('reports real progress from analyzeImage', async () => {
    const file = await demoImage();
    const seen: [number, number | null][] = [];
    const { r } = mount((p) =>
      analyzeImage(file, {
        onProgress: (read, total) => {
          seen.push([read, total]);
          p(read, total);
        },
      }).then((analysis) => ({ analysis, plan: null })),
    );
    await waitForFrame(r, (fr) => fr.includes('[1 Layers]'));
    const [read, total] = seen.at(-1)!;
    expect(total).toBe(fs.statSync(file).size);
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThanOrEqual(total!);
  });
});
