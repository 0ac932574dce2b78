/**
 * Strip rules in the planner and the writer, on small real images holding real ELF files with debug
 * information (fixtures/elf/strip): which files are stripped and which are not (keep wins, drop
 * wins, hard links, files that cannot be stripped), what each rule is credited, the projected sizes,
 * and the bytes `whittle prune` writes — stored and gzip-compressed layers, squashed and with kept
 * base layers.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyzeImage } from '../../src/analysis/analyze.js';
import { readAtBytes } from '../../src/elf/read-dynamic.js';
import { debugSectionBytes, stripDebug } from '../../src/elf/strip.js';
import { compileRules } from '../../src/prune/compile.js';
import { evaluatePlan } from '../../src/prune/evaluate.js';
import { padded } from '../../src/prune/tar-estimate.js';
import { writeImage } from '../../src/prune/write-image.js';
import type { EntrySpec } from '../../fixtures/images/layer.js';
import { writeArchive } from '../../fixtures/images/write-image.js';
import { elfParts } from '../../fixtures/mu2e/elf.js';
import { analyzeLayers, plan, REPO, rules, scratchDir } from './helpers.js';

const elf = (name: string) => readFileSync(join(REPO, 'fixtures/elf', name));
const HELLO = elf('strip/x86_64/hello-g');
const LIB = elf('strip/x86_64/libgreet.so.1');
const PLAIN = elf('strip/x86_64/greet-app'); // ELF without debug information
const OBJ = elf('strip/x86_64/greet-g.o'); // debug information, not an executable: never probed
/** An executable with a payload appended after its sections (as PyInstaller builds): not strippable. */
const BUNDLE = Buffer.concat([HELLO, Buffer.alloc(10_000, 0x5a)]);
const strippedSize = (b: Buffer) => debugSectionBytes(readAtBytes(b), b.length)!.strippedSize;

const base: EntrySpec[] = [
  { type: 'dir', path: 'opt' },
  { type: 'dir', path: 'opt/app' },
  { type: 'dir', path: 'opt/app/bin' },
  { type: 'dir', path: 'opt/app/lib' },
  { type: 'file', path: 'opt/app/bin/hello', content: HELLO, mode: 0o755 },
  { type: 'file', path: 'opt/app/lib/libgreet.so.1', content: LIB, mode: 0o755 },
  { type: 'file', path: 'opt/app/bin/greet-app', content: PLAIN, mode: 0o755 },
  { type: 'file', path: 'opt/app/lib/greet.o', content: OBJ },
  { type: 'file', path: 'opt/app/bin/bundle', content: BUNDLE, mode: 0o755 },
  { type: 'file', path: 'opt/app/README', content: 'not ELF at all\n' },
];

