/**
 * `whittle inspect` and `whittle IMAGE` without a terminal: they never start the UI, and print
 * what `analyze` prints (text, or JSON with --json). Runs the built CLI (npm test builds first).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../fixtures/images/paths.js';
import { demoImage } from './helpers.js';

const MAIN = path.join(repoRoot(), 'dist', 'src', 'cli', 'main.js');

function whittle(args: string[], input?: Buffer) {
  // stdout is a pipe here, so no UI may start; CI=0 keeps Ink's CI mode out of it either way.
  const r = spawnSync(process.execPath, [MAIN, ...args], { input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: '0' }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let image: string;
beforeAll(async () => {
  image = await demoImage();
});

describe('inspect without a terminal', () => {
  it('`whittle IMAGE` prints the analyze summary', () => {
    const viaDefault = whittle([image]);
    const analyze = whittle(['analyze', image]);
    expect(viaDefault.code).toBe(0);
    expect(viaDefault.stdout).toBe(analyze.stdout);
    expect(viaDefault.stdout).toMatch(/^whittle · mu2e\/offline-sl7:v7_5_4 /);
    // No escape codes: no alternate screen, no cursor moves, no colour.
    expect(viaDefault.stdout).not.toContain('\u001b');
  });

  it('`whittle inspect IMAGE --json` prints the analysis JSON, as analyze --json does', () => {
    const inspect = whittle(['inspect', image, '--json']);
    const analyze = whittle(['analyze', image, '--json']);
    expect(inspect.code).toBe(0);
    const a = JSON.parse(inspect.stdout) as Record<string, unknown>;
    const b = JSON.parse(analyze.stdout) as Record<string, unknown>;
    expect(a).toEqual(b);
    expect((a as { totals: { mergedFiles: number } }).totals.mergedFiles).toBe(1541);
  });

  it('reads the image from stdin with -', () => {
    const r = whittle(['-'], fs.readFileSync(image));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^whittle · mu2e\/offline-sl7:v7_5_4 /);
  });

  it('refuses a target that is not a size, and unknown rule sets, with exit 2', () => {
    const bad = whittle(['inspect', image, '--target', 'huge']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--target must be a size such as 1GB or 800MiB, got "huge"');
    const unknown = whittle(['inspect', image, '--rules', 'no-such-rules']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no-such-rules');
    expect(unknown.stdout).toBe('');
  });

  it('prints usage for a bare `whittle`', () => {
    const r = whittle([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: whittle');
    expect(r.stderr).toMatch(/inspect \[options\] \[image\]/);
  });
});
