import type { Finding } from './findings.js';

/**
 * Collects findings with a cap per code, so a hostile archive with a million bad names yields a
 * readable report ("… and 999,900 more") instead of a million lines.
 */
export class FindingSink {
  readonly list: Finding[] = [];
  private readonly perCode = new Map<string, number>();
  constructor(private readonly capPerCode = 50) {}

  add(f: Finding): void {
    const n = (this.perCode.get(f.code) ?? 0) + 1;
    this.perCode.set(f.code, n);
    if (n <= this.capPerCode) this.list.push(f);
  }

  addAll(fs: Iterable<Finding>): void {
    for (const f of fs) this.add(f);
  }

  /** Findings plus one summary line per code that went over the cap. */
  result(): Finding[] {
    const out = [...this.list];
    for (const [code, n] of this.perCode) {
      if (n > this.capPerCode) {
        out.push({ severity: 'info', code, message: `${n - this.capPerCode} more ${code} findings not listed` });
      }
    }
    return out;
  }
}
