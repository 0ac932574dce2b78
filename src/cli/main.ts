#!/usr/bin/env node
/**
 * The `whittle` command line. Thin: parses options, runs one pipeline, picks a renderer, and is the
 * only place that turns errors into messages and exit codes.
 */
import { Command, CommanderError } from 'commander';
import { registerAnalyze } from './commands/analyze.js';
import { registerLs } from './commands/ls.js';
import { registerOwners } from './commands/owners.js';
import { registerPrune } from './commands/prune.js';
import { registerPlan } from './commands/plan.js';
import { registerCheck } from './commands/check.js';
import { registerDiff } from './commands/diff.js';
import { registerInspect } from './commands/inspect.js';
import { handleError, installSignalHandlers } from './run.js';
import { toolVersion } from './version.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('whittle')
    .description('Tells you where the bytes of a container image go, and whittles the image down safely.')
    .version(toolVersion(), '-V, --version')
    .option('--debug', 'show stack traces for errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerAnalyze(program);
  registerLs(program);
  registerOwners(program);
  registerPlan(program);
  registerPrune(program);
  registerCheck(program);
  registerDiff(program);
  // The default command: `whittle IMAGE` runs inspect (the UI on a terminal, else the analyze summary).
  registerInspect(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  installSignalHandlers();
  const program = buildProgram();
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; usage mistakes exit 2 (commander already printed the message).
      return err.exitCode === 0 ? 0 : 2;
    }
    return handleError(err, debug);
  }
}

const isEntry = process.argv[1] !== undefined && import.meta.url === (await import('node:url')).pathToFileURL((await import('node:fs')).realpathSync(process.argv[1])).href;
if (isEntry) {
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
}
