/**
 * XML checks for the JUnit tests: Debian's xmllint (libxml2-utils) when installed, and always a
 * small structural reader (well-formedness of the subset renderJunit writes, and its test cases).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const HAS_XMLLINT = spawnSync('xmllint', ['--version'], { stdio: 'ignore' }).status === 0;

/** xmllint's verdict on a document: null when well-formed, else its error text. */
export function xmllint(xml: string): string | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whittle-xml-'));
  const file = path.join(dir, 'junit.xml');
  fs.writeFileSync(file, xml);
  const r = spawnSync('xmllint', ['--noout', file], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  return r.status === 0 ? null : r.stderr;
}

/** xmllint --xpath evaluation (string results), for reading values back. */
export function xpath(xml: string, expr: string): string {
  const r = spawnSync('xmllint', ['--xpath', expr, '-'], { input: xml, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENT: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescape = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) =>
    e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : ENT[e]!,
  );

/**
 * Parses elements, attributes and text (no DTD, CDATA or comments: renderJunit writes none) and
 * throws on anything not well-formed: mismatched tags, raw `<` or `&`, characters XML 1.0 forbids.
 */
export function parseXml(xml: string): XmlElement {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(xml)) throw new Error('character not allowed in XML 1.0');
  let i = 0;
  const decl = /^<\?xml[^?]*\?>\s*/.exec(xml);
  if (decl) i = decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  while (i < xml.length) {
    if (xml[i] === '<') {
      const end = xml.indexOf('>', i);
      if (end < 0) throw new Error(`unterminated tag at ${i}`);
      const tag = xml.slice(i + 1, end);
      if (tag.startsWith('/')) {
        const name = tag.slice(1).trim();
        const open = stack.pop();
        if (!open || open.name !== name) throw new Error(`mismatched </${name}> at ${i}`);
        open.text = unescape(open.text);
        if (stack.length === 0) root = open;
      } else {
        const selfClose = tag.endsWith('/');
        const body = selfClose ? tag.slice(0, -1) : tag;
        const m = /^([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*$/.exec(body);
        if (!m) throw new Error(`malformed tag <${tag}> at ${i}`);
        const attrs: Record<string, string> = {};
        for (const a of m[2]!.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
          if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(a[2]!)) throw new Error(`raw & in attribute ${a[1]}`);
          attrs[a[1]!] = unescape(a[2]!);
        }
        const el: XmlElement = { name: m[1]!, attrs, children: [], text: '' };
        if (stack.length > 0) stack[stack.length - 1]!.children.push(el);
        if (selfClose) {
          if (stack.length === 0) root = el;
        } else stack.push(el);
      }
      i = end + 1;
    } else {
      const next = xml.indexOf('<', i);
      const text = xml.slice(i, next < 0 ? xml.length : next);
      if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text)) throw new Error(`raw & in text at ${i}`);
      if (text.includes('>') && stack.length === 0) throw new Error('text outside the root');
      if (stack.length > 0) stack[stack.length - 1]!.text += text;
      else if (text.trim() !== '') throw new Error('text outside the root');
      i = next < 0 ? xml.length : next;
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (!root) throw new Error('no root element');
  return root;
}
