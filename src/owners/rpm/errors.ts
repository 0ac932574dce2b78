import type { Finding } from '../../findings.js';

/**
 * The one error type the rpm readers throw: the input is not what it claims to be, or is damaged
 * beyond reading. `code` is a stable kebab-case id (it becomes a finding code upstream).
 */
export class RpmFormatError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'RpmFormatError';
    this.code = code;
  }
}

/** Raw byte strings found in a database, before header parsing, plus what went wrong on the way. */
export interface RpmBlobs {
  values: Uint8Array[];
  findings: Finding[];
}

/** Most findings one database may report; the rest are counted in a final summary finding. */
const MAX_FINDINGS = 20;

/**
 * Collects a reader's findings for one database file, capped so that a badly damaged file yields a
 * readable report rather than thousands of lines.
 */
export class FindingCollector {
  private readonly list: Finding[] = [];
  private dropped = 0;

  constructor(private readonly source: string) {}

  warn(code: string, message: string): void {
    if (this.list.length < MAX_FINDINGS) this.list.push({ severity: 'warning', code, message: `${this.source}: ${message}` });
    else this.dropped++;
  }

  done(): Finding[] {
    if (this.dropped > 0) {
      this.list.push({ severity: 'warning', code: 'rpmdb-corrupt', message: `${this.source}: ${this.dropped} more problems not listed` });
    }
    return this.list;
  }
}
