/**
 * Runs the built CLI (dist/) as a child process with a hard timeout and, where /usr/bin/time exists,
 * its peak memory: what "no hang, no runaway memory" is measured with.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { CLI, REPO } from '../helpers/cli.js';

export const TIME = '/usr/bin/time';
export const HAS_TIME = fs.existsSync(TIME);

export interface BoundedResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Peak resident memory in bytes, or null without /usr/bin/time. */
  maxRss: number | null;
  ms: number;
  timedOut: boolean;
}

/** Runs `whittle args…`, killing it after `timeoutMs`. */
export function runBounded(args: string[], o: { input?: Buffer; timeoutMs?: number; env?: Record<string, string> } = {}): Promise<BoundedResult> {
  const marker = `__whittle_rss_${process.pid}__`;
  const cmd = HAS_TIME ? TIME : process.execPath;
  const argv = HAS_TIME ? ['-f', `${marker}%M`, process.execPath, CLI, ...args] : [CLI, ...args];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: REPO, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...o.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, o.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.stdin.on('error', () => undefined); // the CLI may stop reading early
    child.stdin.end(o.input ?? Buffer.alloc(0));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let maxRss: number | null = null;
      if (HAS_TIME) {
        const lines = stderr.split('\n');
        const i = lines.findIndex((l) => l.startsWith(marker));
        if (i >= 0) {
          maxRss = Number(lines[i]!.slice(marker.length)) * 1024;
          lines.splice(i, 1);
        }
        // time(1) adds "Command exited with non-zero status N" / "Command terminated by signal".
        stderr = lines.filter((l) => !/^Command (exited|terminated)/.test(l)).join('\n');
      }
      resolve({ code, signal, stdout, stderr, maxRss, ms: Date.now() - started, timedOut });
    });
  });
}

/** Runs tasks with at most `n` at once (child processes on a 2-core CI machine). */
export async function limited<T>(n: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, tasks.length) }, async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  }));
  return out;
}
