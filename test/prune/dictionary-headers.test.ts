/**
 * The headers ROOT dictionaries need (rootmap `header` lines and what they #include): how names
 * resolve, the `dictionaryHeader` predicate, the two-pass seeding (dictionaries other rules drop do
 * not keep headers) and the `dictionary-header-missing` finding. Small real images built here; the
 * Mu2e demo image is checked end to end against GNU tar's view of the pruned output at the end.
 */
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyzeImage } from '../../src/analysis/analyze.js';
import { dictionaryHeaders, dictionaryNodes } from '../../src/prune/dictionary-headers.js';
import type { EntrySpec } from '../../fixtures/images/layer.js';
import { generatedDir } from '../../fixtures/images/paths.js';
import { elfParts } from '../../fixtures/mu2e/elf.js';
import { ensureDemoImage } from '../../fixtures/mu2e/cache.js';
import { DEFAULT_DEMO_SCALE } from '../../fixtures/mu2e/generate.js';
import { runCli } from '../helpers/cli.js';
import { droppedPaths, plan, rules, scratchDir, writeImageFile } from './helpers.js';

const text = (p: string, content: string): EntrySpec => ({ type: 'file', path: p, content });

/** A real (minimal) ELF shared library whose .text starts with a dictionary payload, as rootcling's. */
function dictionaryLibrary(): Buffer {
  const payload = Buffer.from('\n#line 1 "libA_dict dictionary payload"\n\n#define _BACKWARD_BACKWARD_WARNING_H\n// Inline headers\n#include "a/tmpl.h"\n#include "a/a.h"\n\n#undef  _BACKWARD_BACKWARD_WARNING_H\n', 'latin1');
  const p = elfParts({ kind: 'dyn', soname: 'libA_dict.so', needed: ['libc.so.6'], debugFraction: 0 }, 4096);
  return Buffer.concat([p.head, payload, Buffer.alloc(p.textSize - payload.length), p.tail]);
}

// Two products. libA's dictionary names a.h, which includes (quoted, relative) ../detail/d.h and
// (angle) b/b.h from product B; d.h includes "same.h" that exists next to it AND elsewhere (the
// neighbour wins). libGui's dictionary names gui.h, which includes b/extra.h. B also has unused.h.
// libA_dict.so embeds a payload (as rootcling does) that includes a/tmpl.h, a template's header no
// rootmap line names.
const LAYER: EntrySpec[] = [
  text('opt/A/lib/libA.rootmap', '[ libA.so ]\n# List of selected classes\nclass A\nheader a/a.h\n'),
  text('opt/A/lib/libGui.rootmap', '[ libGui.so ]\n# List of selected classes\nclass Gui\nheader a/gui.h\n'),
  { type: 'file', path: 'opt/A/lib/libA_dict.so', content: dictionaryLibrary(), mode: 0o755 },
  text('opt/A/include/a/tmpl.h', 'template <class T> class Wrapper {};\n'),
  text('opt/A/include/a/a.h', '#pragma once\n#include "../detail/d.h"\n#include <b/b.h>\n#include <not/in/image.h>\nclass A {};\n'),
  text('opt/A/include/a/gui.h', '#include <b/extra.h>\n'),
  text('opt/A/include/detail/d.h', '#include "same.h"\n'),
  text('opt/A/include/detail/same.h', '// the neighbour\n'),
  text('opt/A/include/a/unused.h', '#include <b/b.h>\n'),
  text('opt/B/include/b/b.h', '#include <vector>\n'),
  text('opt/B/include/b/extra.h', '// only the GUI dictionary needs this\n'),
  text('opt/B/include/b/unused.h', '// nobody includes this\n'),
  text('opt/B/include/same.h', '// same name, elsewhere: not the one d.h means\n'),
  text('opt/gcc/include/c++/7.3.0/vector', '// <vector>\n'),
  text('opt/gcc/include/c++/7.3.0/bits/unused', '// a standard header nobody includes\n'),
  // the libraries the rootmaps map their classes to: libA.so, and libGui.so as a symlink chain
  text('opt/A/lib/libA.so', 'not really a library\n'),
  text('opt/A/lib/libGui.so.6.12', 'not really a library either\n'),
  { type: 'symlink', path: 'opt/A/lib/libGui.so', target: 'libGui.so.6.12' },
];

const image = () => writeImageFile([LAYER]);

