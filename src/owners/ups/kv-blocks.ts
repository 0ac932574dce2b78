/**
 * The `KEY = value` syntax shared by UPS version files, chain files and `.upsfiles/dbconfig`:
 * header keys, then one block per `FLAVOR = …` line. Keys are case-insensitive (coups parses them
 * with `CaselessKeyword`); values may be quoted (`QUALIFIERS = "e19"`), empty (`QUALIFIERS = ""`
 * or `QUALIFIERS =`); `#` lines are comments; indentation carries no meaning.
 */
import type { Finding } from '../../findings.js';

export interface KvBlock {
  /** 1-based line of the `FLAVOR` key that opened the block. */
  line: number;
  /** Lower-case key → value (quotes removed). A repeated key keeps its last value. */
  fields: Map<string, string>;
}

export interface KvFile {
  header: Map<string, string>;
  blocks: KvBlock[];
}

/** Remove one pair of matching surrounding quotes. */
export function unquote(v: string): string {
  if (v.length >= 2) {
    const a = v.charCodeAt(0);
    if ((a === 34 || a === 39) && v.charCodeAt(v.length - 1) === a) return v.slice(1, -1).trim();
  }
  return v;
}

/**
 * Split text into header and FLAVOR blocks. `kind` names the file type in findings
 * (`UPS version file`), `source` its path.
 */
export function parseKvBlocks(text: string, kind: string, source: string, blockKey = 'flavor'): { file: KvFile; findings: Finding[] } {
  const findings: Finding[] = [];
  const header = new Map<string, string>();
  const blocks: KvBlock[] = [];
  let current: KvBlock | null = null;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.charCodeAt(0) === 35 /* # */) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) {
      findings.push({
        severity: 'warning',
        code: 'ups-syntax',
        message: `reading ${kind} ${source}: line ${i + 1} is not KEY = value (${JSON.stringify(line.slice(0, 80))})`,
        path: source,
      });
      continue;
    }
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = unquote(line.slice(eq + 1).trim());
    if (key === blockKey) {
      current = { line: i + 1, fields: new Map([[key, value]]) };
      blocks.push(current);
    } else if (current) {
      current.fields.set(key, value);
    } else {
      header.set(key, value);
    }
  }
  return { file: { header, blocks }, findings };
}
