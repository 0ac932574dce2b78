/**
 * Nothing lost: `prune` on a Mu2e demo image (160 MB, a few seconds of writing) interrupted by
 * SIGINT or SIGTERM mid-write exits 130 / 143 and leaves no output and no temporary file (nor a
 * spooled stdin); a full disk (a 1 MiB tmpfs) exits 4 with nothing left; `whittle … | head` exits
 * 0 without a word; the input is never modified.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedDir } from '../../fixtures/images/paths.js';
import { ensureDemoImage } from '../../fixtures/mu2e/cache.js';
import { CLI, REPO } from '../helpers/cli.js';

/** 160 MB: prune takes ~3–4 s here, long enough to interrupt it mid-write. */
const SCALE = 0.01;

let image: string;
let dir: string;

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

beforeAll(async () => {
  image = await ensureDemoImage({ scale: SCALE, seed: 1, cacheDir: path.join(generatedDir(), 'mu2e') });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whittle-interrupt-'));
}, 300_000);

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Starts prune, waits until its temporary output holds data, sends `signal`, resolves on exit. */
function interruptPrune(signal: NodeJS.Signals, work: string, viaStdin: boolean): Promise<{ code: number | null; stderr: string; pid: number; sawTemp: boolean }> {
  const out = path.join(work, 'out.tar');
  const child = spawn(process.execPath, [CLI, 'prune', '--no-progress', viaStdin ? '-' : image, '--rules', 'generic', '-o', out], {
    cwd: REPO,
    stdio: [viaStdin ? 'pipe' : 'ignore', 'ignore', 'pipe'],
  });
  if (viaStdin) {
    child.stdin!.on('error', () => undefined);
    fs.createReadStream(image).pipe(child.stdin!);
  }
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let sawTemp = false;
  const poll = setInterval(() => {
    if (sawTemp) return;
    for (const f of fs.readdirSync(work)) {
      if (/^\.out\.tar\.whittle-\d+\.tmp$/.test(f) && fs.statSync(path.join(work, f)).size > 1024 * 1024) {
        sawTemp = true;
        child.kill(signal);
      }
    }
  }, 5);
  const kill = setTimeout(() => child.kill('SIGKILL'), 120_000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearInterval(poll);
      clearTimeout(kill);
      resolve({ code, stderr, pid: child.pid!, sawTemp });
    });
  });
}

describe('interrupting prune leaves nothing behind', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    for (const viaStdin of [false, true]) {
      it(`${signal} mid-write${viaStdin ? ' (input spooled from stdin)' : ''}: exit ${code}, no output, no temporary file`, async () => {
        const before = sha256(image);
        const work = fs.mkdtempSync(path.join(dir, 'w-'));
        const r = await interruptPrune(signal, work, viaStdin);
        expect(r.sawTemp, `the writer never started: ${r.stderr}`).toBe(true);
        expect(r.code, r.stderr).toBe(code);
        expect(r.stderr).toContain(`whittle: interrupted (${signal})`);
        expect(fs.readdirSync(work)).toEqual([]);
        expect(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(`whittle-input-${r.pid}-`))).toEqual([]);
        expect(sha256(image), 'the input is never modified').toBe(before);
      }, 180_000);
    }
  }
});

describe('a full disk', () => {
  let mnt: string | null = null;
  beforeAll(() => {
    const m = fs.mkdtempSync(path.join(os.tmpdir(), 'whittle-enospc-'));
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', m], { encoding: 'utf8' });
    if (r.status === 0) mnt = m;
    else {
      fs.rmSync(m, { recursive: true, force: true });
      console.warn(`ENOSPC tests skipped: cannot mount a 1 MiB tmpfs (${(r.stderr || r.error?.message || '').trim()}); they need root`);
    }
  });
  afterAll(() => {
    if (!mnt) return;
    spawnSync('umount', [mnt]);
    fs.rmSync(mnt, { recursive: true, force: true });
  });

  for (const [label, args, name] of [
    ['docker-archive', [], 'out.tar'],
    ['docker-archive --gzip', ['--gzip'], 'out.tar'],
    ['oci-dir', ['--format', 'oci-dir'], 'oci'],
  ] as const) {
    it(`prune ${label} onto a 1 MiB filesystem: exit 4, one line, nothing left`, (ctx) => {
      if (!mnt) return ctx.skip();
      const out = path.join(mnt, name);
      const r = spawnSync(process.execPath, [CLI, 'prune', '--no-progress', image, '--rules', 'generic', '-o', out, ...args], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
      expect(r.status, r.stderr).toBe(4);
      expect(r.stderr.trim()).toBe(`whittle: writing ${out}: no space left on device`);
      expect(fs.readdirSync(mnt)).toEqual([]);
    }, 180_000);
  }
});

describe('a reader that stops early (EPIPE)', () => {
  for (const cmd of [['ls', '--depth', '30'], ['analyze', '--json'], ['owners']]) {
    it(`whittle ${cmd[0]} … | head -1 exits 0 without an error message`, () => {
      const err = path.join(dir, `${cmd[0]}.err`);
      const script = `"${process.execPath}" "${CLI}" ${cmd[0]} --no-progress "${image}" ${cmd.slice(1).join(' ')} 2>"${err}" | head -c 20 >/dev/null; echo "\${PIPESTATUS[0]}"`;
      const r = spawnSync('bash', ['-c', script], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
      expect(r.stdout.trim(), fs.readFileSync(err, 'utf8')).toBe('0');
      expect(fs.readFileSync(err, 'utf8')).toBe('');
    }, 120_000);
  }
});
