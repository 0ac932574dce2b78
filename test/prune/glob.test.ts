import fc from 'fast-check';
import micromatch from 'micromatch';
import { describe, expect, test } from 'vitest';
import { compileGlob, globMatchesPath, globProblem } from '../../src/prune/glob.js';

const matches = (pattern: string, path: string) => compileGlob(pattern).some((g) => globMatchesPath(g, path));
// The definition whittle documents: micromatch's answer with the pattern and the path both taken
// relative to the root. (Matching the absolute forms directly has artefacts: `/**/a` misses `/a`,
// and a relative `*/a` matches `/a` because `*` eats the empty name before the leading slash.)
// One deliberate difference: a `**` component always may match zero components. micromatch lets it
// do so after a literal (`a/**` matches `a`) but not after a wildcard (`lib*/**` misses `libz`), so
// the oracle also tries the pattern with each `**` component left out.
const rel = (s: string) => s.replace(/^\//, '');
const mm = (pattern: string, path: string): boolean => {
  const segs = rel(pattern).split('/');
  const stars = segs.map((s, i) => (s === '**' ? i : -1)).filter((i) => i >= 0);
  for (let mask = 0; mask < 1 << stars.length; mask++) {
    const kept = segs.filter((_, i) => !stars.some((s, j) => s === i && mask & (1 << j)));
    if (kept.length === 0) continue;
    if (micromatch.isMatch(rel(path), kept.join('/'), { dot: true })) return true;
  }
  return false;
};

describe('path globs on the trie agree with micromatch', () => {
  const cases: [string, string][] = [
    ['/usr/share/doc/**', '/usr/share/doc'],
    ['/usr/share/doc/**', '/usr/share/doc/a/b'],
    ['/usr/share/doc/**', '/usr/share/docs'],
    ['/usr/share/doc/*', '/usr/share/doc'],
    ['/usr/share/doc/*', '/usr/share/doc/x'],
    ['/usr/share/doc/*', '/usr/share/doc/x/y'],
    ['**/__pycache__', '/a/b/__pycache__'],
    ['**/__pycache__', '/__pycache__'],
    ['**/__pycache__/**', '/a/__pycache__/x.pyc'],
    ['**/*.a', '/x/.y.a'],
    ['**/*.a', '/x/y.a'],
    ['**/*.a', '/x/y.ab'],
    ['/products/*/*/source', '/products/root/v6/source'],
    ['/products/*/*/source', '/products/root/source'],
    ['/a/**/b', '/a/b'],
    ['/a/**/b', '/a/x/y/b'],
    ['/usr/share/{doc,man,info}/**', '/usr/share/man/man1/ls.1'],
    ['/usr/lib/*.so.[0-9]', '/usr/lib/libc.so.6'],
    ['/usr/lib/lib@(c|m).so*', '/usr/lib/libm.so.6'],
    ['/usr/lib/lib+(c|m).so*', '/usr/lib/libcm.so.6'],
    ['/usr/lib/lib?.so', '/usr/lib/libc.so'],
    ['/opt/lib*', '/opt/lib'],
    ['/opt/*.so', '/opt/.so'],
    ['/products/*/v*_*/*-debug', '/products/root/v6_12/Linux64bit+3.10-2.17-e17-debug'],
    ['**', '/anything/at/all'],
    ['/**/a', '/a'],
  ];
  test.each(cases)('%s on %s', (pattern, path) => {
    expect(matches(pattern, path)).toBe(mm(pattern, path));
  });

  test('random patterns and paths', () => {
    const name = fc.constantFrom('a', 'b', 'ab', '.a', 'a.so', 'lib', 'libx.so.1', 'doc', 'x-debug', 'v1_2');
    const seg = fc.constantFrom('a', 'b', '*', '**', '*.so', 'lib*', '*-debug', 'v*_*', '{a,b}', 'a?', '.a', 'doc', '@(a|b)', '[ab]');
    fc.assert(
      fc.property(fc.array(seg, { minLength: 1, maxLength: 5 }), fc.array(name, { minLength: 1, maxLength: 6 }), (segs, parts) => {
        const pattern = `/${segs.join('/')}`;
        const path = `/${parts.join('/')}`;
        expect(matches(pattern, path), `${pattern} vs ${path}`).toBe(mm(pattern, path));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('patterns whittle refuses, with the reason', () => {
  test.each([
    ['usr/share/doc/**', 'must start with "/"'],
    ['/usr//doc', 'empty path component'],
    ['/usr/doc/', 'empty path component'],
    ['/usr/../etc', '".." components'],
    ['/usr/@(a|b/c)', 'inside an extglob'],
    ['/usr/[a/b]', 'inside [...]'],
    ['**.so', 'must start with'],
  ])('%s', (pattern, reason) => {
    expect(globProblem(pattern)).toContain(reason);
  });
  test('good ones', () => {
    expect(globProblem('!/usr/share/doc/*/copyright')).toBeNull();
    expect(globProblem('**/*.pyc')).toBeNull();
  });
});
