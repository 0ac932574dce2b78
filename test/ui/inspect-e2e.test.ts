/**
 * End to end: the real CLI (`node dist/src/cli/main.js inspect …`, built by `npm test`) in a real
 * pseudo-terminal, an 80×24 tmux pane on a private tmux server. Keys go in with send-keys, the
 * screen comes back with capture-pane. Skips, saying why, when tmux is not installed (.ci/run
 * installs it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../fixtures/images/paths.js';
import { demoImage } from './helpers.js';

const hasTmux = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
const MAIN = path.join(repoRoot(), 'dist', 'src', 'cli', 'main.js');
const SOCKET = `whittle-e2e-${process.pid}`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Starts a command in a new detached 80×24 session; the pane stays after it exits, showing its status. */
function start(session: string, command: string): void {
  // CI=0: Ink prints only the last frame when it thinks it runs in CI. NO_COLOR keeps the capture plain.
  const shell = `cd ${shq(repoRoot())} && export CI=0 NO_COLOR=1 TERM=xterm-256color; ${command}; echo "[exit $?]"; sleep 600`;
  tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', shell);
}

function screen(session: string): string {
  return tmux('capture-pane', '-p', '-t', session);
}

async function waitForScreen(session: string, test: (s: string) => boolean, timeoutMs = 20_000): Promise<string> {
  const startAt = Date.now();
  for (;;) {
    const s = screen(session);
    if (test(s)) return s;
    if (Date.now() - startAt > timeoutMs) throw new Error(`screen never matched; last screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function keys(session: string, ...k: string[]): void {
  tmux('send-keys', '-t', session, ...k);
}

/** Sends one key and waits for the screen to show what it should. */
async function press(session: string, key: string, test: (s: string) => boolean): Promise<string> {
  keys(session, key);
  return waitForScreen(session, test);
}

const cursorLine = (s: string) => s.split('\n').find((l) => l.startsWith('›')) ?? '';

describe.skipIf(!hasTmux)('inspect in a terminal (tmux)', () => {
  let image: string;
  beforeAll(async () => {
    image = await demoImage();
  });
  afterAll(() => {
    // Our private server only (its own socket): its sessions and the CLIs in them, then the socket.
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
    fs.rmSync(path.join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, SOCKET), { force: true });
  });

  it('starts on the demo image, navigates the panes, and quits cleanly', async () => {
    const s = 'nav';
    start(s, `node ${shq(MAIN)} inspect ${shq(image)} --rules generic --target 2MB`);
    let scr = await waitForScreen(s, (x) => x.includes('[1 Layers]') && x.includes('command'));
    expect(scr.split('\n')[0]).toMatch(/^whittle · mu2e\/offline-sl7:v7_5_4 · 2\.33 MB in 1,541 files · 6 layers/);
    expect(cursorLine(scr)).toMatch(/^› +0 +486 kB +274 kB/);

    // Layers: down twice, Enter shows layer 2's changes in Files.
    keys(s, 'j');
    await waitForScreen(s, (x) => cursorLine(x).startsWith('›  1'));
    keys(s, 'j');
    await waitForScreen(s, (x) => cursorLine(x).startsWith('›  2'));
    scr = await press(s, 'Enter', (x) => x.includes('layer 2 changes ('));
    expect(scr).toContain('[2 Files]');
    expect(scr).toMatch(/A +▸ products\//);

    // Files: back to the merged tree (v twice more), open /products, filter for libCore.
    keys(s, 'v');
    await waitForScreen(s, (x) => x.includes('tree as of layer 2 ('));
    scr = await press(s, 'v', (x) => x.includes('merged tree (2.33 MB)'));
    scr = await press(s, 'Right', (x) => x.includes('▾ products/'));
    expect(scr).toMatch(/333 kB +▸ root\/ +ups:root/);
    keys(s, '/');
    await waitForScreen(s, (x) => x.includes('/ path contains:'));
    keys(s, '-l', 'libCore');
    scr = await press(s, 'Enter', (x) => x.includes('"libCore": 9 matches'));
    expect(scr).toContain('libCore.so');

    // Owners: UPS products → root, Enter highlights its files in Files.
    scr = await press(s, '3', (x) => x.includes('[3 Owners]') && x.includes('UPS products'));
    keys(s, 'j');
    await waitForScreen(s, (x) => /^› +333 kB +54 +▸ root/m.test(x));
    scr = await press(s, 'Enter', (x) => x.includes('• only ups:root 333 kB'));
    expect(scr).toContain('[2 Files]');

    // Prune: the generic rules, the gauge against the 2 MB target; switch a rule off and on.
    scr = await press(s, '4', (x) => x.includes('rules: generic · target 2 MB') && x.includes('safety findings: 0'));
    expect(scr).toMatch(/2\.32 MB of 2\.33 MB · saves 14\.8 kB \(0\.6%\) · target 2 MB: 319 kB over/);
    keys(s, 'j', 'j', 'j', 'j');
    await waitForScreen(s, (x) => cursorLine(x).includes('python-caches'));
    scr = await press(s, 'Space', (x) => x.includes('10/11 on') && !x.includes('updating'));
    expect(cursorLine(scr)).toMatch(/^›\[ \] generic\/python-caches +—/);
    expect(scr).toMatch(/saves 10\.2 kB/);

    // Help, then quit: the alternate screen goes away and the CLI exits 0.
    scr = await press(s, '?', (x) => x.includes('Everywhere') && x.includes('more lines'));
    scr = await press(s, 'G', (x) => x.includes('Marks in Files'));
    scr = await press(s, 'q', (x) => x.includes('[exit 0]'));
    expect(scr).not.toContain('[1 Layers]');
  });

  it('reads the image from stdin and the keys from the terminal', async () => {
    const s = 'stdin';
    start(s, `cat ${shq(image)} | node ${shq(MAIN)} -`);
    const scr = await waitForScreen(s, (x) => x.includes('[1 Layers]'));
    expect(scr.split('\n')[0]).toContain('mu2e/offline-sl7:v7_5_4');
    await press(s, 'Tab', (x) => x.includes('[2 Files]'));
    await press(s, 'q', (x) => x.includes('[exit 0]'));
  });

  it('follows a resize of the terminal', async () => {
    const s = 'resize';
    start(s, `node ${shq(MAIN)} ${shq(image)}`);
    await waitForScreen(s, (x) => x.includes('[1 Layers]'));
    tmux('resize-window', '-t', s, '-x', '130', '-y', '30');
    // Wide: Layers and Files side by side.
    const wide = await waitForScreen(s, (x) => x.includes('command') && x.includes('path'));
    expect(wide.split('\n').some((l) => /486 kB.*size +hidden +path/.test(l))).toBe(true);
    tmux('resize-window', '-t', s, '-x', '80', '-y', '24');
    await waitForScreen(s, (x) => x.includes('command') && !x.includes('path'));
    await press(s, 'q', (x) => x.includes('[exit 0]'));
  });
});

it.skipIf(hasTmux)('inspect in a terminal: skipped, tmux is not installed (apt-get install tmux)', () => {});