describe('which headers dictionaries need', () => {
  test('resolves quoted names next to the includer first, angle names and rootmap lines by path suffix, transitively', async () => {
    const a = await analyzeImage(image(), { includes: 'headers' });
    const seeds = dictionaryNodes(a.includes!, () => true);
    expect(seeds.map((n) => a.paths.pathOf(n)).sort()).toEqual(['opt/A/lib/libA.rootmap', 'opt/A/lib/libA_dict.so', 'opt/A/lib/libGui.rootmap']);
    const d = dictionaryHeaders(a, seeds);
    const needed: string[] = [];
    for (let n = 0; n < d.needed.length; n++) if (d.needed[n]) needed.push(a.paths.pathOf(n));
    expect(needed.sort()).toEqual([
      'opt/A/include/a/a.h',
      'opt/A/include/a/gui.h',
      'opt/A/include/a/tmpl.h',
      'opt/A/include/detail/d.h',
      'opt/A/include/detail/same.h',
      'opt/B/include/b/b.h',
      'opt/B/include/b/extra.h',
      'opt/gcc/include/c++/7.3.0/vector',
    ]);
    expect(d.count).toBe(8);
    expect(d.unresolved).toBe(1); // <not/in/image.h>
  });

  test('with rootmaps only, just the headers they name', async () => {
    const a = await analyzeImage(image(), { includes: 'rootmaps' });
    const d = dictionaryHeaders(a, dictionaryNodes(a.includes!, () => true));
    expect(d.count).toBe(2);
  });

  test('a dictionary library is read as an ELF candidate and for its payload alike', async () => {
    const a = await analyzeImage(image(), { includes: 'headers', elf: true });
    const lib = a.paths.lookup('opt/A/lib/libA_dict.so');
    expect(a.includes!.fileOf.has(lib)).toBe(true);
    // both readers had it: the ELF probe (its soname) and the include scan (its payload)
    expect(a.elf!.get(lib)?.soname).toBe('libA_dict.so');
    const d = dictionaryHeaders(a, [lib]);
    expect(d.needed[a.paths.lookup('opt/A/include/a/tmpl.h')]).toBe(1);
  });

  const headerRules = [
    { name: 'needed', action: 'keep', paths: ['/opt/**'], type: 'file', dictionaryHeader: true },
    { name: 'headers', action: 'drop', paths: ['**/include/**'] },
  ];

  test('keep + dictionaryHeader: drops every header no kept dictionary needs', async () => {
    const a = await analyzeImage(image(), { includes: 'headers' });
    const r = plan(a, rules(headerRules));
    expect(droppedPaths(a, r).filter((p) => !p.endsWith('/'))).toEqual([
      '/opt/A/include/a/unused.h',
      '/opt/B/include/b/unused.h',
      '/opt/B/include/same.h',
      '/opt/gcc/include/c++/7.3.0/bits',
      '/opt/gcc/include/c++/7.3.0/bits/unused',
    ]);
    expect(r.plan.findings).toEqual([]);
    expect(r.plan.notes.dictionaryHeadersNeeded).toBe(8);
    expect(r.plan.notes.dictionaryHeadersChecked).toBe(9); // 2 rootmap lines + 2 payload includes + 5 resolved includes
  });

  test('a dictionary another rule drops does not keep its headers', async () => {
    const a = await analyzeImage(image(), { includes: 'headers' });
    const r = plan(a, rules([{ name: 'gui', action: 'drop', paths: ['**/libGui.rootmap'] }, ...headerRules]));
    const dropped = droppedPaths(a, r);
    expect(dropped).toContain('/opt/A/include/a/gui.h');
    expect(dropped).toContain('/opt/B/include/b/extra.h');
    expect(dropped).not.toContain('/opt/A/include/a/a.h');
    expect(r.plan.findings).toEqual([]);
  });

  test('dictionaryHeader false selects the files no dictionary needs', async () => {
    const a = await analyzeImage(image(), { includes: 'headers' });
    const r = plan(a, rules([{ name: 'unneeded', action: 'drop', paths: ['/opt/B/**'], dictionaryHeader: false }]));
    expect(droppedPaths(a, r)).toEqual(['/opt/B/include/b/unused.h', '/opt/B/include/same.h']);
  });

  test('dropping a header a kept dictionary needs is a finding, naming who needs it and the rule', async () => {
    const a = await analyzeImage(image(), { includes: 'headers' });
    const r = plan(a, rules([{ name: 'no-b', action: 'drop', paths: ['/opt/B/include/b/b.h'] }]));
    expect(r.plan.findingCounts).toEqual({ 'dictionary-header-missing': 1 });
    expect(r.plan.findings[0]).toMatchObject({ kind: 'dictionary-header-missing', path: '/opt/A/include/a/a.h', rule: 't/no-b' });
    expect(r.plan.findings[0]!.message).toContain('header b/b.h');
    // and a header a rootmap names directly
    const r2 = plan(a, rules([{ name: 'no-a', action: 'drop', paths: ['/opt/A/include/a/a.h'] }]));
    expect(r2.plan.findings).toMatchObject([
      { kind: 'dictionary-header-missing', path: '/opt/A/lib/libA.rootmap', rule: 't/no-a' },
      { kind: 'dictionary-header-missing', path: '/opt/A/lib/libA_dict.so', rule: 't/no-a' },
    ]); // in path order
    expect(r2.plan.findings[1]!.message).toContain("which this dictionary's payload includes");
  });

  test('past the limits on what names may cost, reading stops and rules keep every file, with a warning', async () => {
    const a = await analyzeImage(image(), { includes: 'headers', includeLimits: { refs: 4, characters: 1 << 20 } });
    expect(a.includes!.incomplete).toMatch(/over 4 header names/);
    const r = plan(a, rules(headerRules));
    expect(droppedPaths(a, r)).toEqual([]);
    expect(r.plan.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['rule-headers-incomplete', 'plan-headers-incomplete']));
    const chars = await analyzeImage(image(), { includes: 'headers', includeLimits: { refs: 1 << 20, characters: 20 } });
    expect(chars.includes!.incomplete).toMatch(/characters/);
    // within the limits nothing is missing
    expect((await analyzeImage(image(), { includes: 'headers', includeLimits: { refs: 14, characters: 200 } })).includes!.incomplete).toBeNull();
  });

  test('a kept rootmap whose library goes (or the file its symlink points to) is a finding', async () => {
    const a = await analyzeImage(image(), { includes: 'rootmaps' });
    const ok = plan(a, rules([{ name: 'none', action: 'drop', paths: ['/nothing'] }]));
    expect(ok.plan.notes).toMatchObject({ rootmapLibrariesChecked: 2, rootmapLibrariesUnresolvedBefore: 0 });
    expect(ok.plan.findings).toEqual([]);
    const r = plan(a, rules([{ name: 'libs', action: 'drop', paths: ['/opt/A/lib/libA.so', '/opt/A/lib/libGui.so.6.12'] }]));
    // (the symlink libGui.so dangles too, which is its own finding)
    expect(r.plan.findingCounts).toEqual({ 'rootmap-library-missing': 2, 'symlink-dangling': 1 });
    expect(r.plan.findings.filter((f) => f.kind === 'rootmap-library-missing')).toMatchObject([
      { kind: 'rootmap-library-missing', path: '/opt/A/lib/libA.rootmap', rule: 't/libs' },
      { kind: 'rootmap-library-missing', path: '/opt/A/lib/libGui.rootmap', rule: 't/libs' },
    ]);
    expect(r.plan.findings.find((f) => f.path === '/opt/A/lib/libGui.rootmap')!.message).toContain('maps classes to libGui.so, which is dropped (/opt/A/lib/libGui.so.6.12)');
    // dropping the rootmap with its library is fine
    const both = plan(a, rules([{ name: 'gui', action: 'drop', paths: ['/opt/A/lib/libGui*'] }]));
    expect(both.plan.findings.filter((f) => f.kind === 'rootmap-library-missing')).toEqual([]);
  });

  test('without headers read, a rule asking about them selects nothing and says so', async () => {
    const a = await analyzeImage(image(), { includes: 'rootmaps' });
    const r = plan(a, rules([{ name: 'unneeded', action: 'drop', paths: ['/opt/**'], dictionaryHeader: false }]));
    expect(droppedPaths(a, r)).toEqual([]);
    expect(r.plan.warnings.map((w) => w.code)).toContain('rule-headers-unknown');
  });
});

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