describe('what a strip rule strips', () => {
  test('ELF files with debug information it selects: sizes, credit, projection', async () => {
    const a = await analyzeLayers([base]);
    const r = plan(a, rules([{ name: 'debug', action: 'strip', paths: ['/opt/**'] }]));
    const hello = r.path('/opt/app/bin/hello');
    const lib = r.path('/opt/app/lib/libgreet.so.1');
    expect(r.stripped[hello]).toBe(1);
    expect(r.stripped[lib]).toBe(1);
    for (const p of ['/opt/app/bin/greet-app', '/opt/app/lib/greet.o', '/opt/app/bin/bundle', '/opt/app/README', '/opt/app/bin']) expect(r.stripped[r.path(p)], p).toBe(0);
    const saved = HELLO.length - strippedSize(HELLO) + LIB.length - strippedSize(LIB);
    expect(saved).toBeGreaterThan(2000);
    expect(r.plan.rules[0]).toMatchObject({ name: 't/debug', action: 'strip', files: 2, bytes: saved });
    expect(r.plan.savedBytes).toBe(saved);
    expect(r.plan.projectedBytes).toBe(r.plan.inputBytes - saved);
    expect(r.plan.projectedFiles).toBe(r.plan.inputFiles);
    expect(r.plan.inputImageBytes - r.plan.projectedImageBytes).toBe(
      padded(HELLO.length) - padded(strippedSize(HELLO)) + padded(LIB.length) - padded(strippedSize(LIB)),
    );
    expect(r.plan.notes.strippedFiles).toBe(2);
    // the bundle has debug information that cannot be stripped safely: counted and explained
    expect(r.plan.notes.stripSkipped).toBe(1);
    const w = r.plan.warnings.find((x) => x.code === 'strip-skipped')!;
    expect(w.message).toBe('1 ELF file with debug information that strip rules select is written as it is: /opt/app/bin/bundle: 10000 bytes after the last section (appended data) would be lost');
    expect(r.dropped.every((x) => x === 0)).toBe(true);
  });

  test('drop wins over strip, and keep wins over strip, in either order', async () => {
    const a = await analyzeLayers([base]);
    const strip = { name: 'debug', action: 'strip', paths: ['/opt/**'] };
    const drop = { name: 'bins', action: 'drop', paths: ['/opt/app/bin/hello'] };
    const keep = { name: 'lib', action: 'keep', paths: ['/opt/app/lib/libgreet.so.1'] };
    for (const order of [[strip, drop, keep], [keep, drop, strip]]) {
      const r = plan(a, rules(order));
      const hello = r.path('/opt/app/bin/hello');
      const lib = r.path('/opt/app/lib/libgreet.so.1');
      expect([r.dropped[hello], r.stripped[hello]]).toEqual([1, 0]);
      expect([r.dropped[lib], r.stripped[lib]]).toEqual([0, 0]);
      const byName = Object.fromEntries(r.plan.rules.map((x) => [x.name, x]));
      expect(byName['t/bins']).toMatchObject({ files: 1, bytes: HELLO.length });
      expect(byName['t/debug']).toMatchObject({ files: 0, bytes: 0 });
      expect(r.plan.savedBytes).toBe(HELLO.length);
    }
  });

  test('the first strip rule in order is credited; a rule switched off strips nothing', async () => {
    const a = await analyzeLayers([base]);
    const compiled = compileRules(a, rules([
      { name: 'one', action: 'strip', paths: ['/opt/app/bin/**'] },
      { name: 'two', action: 'strip', paths: ['/opt/**'] },
    ]));
    const all = evaluatePlan(a, compiled);
    const helloSaved = HELLO.length - strippedSize(HELLO);
    const libSaved = LIB.length - strippedSize(LIB);
    expect(all.plan.rules.map((x) => [x.files, x.bytes])).toEqual([[1, helloSaved], [1, libSaved]]);
    const second = evaluatePlan(a, compiled, { enabled: [false, true] });
    expect(second.plan.rules.map((x) => [x.enabled, x.files, x.bytes])).toEqual([[false, 0, 0], [true, 2, helloSaved + libSaved]]);
    const none = evaluatePlan(a, compiled, { enabled: [false, false] });
    expect(none.stripped.every((x) => x === 0)).toBe(true);
    expect(none.plan.projectedBytes).toBe(none.plan.inputBytes);
  });

  test('hard links: stripped only when every written name is selected; bytes counted once', async () => {
    const layer: EntrySpec[] = [...base, { type: 'hardlink', path: 'opt/app/hello-link', target: 'opt/app/bin/hello' }];
    const a = await analyzeLayers([layer]);
    const saved = HELLO.length - strippedSize(HELLO);
    const one = plan(a, rules([{ name: 'bin', action: 'strip', paths: ['/opt/app/bin/**'] }]));
    expect(one.stripped[one.path('/opt/app/bin/hello')]).toBe(0);
    expect(one.plan.rules[0]).toMatchObject({ files: 0, bytes: 0 });
    const both = plan(a, rules([{ name: 'all', action: 'strip', paths: ['/opt/app/bin/hello', '/opt/app/hello-link'] }]));
    expect([both.stripped[both.path('/opt/app/bin/hello')], both.stripped[both.path('/opt/app/hello-link')]]).toEqual([1, 1]);
    expect(both.plan.rules[0]).toMatchObject({ files: 2, bytes: saved });
    // a dropped name does not block: the written one is stripped
    const mixed = plan(a, rules([{ name: 'link', action: 'drop', paths: ['/opt/app/hello-link'] }, { name: 'bin', action: 'strip', paths: ['/opt/app/bin/**'] }]));
    expect(mixed.stripped[mixed.path('/opt/app/bin/hello')]).toBe(1);
    expect(mixed.plan.rules[1]).toMatchObject({ files: 1, bytes: saved });
    expect(mixed.plan.rules[0]).toMatchObject({ files: 1, bytes: 0 });
  });

  test('without ELF headers read, a strip rule strips nothing and says so', async () => {
    const a = await analyzeImage((await import('./helpers.js')).writeImageFile([base]), { elf: false });
    const r = evaluatePlan(a, compileRules(a, rules([{ name: 'debug', action: 'strip', paths: ['/opt/**'] }])));
    expect(r.stripped.every((x) => x === 0)).toBe(true);
    expect(r.plan.warnings.some((w) => w.code === 'rule-elf-unknown' && w.message.includes('t/debug strips ELF files'))).toBe(true);
  });
});

