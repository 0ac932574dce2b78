/**
 * GitHub Actions workflow commands (`::error …::message`) that turn failed budgets into annotations
 * on the run (and on the config file's line when the budget came from one). Written when
 * GITHUB_ACTIONS=true.
 */
import type { CheckResult } from '../budget/types.js';

/** Escapes the message part of a workflow command. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value (title, file) of a workflow command. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(level: 'error' | 'warning' | 'notice', props: Record<string, string | number | undefined>, message: string): string {
  const p = Object.entries(props)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${level}${p ? ` ${p}` : ''}::${escapeData(message)}`;
}

/** One line per failed budget (error) and per warning; none when everything holds quietly. */
export function githubAnnotations(r: CheckResult): string[] {
  const out: string[] = [];
  for (const b of r.budgets) {
    if (b.status !== 'fail') continue;
    const src = b.source;
    out.push(command('error', { title: `whittle budget ${b.name}`, file: src.file, line: src.file ? src.line : undefined }, b.message));
  }
  for (const w of r.warnings) {
    if (w.severity === 'info') continue;
    out.push(command('warning', { title: 'whittle' }, w.message));
  }
  return out;
}

/** True when running as a GitHub Actions step. */
export function inGithubActions(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.GITHUB_ACTIONS === 'true';
}
