/**
 * Colour on and off (NO_COLOR). Ink colours only when chalk thinks the stream can show them, and
 * vitest's stdout cannot: FORCE_COLOR is set before Ink is first imported (hence the dynamic
 * imports; each test file runs in its own process).
 */
import { beforeAll, describe, expect, it } from 'vitest';

process.env.FORCE_COLOR = '1';

// eslint-disable-next-line no-control-regex
const COLOUR = /\u001b\[(3[0-7]|9[0-7]|38;)/;
// eslint-disable-next-line no-control-regex
const strip = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

let mod: {
  render: typeof import('ink-testing-library').render;
  App: typeof import('../../src/ui/components/App.js').App;
  analysis: import('../../src/analysis/analyze.js').Analysis;
};

beforeAll(async () => {
  const [{ render }, { App }, { demoAnalysis }] = await Promise.all([import('ink-testing-library'), import('../../src/ui/components/App.js'), import('./helpers.js')]);
  mod = { render, App, analysis: await demoAnalysis() };
});

describe('colour', () => {
  it('colours the panes when colour is on', () => {
    const { render, App, analysis } = mod;
    const r = render(<App analysis={analysis} plan={null} title="demo.tar" color={true} columns={80} rows={24} initialFocus="files" />);
    expect(r.lastFrame()).toMatch(COLOUR);
    r.unmount();
  });

  it('writes no colour codes with colour off (NO_COLOR), and still marks the cursor row', () => {
    const { render, App, analysis } = mod;
    const r = render(<App analysis={analysis} plan={null} title="demo.tar" color={false} columns={80} rows={24} initialFocus="files" />);
    const f = r.lastFrame()!;
    expect(f).not.toMatch(COLOUR);
    expect(strip(f).split('\n').find((l) => l.startsWith('›'))).toContain('products/');
    r.unmount();
  });
});