// ---------------------------------------------------------------- the writer

/** path → bytes of the regular files in the layers of a docker-archive, merged (GNU tar). */
function filesOfImage(file: string): Map<string, Buffer> {
  const tarOut = (args: string[], input?: Buffer) => {
    const r = spawnSync('tar', args, { input, maxBuffer: 1 << 28 });
    expect(r.status, r.stderr?.toString()).toBe(0);
    return r.stdout;
  };
  const manifest = JSON.parse(tarOut(['-xOf', file, 'manifest.json']).toString()) as { Layers: string[] }[];
  const out = new Map<string, Buffer>();
  for (const layer of manifest[0]!.Layers) {
    const blob = tarOut(['-xOf', file, layer]);
    const names = tarOut(['-tf', '-'], blob).toString().split('\n').filter((n) => n && !n.endsWith('/'));
    for (const n of names) {
      const base = n.slice(n.lastIndexOf('/') + 1);
      if (base.startsWith('.wh.')) {
        out.delete(n.replace(/\.wh\.([^/]*)$/, '$1'));
        continue;
      }
      out.set(n, tarOut(['-xOf', '-', n], blob));
    }
  }
  return out;
}

const HAS_TAR = spawnSync('sh', ['-c', 'command -v tar']).status === 0;

describe.skipIf(!HAS_TAR)('what whittle writes for stripped files', () => {
  const cases = [
    { label: 'stored layers, squashed', gzip: false, keepLayers: 0 },
    { label: 'gzip layers (streamed), squashed', gzip: true, keepLayers: 0 },
    { label: 'stored layers, the ELF files in a kept base layer', gzip: false, keepLayers: 1 },
  ];
  for (const c of cases) {
    test(c.label, async () => {
      const top: EntrySpec[] = [{ type: 'file', path: 'opt/app/extra.txt', content: 'second layer\n' }];
      const w = writeArchive({ images: [{ repoTag: 'whittle/strip:1', layers: [base, top].map((entries) => ({ entries, compression: c.gzip ? 'gzip' : 'none' })) }] }, 'docker-25');
      const input = join(scratchDir(), `strip-in-${c.gzip}-${c.keepLayers}.tar`);
      writeFileSync(input, w.bytes!);
      const a = await analyzeImage(input, { elf: true });
      const r = evaluatePlan(a, compileRules(a, rules([{ name: 'debug', action: 'strip', paths: ['/opt/**'] }])));
      expect(r.plan.notes.strippedFiles).toBe(2);
      const out = join(scratchDir(), `strip-out-${c.gzip}-${c.keepLayers}.tar`);
      const res = await writeImage(a, out, { format: 'docker-archive', keepLayers: c.keepLayers, gzip: false, dropped: r.dropped, stripped: r.stripped, createdBy: 'test' });
      expect(res.stats.strippedFiles).toBe(2);
      expect(res.stats.strippedBytes).toBe(r.plan.rules[0]!.bytes);
      if (c.keepLayers === 0) expect(res.newLayerTarBytes).toBe(r.plan.projectedImageBytes);
      const files = filesOfImage(out);
      expect(Buffer.compare(files.get('opt/app/bin/hello')!, Buffer.from(stripDebug(new Uint8Array(HELLO))))).toBe(0);
      expect(Buffer.compare(files.get('opt/app/lib/libgreet.so.1')!, Buffer.from(stripDebug(new Uint8Array(LIB))))).toBe(0);
      expect(files.get('opt/app/lib/libgreet.so.1')!.length).toBe(strippedSize(LIB));
      for (const [p, b] of [['opt/app/bin/greet-app', PLAIN], ['opt/app/lib/greet.o', OBJ], ['opt/app/bin/bundle', BUNDLE]] as const) expect(Buffer.compare(files.get(p)!, b), p).toBe(0);
      // the written image, analysed, is the plan's projection
      const slim = await analyzeImage(out, { elf: true });
      expect(slim.totals.mergedBytes).toBe(r.plan.projectedBytes);
      const again = evaluatePlan(slim, compileRules(slim, rules([{ name: 'debug', action: 'strip', paths: ['/opt/**'] }])));
      expect(again.plan.notes.strippedFiles).toBe(0);
    });
  }
});

