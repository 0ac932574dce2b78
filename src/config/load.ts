/**
 * Finds and reads the budgets config. With `--config FILE`, that file (a `package.json` → its
 * `whittle` key; `*.json` → a whittle config; anything else → a dive `.dive-ci`). Otherwise the
 * first of these in the working directory: `whittle.config.json`, `package.json` with a `whittle`
 * key, `.dive-ci`. Every problem is a UsageError (exit 2) naming the file and key.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BudgetSpec } from '../budget/types.js';
import { UsageError } from '../errors.js';
import type { Finding } from '../findings.js';
import { parseDiveCi } from './dive-ci.js';
import { validateConfig } from './validate.js';
import { configToSpecs, type WhittleConfig } from './whittle-config.js';

export type ConfigKind = 'whittle' | 'package.json' | 'dive-ci';

export interface LoadedConfig {
  /** File used (as shown in messages), or null when none. */
  file: string | null;
  kind: ConfigKind | null;
  specs: BudgetSpec[];
  warnings: Finding[];
}

export interface LoadOptions {
  cwd: string;
  /** `--config FILE`. */
  path?: string;
  /** `--no-config`: use flags only. */
  disabled?: boolean;
}

export const DISCOVERY: readonly { name: string; kind: ConfigKind }[] = [
  { name: 'whittle.config.json', kind: 'whittle' },
  { name: 'package.json', kind: 'package.json' },
  { name: '.dive-ci', kind: 'dive-ci' },
];

const NONE: LoadedConfig = { file: null, kind: null, specs: [], warnings: [] };

export function loadConfig(opts: LoadOptions): LoadedConfig {
  if (opts.disabled) return NONE;
  if (opts.path !== undefined) {
    const abs = path.resolve(opts.cwd, opts.path);
    const text = readText(abs, opts.path);
    const base = path.basename(abs);
    const kind: ConfigKind = base === 'package.json' ? 'package.json' : /\.json$/i.test(base) ? 'whittle' : 'dive-ci';
    const loaded = fromText(text, display(opts.cwd, abs), kind);
    if (!loaded) throw new UsageError(`${opts.path}: no "whittle" key`, { hint: 'add "whittle": { "budgets": { … } } to package.json, or use whittle.config.json' });
    return loaded;
  }
  const found: string[] = [];
  let chosen: LoadedConfig | null = null;
  for (const d of DISCOVERY) {
    const abs = path.join(opts.cwd, d.name);
    if (!fs.existsSync(abs)) continue;
    if (chosen) {
      if (d.kind !== 'package.json' || hasWhittleKey(abs)) found.push(d.name);
      continue;
    }
    const loaded = fromText(readText(abs, d.name), d.name, d.kind);
    if (loaded) chosen = loaded;
  }
  if (!chosen) return NONE;
  for (const name of found) {
    chosen.warnings.push({ severity: 'info', code: 'config-ignored', message: `${name} ignored: ${chosen.file} comes first` });
  }
  return chosen;
}

function display(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}

function readText(abs: string, shown: string): string {
  try {
    return fs.readFileSync(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `config file ${shown} not found` : `cannot read config file ${shown}: ${(err as Error).message}`);
  }
}

function hasWhittleKey(abs: string): boolean {
  try {
    const doc = JSON.parse(fs.readFileSync(abs, 'utf8')) as unknown;
    return typeof doc === 'object' && doc !== null && 'whittle' in doc;
  } catch {
    return false;
  }
}

/** Parses one config text; null for a package.json without a `whittle` key. */
export function fromText(text: string, file: string, kind: ConfigKind): LoadedConfig | null {
  if (kind === 'dive-ci') {
    const r = parseDiveCi(text, file);
    return { file, kind, specs: r.specs, warnings: r.warnings };
  }
  const doc = parseJson(text, file);
  let config: unknown = doc;
  let prefix = 'budgets';
  if (kind === 'package.json') {
    if (typeof doc !== 'object' || doc === null || !('whittle' in doc)) return null;
    config = (doc as Record<string, unknown>).whittle;
    prefix = 'whittle.budgets';
  }
  const problems = validateConfig(config);
  if (problems.length > 0) {
    const where = kind === 'package.json' ? `${file} ("whittle" key)` : file;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more: ${problems.slice(1).join('; ')})` : '';
    throw new UsageError(`${where}: ${problems[0]}${more}`);
  }
  return { file, kind, specs: configToSpecs(config as WhittleConfig, { file, text, prefix }), warnings: [] };
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const msg = (err as Error).message;
    const m = /position (\d+)/.exec(msg);
    let where = '';
    if (m) {
      const pos = Number(m[1]);
      const before = text.slice(0, pos);
      const line = before.split('\n').length;
      const col = pos - before.lastIndexOf('\n');
      where = `:${line}:${col}`;
    }
    throw new UsageError(`${file}${where}: not valid JSON (${msg.replace(/^JSON\.parse: /, '')})`);
  }
}
