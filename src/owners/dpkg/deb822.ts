/**
 * A streaming scanner for the RFC 822-like stanza format of dpkg's `status` file (also `status.d/*`
 * and opkg's `status`): `Field: value` lines, continuation lines starting with a space or tab,
 * stanzas separated by blank lines. Only the fields the caller asks for are kept, so the long
 * `Description` bodies of a 5 MB status file are never copied.
 */

export interface Deb822Stanza {
  /** 1-based line where the stanza starts. */
  line: number;
  /** Wanted fields only, keyed by lowercased field name. Continuation lines are joined with `\n`,
   *  each with its leading whitespace removed. The first occurrence of a field wins. */
  fields: Map<string, string>;
  /** Number of fields seen in the stanza, wanted or not. */
  fieldCount: number;
  /** The first malformed line of the stanza, if any; the rest of the stanza is still scanned. */
  error: { line: number; reason: string } | null;
}

/** Calls `visit` once per non-empty stanza, in file order. `wanted` holds lowercased names. */
export function scanDeb822(
  text: string,
  wanted: ReadonlySet<string>,
  visit: (stanza: Deb822Stanza) => void,
): void {
  let stanza: Deb822Stanza | null = null;
  // Name of the field the next continuation line belongs to; null before the first field.
  let current: string | null = null;
  let currentWanted = false;
  let lineNo = 0;
  let pos = 0;
  const len = text.length;

  const flush = (): void => {
    if (stanza !== null) visit(stanza);
    stanza = null;
    current = null;
    currentWanted = false;
  };

  while (pos < len) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = len;
    let lineEnd = end;
    if (lineEnd > pos && text.charCodeAt(lineEnd - 1) === 13 /* \r */) lineEnd--;
    lineNo++;
    const start = pos;
    pos = end + 1;

    if (isBlank(text, start, lineEnd)) {
      flush();
      continue;
    }
    if (stanza === null) {
      stanza = { line: lineNo, fields: new Map(), fieldCount: 0, error: null };
    }
    const s: Deb822Stanza = stanza;
    const first = text.charCodeAt(start);
    if (first === 32 /* space */ || first === 9 /* tab */) {
      if (current === null) {
        s.error ??= { line: lineNo, reason: 'continuation line before any field' };
      } else if (currentWanted) {
        const prev = s.fields.get(current) ?? '';
        s.fields.set(current, prev + '\n' + text.slice(start, lineEnd).trim());
      }
      continue;
    }
    const colon = text.indexOf(':', start);
    if (colon === -1 || colon >= lineEnd || colon === start || hasSpace(text, start, colon)) {
      s.error ??= {
        line: lineNo,
        reason: `no "Field:" name in ${quote(text.slice(start, Math.min(lineEnd, start + 40)))}`,
      };
      current = null;
      continue;
    }
    const name = text.slice(start, colon).toLowerCase();
    s.fieldCount++;
    current = name;
    currentWanted = wanted.has(name) && !s.fields.has(name);
    if (currentWanted) s.fields.set(name, text.slice(colon + 1, lineEnd).trim());
  }
  flush();
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

function hasSpace(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) return true;
  }
  return false;
}

function quote(s: string): string {
  return JSON.stringify(s);
}
