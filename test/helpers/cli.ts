/** Runs the built CLI (dist/) as a child process, as users and CI scripts do. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(REPO, 'dist/src/cli/main.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { input?: Buffer | string; env?: Record<string, string>; cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    input: opts.input,
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '0', ...opts.env },
    cwd: opts.cwd ?? REPO,
    maxBuffer: 256 * 1024 * 1024,
    encoding: 'utf8',
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
