/**
 * Shared by the UI tests: real analyses of generated images (the tiny Mu2e-like demo image, which
 * has RPM packages and UPS products; the fixture cases with whiteouts and opaque directories), key
 * codes as a terminal sends them, and waiting for a frame instead of sleeping.
 */
import path from 'node:path';
import { analyzeImage, type Analysis } from '../../src/analysis/analyze.js';
import { fixturePath } from '../../fixtures/images/index.js';
import { generatedDir } from '../../fixtures/images/paths.js';
import { ensureDemoImage } from '../../fixtures/mu2e/cache.js';
import { TINY_SCALE } from '../../fixtures/mu2e/generate.js';

export const KEY = {
  up: '\u001b[A',
  down: '\u001b[B',
  right: '\u001b[C',
  left: '\u001b[D',
  enter: '\r',
  escape: '\u001b',
  tab: '\t',
  shiftTab: '\u001b[Z',
  backspace: '\u007f',
  pageDown: '\u001b[6~',
  pageUp: '\u001b[5~',
  ctrlC: '\u0003',
} as const;

export function demoImage(): Promise<string> {
  return ensureDemoImage({ scale: TINY_SCALE, seed: 1, cacheDir: path.join(generatedDir(), 'mu2e') });
}

const analyses = new Map<string, Promise<Analysis>>();

/** The analysis of the tiny demo image (with ELF info when asked, for prune findings). */
export function demoAnalysis(elf = false): Promise<Analysis> {
  const key = `demo:${elf}`;
  let p = analyses.get(key);
  if (!p) {
    p = demoImage().then((file) => analyzeImage(file, { elf }));
    analyses.set(key, p);
  }
  return p;
}

/** The analysis of an image-fixture case (docker-25 format). */
export function caseAnalysis(name: string): Promise<Analysis> {
  const key = `case:${name}`;
  let p = analyses.get(key);
  if (!p) {
    p = fixturePath(name, 'docker-25').then((file) => analyzeImage(file));
    analyses.set(key, p);
  }
  return p;
}

interface Frames {
  lastFrame(): string | undefined;
  stdin: { write(data: string): void };
}

/** Waits until the last frame satisfies `test` (polling each tick), failing after `timeoutMs`. */
export async function waitForFrame(r: Frames, test: (frame: string) => boolean, timeoutMs = 3000): Promise<string> {
  const start = Date.now();
  for (;;) {
    const f = r.lastFrame() ?? '';
    if (test(f)) return f;
    if (Date.now() - start > timeoutMs) throw new Error(`frame never matched; last frame:\n${f}`);
    await new Promise((res) => setTimeout(res, 2));
  }
}

/** Sends keys and waits until the frame changes from what it was. */
export async function press(r: Frames, ...keys: string[]): Promise<string> {
  let frame = r.lastFrame() ?? '';
  for (const k of keys) {
    const before = r.lastFrame() ?? '';
    r.stdin.write(k);
    frame = await waitForFrame(r, (f) => f !== before);
  }
  return frame;
}

/** Sends keys and waits until the frame satisfies `test` (for keys that may not change it at once). */
export async function pressUntil(r: Frames, keys: string | string[], test: (frame: string) => boolean): Promise<string> {
  for (const k of Array.isArray(keys) ? keys : [keys]) r.stdin.write(k);
  return waitForFrame(r, test);
}

/** Lines of a frame, without trailing spaces. */
export function lines(frame: string): string[] {
  return frame.split('\n').map((l) => l.trimEnd());
}

/** The line under the cursor mark (›), or undefined. */
export function cursorLine(frame: string): string | undefined {
  return lines(frame).find((l) => l.startsWith('›'));
}
