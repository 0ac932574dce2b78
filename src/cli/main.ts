#!/usr/bin/env node
/**
 * The `whittle` command line. Thin: parses options, runs one pipeline, picks a renderer, and is the
 * only place that turns errors into messages and exit codes.
 */
import { Command, CommanderError } from 'commander';
import { handleError, installSignalHandlers } from './run.js';
import { toolVersion } from './version.js';

type Register = (program: Command) => void;

// Each command's module is imported only when that command runs: a command pulls in its whole
// pipeline (rules, budgets, writers, the UI), and loading all of them cost `analyze` ~30 ms of
// start-up. Order is the order of `--help`; inspect is the default command (`whittle IMAGE`).
const COMMANDS: Record<string, () => Promise<Register>> = {
  analyze: async () => (await import('./commands/analyze.js')).registerAnalyze,
  ls: async () => (await import('./commands/ls.js')).registerLs,
  owners: async () => (await import('./commands/owners.js')).registerOwners,
  plan: async () => (await import('./commands/plan.js')).registerPlan,
  prune: async () => (await import('./commands/prune.js')).registerPrune,
  check: async () => (await import('./commands/check.js')).registerCheck,
  diff: async () => (await import('./commands/diff.js')).registerDiff,
  inspect: async () => (await import('./commands/inspect.js')).registerInspect,
};

/** The command a command line names (the first argument that is not an option), if any. */
function namedCommand(argv: string[]): string | null {
  const first = argv.find((a) => !a.startsWith('-'));
  return first !== undefined && Object.hasOwn(COMMANDS, first) && first !== 'inspect' ? first : null;
}

/**
 * The program with the named command only, with none for --version, or with every command (help,
 * the default command, mistakes that need the list of commands for their message).
 */
export async function buildProgram(argv: string[] = []): Promise<Command> {
  const program = new Command();
  program
    .name('whittle')
    .description('Tells you where the bytes of a container image go, and whittles the image down safely.')
    .version(toolVersion(), '-V, --version')
    .option('--debug', 'show stack traces for errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const only = namedCommand(argv);
  const help = argv.includes('--help') || argv.includes('-h');
  const version = only === null && !help && argv.some((a) => a === '-V' || a === '--version');
  const names = version ? [] : only !== null && !help ? [only] : Object.keys(COMMANDS);
  for (const register of await Promise.all(names.map((n) => COMMANDS[n]!()))) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  installSignalHandlers();
  const program = await buildProgram(argv);
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
