/**
 * The small YAML subset `.dive-ci` files use: nested block mappings of scalars, comments, quoted
 * strings, `---`. Anything else (sequences, flow collections, block scalars, anchors, tabs) is
 * reported with its line rather than guessed at. No YAML library is a dependency of whittle.
 */

export interface YamlNode {
  line: number;
  /** A scalar (string as written, unquoted), a nested mapping, or null for an empty value. */
  value: string | YamlMapping | null;
}

export type YamlMapping = Map<string, YamlNode>;

export type YamlResult = { ok: true; doc: YamlMapping } | { ok: false; line: number; message: string };

interface Line {
  no: number;
  indent: number;
  text: string;
}

export function parseYamlLite(source: string): YamlResult {
  const lines: Line[] = [];
  const raw = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < raw.length; i++) {
    const l = raw[i]!;
    const no = i + 1;
    const lead = /^[ \t]*/.exec(l)![0];
    if (lead.includes('\t') && l.trim() !== '') return { ok: false, line: no, message: 'tabs are not allowed for indentation in YAML' };
    const body = stripComment(l.slice(lead.length)).trimEnd();
    if (body === '' || body === '---' || body === '...') continue;
    lines.push({ no, indent: lead.length, text: body });
  }
  const doc: YamlMapping = new Map();
  // Stack of open mappings with the indent of their keys (-1 = not yet known).
  const stack: { indent: number; map: YamlMapping }[] = [{ indent: lines[0]?.indent ?? 0, map: doc }];
  let pendingParent: { map: YamlMapping; key: string; indent: number } | null = null;
  for (const ln of lines) {
    if (pendingParent) {
      if (ln.indent > pendingParent.indent) {
        const child: YamlMapping = new Map();
        pendingParent.map.get(pendingParent.key)!.value = child;
        stack.push({ indent: ln.indent, map: child });
      }
      pendingParent = null;
    }
    while (stack.length > 1 && ln.indent < stack[stack.length - 1]!.indent) stack.pop();
    const top = stack[stack.length - 1]!;
    if (ln.indent !== top.indent) return { ok: false, line: ln.no, message: 'bad indentation' };
    if (ln.text.startsWith('- ') || ln.text === '-') return { ok: false, line: ln.no, message: 'lists are not supported here' };
    const kv = splitKey(ln.text);
    if (!kv) return { ok: false, line: ln.no, message: `expected "key: value", got ${JSON.stringify(ln.text)}` };
    if (top.map.has(kv.key)) return { ok: false, line: ln.no, message: `duplicate key "${kv.key}"` };
    if (kv.rest === '') {
      top.map.set(kv.key, { line: ln.no, value: null });
      pendingParent = { map: top.map, key: kv.key, indent: ln.indent };
      continue;
    }
    const scalar = parseScalar(kv.rest);
    if (scalar === null) return { ok: false, line: ln.no, message: `unsupported value ${JSON.stringify(kv.rest)} (use a plain or quoted scalar)` };
    top.map.set(kv.key, { line: ln.no, value: scalar });
  }
  return { ok: true, doc };
}

/** Drops a `#` comment that starts the line or follows whitespace, outside quotes. */
function stripComment(s: string): string {
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || s[i - 1] === ' ' || s[i - 1] === '\t')) {
      return s.slice(0, i);
    }
  }
  return s;
}

function splitKey(text: string): { key: string; rest: string } | null {
  let key: string;
  let after: string;
  if (text.startsWith('"') || text.startsWith("'")) {
    const q = text[0]!;
    const end = text.indexOf(q, 1);
    if (end < 0) return null;
    key = text.slice(1, end);
    after = text.slice(end + 1);
    if (!after.startsWith(':')) return null;
    after = after.slice(1);
    if (after !== '' && !/^\s/.test(after)) return null;
  } else {
    const m = /^([^:]+?):(?:\s+|$)/.exec(text);
    if (!m) return null;
    key = m[1]!.trim();
    after = text.slice(m[0].length);
  }
  return { key, rest: after.trim() };
}

function parseScalar(s: string): string | null {
  if (s.startsWith('"')) {
    if (!s.endsWith('"') || s.length < 2) return null;
    try {
      return JSON.parse(s) as string;
    } catch {
      return null;
    }
  }
  if (s.startsWith("'")) {
    if (!s.endsWith("'") || s.length < 2) return null;
    return s.slice(1, -1).replace(/''/g, "'");
  }
  if (/^[[{&*!|>%@`]/.test(s)) return null;
  return s;
}
