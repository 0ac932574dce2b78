import { describe, expect, it } from 'vitest';
import { normalizeEntryName, resolveLinkTarget } from '../../src/tree/normalize.js';

describe('normalizeEntryName', () => {
  it('keeps ordinary names and strips ./ and trailing slashes', () => {
    expect(normalizeEntryName('usr/bin/x')).toEqual({ path: 'usr/bin/x', issue: null });
    expect(normalizeEntryName('./usr/lib/')).toEqual({ path: 'usr/lib', issue: null });
    expect(normalizeEntryName('./')).toEqual({ path: '', issue: null });
  });
  it('keeps hostile names inside the root, as a runtime would, and says why', () => {
    expect(normalizeEntryName('/etc/passwd')).toEqual({ path: 'etc/passwd', issue: 'absolute' });
    expect(normalizeEntryName('../../etc/shadow')).toEqual({ path: 'etc/shadow', issue: 'escapes-root' });
    expect(normalizeEntryName('a/../../b')).toEqual({ path: 'b', issue: 'escapes-root' });
    expect(normalizeEntryName('a/./b//c/../d')).toEqual({ path: 'a/b/d', issue: null });
    expect(normalizeEntryName('a\0b').issue).toBe('nul-byte');
  });
  it('tells dot components from names that merely hold dots', () => {
    for (const name of ['a.b/c', '.hidden/x', 'a/.hidden', 'a/..b', 'a/b.', '..foo', 'a/b..', '...']) {
      expect(normalizeEntryName(name), name).toEqual({ path: name, issue: null });
    }
    expect(normalizeEntryName('a/./b')).toEqual({ path: 'a/b', issue: null });
    expect(normalizeEntryName('a/b/.')).toEqual({ path: 'a/b', issue: null });
    expect(normalizeEntryName('.')).toEqual({ path: '', issue: null });
    expect(normalizeEntryName('a/..')).toEqual({ path: '', issue: null });
    expect(normalizeEntryName('../x')).toEqual({ path: 'x', issue: 'escapes-root' });
  });
  it('resolves symlink targets without leaving the root', () => {
    expect(resolveLinkTarget('usr/lib', '../../../../etc')).toBe('etc');
    expect(resolveLinkTarget('bin', 'usr/bin')).toBe('bin/usr/bin');
    expect(resolveLinkTarget('', 'usr/bin')).toBe('usr/bin');
    expect(resolveLinkTarget('x/y', '/abs/path')).toBe('abs/path');
  });
});