/**
 * An oracle that shares no code with whittle: GNU tar extracts the pruned image, a regex reads the
 * rootmaps' `header` lines and the `#include` lines of headers and dictionary libraries' payloads, and names resolve by path suffix over
 * the extracted files (quoted ones next to the includer first).
 */
function closureOnDisk(root: string): { needed: Set<string>; missing: string[]; files: string[] } {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(path.join(root, d))) {
      const rel = d ? `${d}/${name}` : name;
      const st = lstatSync(path.join(root, rel));
      if (st.isDirectory()) walk(rel);
      else if (st.isFile()) files.push(rel);
    }
  };
  walk('');
  const bySuffix = (name: string) => files.filter((f) => f === name || f.endsWith(`/${name}`));
  const needed = new Set<string>();
  const missing: string[] = [];
  const queue = files.filter((f) => f.endsWith('.rootmap') || f.endsWith('_dict.so'));
  const seen = new Set(queue);
  while (queue.length) {
    const f = queue.pop()!;
    const body = readFileSync(path.join(root, f), 'latin1');
    const names = f.endsWith('.rootmap')
      ? [...body.matchAll(/^header (\S+)$/gm)].map((m) => ({ name: m[1]!, quoted: false }))
      : [...body.matchAll(/^[ \t]*#[ \t]*include[ \t]*(["<])([^">\n]+)[">]/gm)].map((m) => ({ name: m[2]!, quoted: m[1] === '"' }));
    for (const { name, quoted } of names) {
      const near = quoted ? path.posix.normalize(`${path.posix.dirname(f)}/${name}`) : null;
      const hits = near && files.includes(near) ? [near] : bySuffix(name);
      if (hits.length === 0) missing.push(`${f} -> ${name}`);
      for (const h of hits) {
        needed.add(h);
        if (!seen.has(h)) {
          seen.add(h);
          queue.push(h);
        }
      }
    }
  }
  return { needed, missing, files };
}

describe.runIf(has('tar'))('mu2e on the demo image, checked with GNU tar', () => {
  test('every header a kept dictionary needs is in the written image, and no other product header is', async () => {
    const archive = await ensureDemoImage({ scale: DEFAULT_DEMO_SCALE, seed: 1, cacheDir: path.join(generatedDir(), 'mu2e') });
    const out = path.join(scratchDir(), 'mu2e-headers.tar');
    const w = runCli(['prune', archive, '--rules', 'mu2e', '-o', out, '--json']);
    expect(w.code, w.stderr).toBe(0);
    expect((JSON.parse(w.stdout) as { findings: unknown[] }).findings).toEqual([]);
    const p = runCli(['plan', archive, '--rules', 'mu2e', '--json']);
    const doc = JSON.parse(p.stdout) as { notes: { dictionaryHeadersNeeded: number } };
    const dir = path.join(scratchDir(), 'mu2e-headers');
    mkdirSync(path.join(dir, 'rootfs'), { recursive: true });
    expect(spawnSync('tar', ['-xf', out, '-C', dir]).status).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { Layers: string[] }[];
    expect(spawnSync('tar', ['-xf', path.join(dir, manifest[0]!.Layers[0]!), '-C', path.join(dir, 'rootfs')]).status).toBe(0);
    const { needed, missing, files } = closureOnDisk(path.join(dir, 'rootfs'));
    // the generator's headers also carry #include lines of names that exist nowhere (as real ones
    // name system headers outside the image): none of those may be a header the input had
    const input = await analyzeImage(archive, {});
    const lost = missing.filter((m) => {
      const name = m.slice(m.indexOf(' -> ') + 4);
      const base = name.slice(name.lastIndexOf('/') + 1);
      return input.paths.names.find(base) >= 0 && [...Array(input.paths.size).keys()].some((n) => input.tree.isFile(n) && `/${input.paths.pathOf(n)}`.endsWith(`/${name}`));
    });
    expect(lost).toEqual([]);
    expect(needed.size).toBe(doc.notes.dictionaryHeadersNeeded);
    expect(needed.size).toBeGreaterThan(10);
    // the headers the rules trim (products' include/ trees, Offline's inc/) are exactly the needed
    // ones, except ROOT's and gcc's own (kept whole)
    const headers = files.filter((f) => (/^products\/.*\/include\//.test(f) || /^Offline\/.*\/inc\//.test(f)) && !/^products\/(root|gcc)\//.test(f));
    expect(headers.length).toBeGreaterThan(3);
    for (const h of headers) expect(needed.has(h), h).toBe(true);
  }, 180_000);
});
