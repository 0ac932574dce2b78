/**
 * Every hostile or broken input of fixtures/hostile, through the real CLI three ways: the path
 * (seeking reader), the path with --verify (streaming reader) and stdin. Each ends with the exit
 * code and the one-line message the catalog states (naming the input, the layer and the entry),
 * within a time and memory bound; inputs that are only odd give a result and their findings.
 */
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_CASES, hostilePath, type HostileCase, type Mode } from '../../fixtures/hostile/index.js';
import { HAS_TIME, limited, runBounded, type BoundedResult } from './run.js';

/** Peak RSS any run may reach (the CLI alone is ~60–130 MB here; bombs inflate gigabytes). */
const MAX_RSS = 400 * 1024 * 1024;
/** Wall time any run may take (the slowest, the zstd bomb, takes ~4 s on 2 cores). */
const MAX_MS = 30_000;

const paths = new Map<string, string>();

beforeAll(async () => {
  for (const c of HOSTILE_CASES) paths.set(c.name, await hostilePath(c.name));
}, 120_000);

function modesOf(c: HostileCase, input: string): Mode[] {
  return c.modes ?? (fs.statSync(input).isDirectory() ? ['file', 'verify'] : ['file', 'verify', 'stdin']);
}

function run(c: HostileCase, mode: Mode, extra: string[] = []): Promise<BoundedResult> {
  const input = paths.get(c.name)!;
  const args = ['analyze', '--no-progress', ...(c.args ?? []), ...extra, ...(mode === 'verify' ? ['--verify'] : []), mode === 'stdin' ? '-' : input];
  return runBounded(args, { input: mode === 'stdin' ? fs.readFileSync(input) : undefined, timeoutMs: 90_000 });
}

function checkBounds(r: BoundedResult): void {
  expect(r.timedOut, 'must not hang').toBe(false);
  expect(r.signal).toBeNull();
  expect(r.ms).toBeLessThan(MAX_MS);
  if (r.maxRss !== null) expect(r.maxRss, `peak RSS ${(r.maxRss / 2 ** 20).toFixed(0)} MiB`).toBeLessThan(MAX_RSS);
}

describe('hostile and broken inputs (CLI, every reader)', () => {
  for (const c of HOSTILE_CASES) {
    it(`${c.name}: ${c.description}`, async () => {
      const input = paths.get(c.name)!;
      const modes = modesOf(c, input);
      const results = await limited(3, modes.map((m) => () => run(c, m)));
      results.forEach((r, i) => {
        const mode = modes[i]!;
        const label = mode === 'stdin' ? 'stdin' : input;
        const ctx = `${c.name} [${mode}]: ${r.stderr}`;
        checkBounds(r);
        expect(r.code, ctx).toBe(c.expect.exit);
        if (c.expect.exit === 0) {
          expect(r.stderr, ctx).toBe('');
          return;
        }
        expect(r.stdout, ctx).toBe('');
        const lines = r.stderr.replace(/\n$/, '').split('\n');
        expect(lines, ctx).toHaveLength(1);
        expect(lines[0]!.startsWith(`whittle: ${label}: `), ctx).toBe(true);
        expect(lines[0]!.slice(`whittle: ${label}: `.length), ctx).toMatch(c.expect.message!);
        expect(r.stderr).not.toMatch(/\n\s+at /);
      });
      // The readers agree word for word (only the input's name differs for stdin).
      if (c.expect.exit !== 0) {
        const texts = results.map((r, i) => r.stderr.replace(modes[i] === 'stdin' ? 'whittle: stdin: ' : `whittle: ${input}: `, ''));
        expect(new Set(texts).size, texts.join('\n')).toBe(1);
      }
      if (c.expect.findings) {
        const r = await runBounded(['analyze', '--no-progress', '--json', input]);
        expect(r.code, r.stderr).toBe(0);
        const codes = new Set((JSON.parse(r.stdout) as { findings: { code: string }[] }).findings.map((f) => f.code));
        for (const want of c.expect.findings) expect([...codes], c.name).toContain(want);
      }
    }, 180_000);
  }

  it('measures memory (skips the bound without /usr/bin/time)', () => {
    if (!HAS_TIME) console.warn('no /usr/bin/time: peak memory is not checked');
    expect(true).toBe(true);
  });
});

describe('what the layer and entry of a bad input look like in other commands', () => {
  it('--debug adds the stack trace after the one-line message', async () => {
    const r = await runBounded(['analyze', '--no-progress', '--debug', paths.get('layer-cut-in-data')!]);
    expect(r.code).toBe(3);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^whittle: .*unexpected end of data inside the data of an entry "bin\/sh"/);
    expect(lines.length).toBeGreaterThan(1);
    expect(r.stderr).toMatch(/\n\s+at /);
  });

  it('ls, owners and prune fail the same way as analyze, with nothing written', async () => {
    const input = paths.get('bomb-zstd-max-bytes')!;
    const out = `${input}.pruned.tar`;
    const runs = await Promise.all([
      runBounded(['ls', '--no-progress', '--max-bytes', '10MB', input]),
      runBounded(['owners', '--no-progress', '--max-bytes', '10MB', input]),
      runBounded(['prune', '--no-progress', '--max-bytes', '10MB', input, '--rules', 'generic', '-o', out]),
    ]);
    for (const r of runs) {
      checkBounds(r);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr.trim()).toMatch(/^whittle: .*: reading layer 0 .*: zstd data inflates past 10000000 bytes \(--max-bytes\) \(inside "zero\.bin"\)$/);
    }
    expect(fs.existsSync(out)).toBe(false);
  });

  it('--max-bytes rejects what is not a size (usage, exit 2)', async () => {
    const r = await runBounded(['analyze', '--max-bytes', 'lots', paths.get('layer-garbage-after-end')!]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--max-bytes must be a size/);
  });

  it('a large --max-bytes lets an honest high-ratio layer through', async () => {
    // The gzip bomb is honest about its size: 64 MiB of zeros under a header claiming 1 TiB. With
    // room to inflate it fully it fails on the header's claim, not on the bound.
    const r = await runBounded(['analyze', '--no-progress', '--max-bytes', '1GiB', paths.get('bomb-gzip')!]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/unexpected end of data inside the data of an entry "zero\.bin"/);
  });
});