/** Pseudo-random bytes (incompressible, so gzip output is as large as the input), seeded. */
function noise(n: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

describe.skipIf(!HAS_TAR)('files larger than the writer\'s 4 MiB blocks', () => {
  // A 6 MB library with debug information after 3 MB of data: the stripped copy, the streamed
  // copy of a gzip input and the gzip output all span block boundaries of the output.
  const parts = elfParts({ kind: 'dyn', soname: 'libbig.so', needed: ['libc.so.6'], debugFraction: 0.5 }, 6_000_000);
  const BIG = Buffer.concat([parts.head, noise(parts.size - parts.head.length - parts.tail.length, 7), parts.tail]);
  const DATA = noise(3_000_000, 11);
  const layer: EntrySpec[] = [
    { type: 'dir', path: 'opt' },
    { type: 'file', path: 'opt/data.bin', content: DATA },
    { type: 'file', path: 'opt/libbig.so', content: BIG, mode: 0o755 },
    { type: 'file', path: 'opt/copy.so', content: BIG, mode: 0o755 },
  ];
  for (const input of ['none', 'gzip'] as const) {
    for (const gzip of [false, true]) {
      test(`${input} input layer, ${gzip ? 'gzip' : 'stored'} output: every byte where it belongs`, async () => {
        const w = writeArchive({ images: [{ repoTag: 'whittle/big:1', layers: [{ entries: layer, compression: input }] }] }, 'docker-25');
        const file = join(scratchDir(), `big-in-${input}-${gzip}.tar`);
        writeFileSync(file, w.bytes!);
        const a = await analyzeImage(file, { elf: true });
        const r = evaluatePlan(a, compileRules(a, rules([{ name: 'debug', action: 'strip', paths: ['/opt/libbig.so'] }])));
        expect(r.plan.notes.strippedFiles).toBe(1);
        const out = join(scratchDir(), `big-out-${input}-${gzip}.tar`);
        await writeImage(a, out, { format: 'docker-archive', keepLayers: 0, gzip, dropped: r.dropped, stripped: r.stripped, createdBy: 'test' });
        // Digests of what was written against the blob and diff_id the writer computed while writing.
        const back = await analyzeImage(out, { verify: true });
        expect(back.image.verified).toBe(true);
        if (!gzip) {
          const files = filesOfImage(out);
          expect(Buffer.compare(files.get('opt/data.bin')!, DATA)).toBe(0);
          expect(Buffer.compare(files.get('opt/copy.so')!, BIG)).toBe(0);
          const stripped = files.get('opt/libbig.so')!;
          expect(stripped.length).toBe(strippedSize(BIG));
          expect(Buffer.compare(stripped, Buffer.from(stripDebug(new Uint8Array(BIG))))).toBe(0);
        }
      });
    }
  }
});
