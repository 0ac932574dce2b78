/**
 * A finding is something whittle noticed that the user should know about but that does not stop
 * the work: a corrupt database line, a digest mismatch, a hostile path. Parsers return records plus
 * findings; one bad line never loses the rest.
 */
export type Severity = 'info' | 'warning' | 'error';

export interface Finding {
  severity: Severity;
  /** Stable kebab-case code, e.g. `dpkg-status-corrupt`, `digest-mismatch`. */
  code: string;
  /** One line, lowercase start, no trailing period; names the file and what is wrong. */
  message: string;
  /** Layer index where it applies, if any. */
  layer?: number;
  /** Path inside the image (no leading slash) where it applies, if any. */
  path?: string;
}
