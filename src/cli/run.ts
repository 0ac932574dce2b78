/** Error reporting, exit codes and signal handling for the CLI. */
import { EXIT, WhittleError } from '../errors.js';

/** Prints an error as one line (plus a hint line) on stderr and returns its exit code. */
export function handleError(err: unknown, debug: boolean): number {
  if (isEpipe(err)) return EXIT.ok;
  if (err instanceof WhittleError) {
    process.stderr.write(`whittle: ${err.message}\n`);
    if (err.hint) process.stderr.write(`hint: ${err.hint}\n`);
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const e = err as NodeJS.ErrnoException;
  if (e && (e.code === 'ENOSPC' || e.code === 'EDQUOT')) {
    process.stderr.write(`whittle: no space left on device${e.path ? ` writing ${e.path}` : ''}\n`);
    return EXIT.output;
  }
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`whittle: internal error: ${msg.split('\n')[0]}${debug ? '' : ' (run with --debug for the stack trace)'}\n`);
  if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  return EXIT.internal;
}

function isEpipe(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'EPIPE';
}

type Cleanup = () => void;
const cleanups = new Set<Cleanup>();

/** Registers work to undo when the process is interrupted (temp files); returns an unregister. */
export function onInterrupt(fn: Cleanup): () => void {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

let installed = false;
export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  const stop = (signal: NodeJS.Signals, code: number) => {
    for (const fn of cleanups) {
      try {
        fn();
      } catch {
        // best effort while exiting
      }
    }
    process.stderr.write(`\nwhittle: interrupted (${signal})\n`);
    process.exit(code);
  };
  process.once('SIGINT', () => stop('SIGINT', EXIT.interrupted));
  process.once('SIGTERM', () => stop('SIGTERM', 143));
  // `whittle … | head` closes stdout early: stop quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(EXIT.ok);
  });
}
