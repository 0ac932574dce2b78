/**
 * Typed errors with the exit code the CLI uses. Library code throws these; only `cli/` exits.
 * Messages are one line, lowercase, no trailing period, with context first:
 * "reading layer 3 (sha256:ab12…): unexpected end of data".
 */
export const EXIT = {
  ok: 0,
  /** A budget is exceeded, or findings under --strict. */
  failed: 1,
  usage: 2,
  /** The input is unreadable or not a valid image. */
  badInput: 3,
  /** Writing output failed (disk full, permission, …). */
  output: 4,
  /** A bug in whittle: an unexpected exception. */
  internal: 70,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class WhittleError extends Error {
  readonly exitCode: ExitCode;
  /** What the user can try, shown after the message. */
  readonly hint: string | undefined;
  constructor(message: string, exitCode: ExitCode, options?: { cause?: unknown; hint?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = options?.hint;
  }
}

/** Bad command-line usage: unknown option, missing argument, ambiguous image choice. */
export class UsageError extends WhittleError {
  constructor(message: string, options?: { cause?: unknown; hint?: string }) {
    super(message, EXIT.usage, options);
  }
}

/** The input cannot be read as an image: not an archive, truncated, corrupt, inconsistent. */
export class InputError extends WhittleError {
  constructor(message: string, options?: { cause?: unknown; hint?: string }) {
    super(message, EXIT.badInput, options);
  }
}

/** Writing an output file failed. */
export class OutputError extends WhittleError {
  constructor(message: string, options?: { cause?: unknown; hint?: string }) {
    super(message, EXIT.output, options);
  }
}

/** Wraps an error with a context prefix, keeping its type and exit code. */
export function withContext(context: string, err: unknown): Error {
  if (err instanceof WhittleError) {
    const Ctor = err.constructor as new (m: string, o?: { cause?: unknown; hint?: string }) => WhittleError;
    try {
      return new Ctor(`${context}: ${err.message}`, { cause: err, hint: err.hint });
    } catch {
      return new InputError(`${context}: ${err.message}`, { cause: err });
    }
  }
  const msg = err instanceof Error ? err.message : String(err);
  return new InputError(`${context}: ${msg}`, { cause: err });
}
