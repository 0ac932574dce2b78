import { describe, expect, test } from 'vitest';
import type { Analysis } from '../../src/analysis/analyze.js';
import type { EntrySpec } from '../../fixtures/images/layer.js';
import { analyzeLayers, droppedPaths, plan, rules } from './helpers.js';

const file = (path: string, size: number, seed = 1): EntrySpec => ({ type: 'file', path, content: { size, seed } });
const dir = (path: string): EntrySpec => ({ type: 'dir', path });

// One layer; sizes chosen so every total below is a distinct sum.
const LAYER: EntrySpec[] = [
  dir('usr'), dir('usr/share'), dir('usr/share/doc'), dir('usr/share/doc/a'),
  file('usr/share/doc/a/README', 100), file('usr/share/doc/a/copyright', 10),
  dir('usr/share/doc/b'), file('usr/share/doc/b/NEWS', 200),
  dir('opt'), dir('opt/app'), file('opt/app/data.bin', 1000), file('opt/app/keep.cfg', 5),
  dir('opt/app/sub'), file('opt/app/sub/x.a', 300),
  dir('x'), file('x/1', 7), file('x/2', 8),
  dir('h'), file('h/one', 500), { type: 'hardlink', path: 'h/two', target: 'h/one' },
  dir('lnk'),
  { type: 'symlink', path: 'lnk/to-data', target: '/opt/app/data.bin' },
  { type: 'symlink', path: 'lnk/dir', target: '/opt/app' },
  { type: 'symlink', path: 'lnk/via', target: 'dir/data.bin' },
  { type: 'symlink', path: 'lnk/to-x', target: '../x/1' },
  { type: 'symlink', path: 'lnk/broken', target: '/nowhere' },
];
const TOTAL = 100 + 10 + 200 + 1000 + 5 + 300 + 7 + 8 + 500;

let image: Analysis;
const get = async () => (image ??= await analyzeLayers([LAYER]));

describe('keep always wins over drop, whatever the order', () => {
  test.each([
    ['drop first', [{ name: 'app', action: 'drop', paths: ['/opt/app/**'] }, { name: 'cfg', action: 'keep', paths: ['/opt/app/keep.cfg'] }]],
    ['keep first', [{ name: 'cfg', action: 'keep', paths: ['/opt/app/keep.cfg'] }, { name: 'app', action: 'drop', paths: ['/opt/app/**'] }]],
  ])('%s', async (_, list) => {
    const a = await get();
    const r = plan(a, rules(list));
    // the directory stays for its kept file; everything else under it goes
    expect(droppedPaths(a, r)).toEqual(['/opt/app/data.bin', '/opt/app/sub', '/opt/app/sub/x.a']);
    const drop = r.plan.rules.find((x) => x.name === 't/app')!;
    const keep = r.plan.rules.find((x) => x.name === 't/cfg')!;
    expect([drop.files, drop.bytes]).toEqual([2, 1300]);
    expect([keep.keptFiles, keep.keptBytes]).toEqual([1, 5]);
    expect(r.plan.savedBytes).toBe(1300);
    expect(r.plan.projectedBytes).toBe(TOTAL - 1300);
    expect(r.plan.inputBytes).toBe(TOTAL);
  });
});

test('a negated glob carves nodes (and their subtrees) out of its rule', async () => {
  const a = await get();
  const r = plan(a, rules([{ name: 'docs', action: 'drop', paths: ['/usr/share/doc/**', '!/usr/share/doc/*/copyright'] }]));
  expect(droppedPaths(a, r)).toEqual(['/usr/share/doc/a/README', '/usr/share/doc/b', '/usr/share/doc/b/NEWS']);
  expect(r.plan.rules[0]).toMatchObject({ files: 2, bytes: 300 });
});

test('each byte is credited once, to the first rule in order that drops it', async () => {
  const a = await get();
  const both = [{ name: 'opt', action: 'drop', paths: ['/opt/**'] }, { name: 'archives', action: 'drop', paths: ['**/*.a'] }];
  const first = plan(a, rules(both)).plan.rules;
  expect(first.map((x) => [x.name, x.files, x.bytes])).toEqual([['t/opt', 3, 1305], ['t/archives', 0, 0]]);
  const second = plan(a, rules([...both].reverse())).plan.rules;
  expect(second.map((x) => [x.name, x.files, x.bytes])).toEqual([['t/archives', 1, 300], ['t/opt', 2, 1005]]);
  // switched off, a rule removes nothing and the next one takes its files
  const off = plan(a, rules(both), { enabled: [false, true] }).plan.rules;
  expect(off.map((x) => [x.name, x.enabled, x.files, x.bytes])).toEqual([['t/opt', false, 0, 0], ['t/archives', true, 1, 300]]);
});

describe('hard links', () => {
  test('dropping one name of two saves nothing; the data moves to the kept name', async () => {
    const a = await get();
    const r = plan(a, rules([{ name: 'one', action: 'drop', paths: ['/h/one'] }]));
    expect(r.plan.rules[0]).toMatchObject({ files: 1, bytes: 0 });
    expect(r.plan.savedBytes).toBe(0);
    expect(r.plan.projectedFiles).toBe(r.plan.inputFiles - 1);
    expect(r.plan.notes.hardlinksRepointed).toBe(1);
  });
  test('dropping every name saves the bytes once', async () => {
    const a = await get();
    const r = plan(a, rules([{ name: 'two', action: 'drop', paths: ['/h/two'] }, { name: 'one', action: 'drop', paths: ['/h/one'] }]));
    // credited to the first rule in order among those dropping its names
    expect(r.plan.rules.map((x) => [x.files, x.bytes])).toEqual([[1, 500], [1, 0]]);
    expect(r.plan.savedBytes).toBe(500);
    expect(r.plan.notes.hardlinksRepointed).toBe(0);
  });
});

describe('symlinks left dangling', () => {
  test('a dropped target leaves a finding for each symlink that reached it, directly or through a symlinked dir', async () => {
    const a = await get();
    const r = plan(a, rules([{ name: 'data', action: 'drop', paths: ['/opt/app/data.bin'] }]));
    expect(r.plan.findings.map((f) => [f.kind, f.path, f.rule])).toEqual([
      ['symlink-dangling', '/lnk/to-data', 't/data'],
      ['symlink-dangling', '/lnk/via', 't/data'],
    ]);
    expect(r.plan.findings[0]!.message).toBe('symlink /lnk/to-data -> /opt/app/data.bin would dangle: /opt/app/data.bin is dropped by rule t/data');
    // the symlink that already dangled is counted, not blamed on the plan
    expect(r.plan.notes.symlinksDanglingBefore).toBe(1);
    expect(r.plan.findingCounts).toEqual({ 'symlink-dangling': 2 });
  });
  test('no finding when the symlink goes too', async () => {
    const a = await get();
    const r = plan(a, rules([{ name: 'data', action: 'drop', paths: ['/opt/app/data.bin', '/lnk/to-data', '/lnk/via'] }]));
    expect(r.plan.findings).toEqual([]);
  });
  test('a dropped directory on the way counts too', async () => {
    const a = await get();
    const r = plan(a, rules([{ name: 'x', action: 'drop', paths: ['/x'] }]));
    expect(r.plan.findings.map((f) => f.path)).toEqual(['/lnk/to-x']);
  });
});

describe('directories', () => {
  test('/x/* empties /x and keeps it; /x/** drops /x too', async () => {
    const a = await get();
    const star = plan(a, rules([{ name: 'x', action: 'drop', paths: ['/x/*'] }]));
    expect(droppedPaths(a, star)).toEqual(['/x/1', '/x/2']);
    expect(star.plan.notes).toMatchObject({ emptiedDirs: 1, droppedDirs: 0 });
    const globstar = plan(a, rules([{ name: 'x', action: 'drop', paths: ['/x/**'] }]));
    expect(droppedPaths(a, globstar)).toEqual(['/x', '/x/1', '/x/2']);
    expect(globstar.plan.notes).toMatchObject({ emptiedDirs: 0, droppedDirs: 1 });
  });
  test('a rule selecting a directory selects its subtree, whatever the predicates say about the files', async () => {
    const a = await get();
    const r = plan(a, rules([{ name: 'dirs', action: 'drop', paths: ['/opt/**'], type: 'dir' }]));
    expect(droppedPaths(a, r)).toEqual(['/opt', '/opt/app', '/opt/app/data.bin', '/opt/app/keep.cfg', '/opt/app/sub', '/opt/app/sub/x.a']);
  });
});

describe('predicates', () => {
  test('minSize only selects regular files of at least that size', async () => {
    const a = await get();
    const r = plan(a, rules([{ name: 'big', action: 'drop', paths: ['/**'], minSize: 500 }]));
    expect(droppedPaths(a, r)).toEqual(['/h/one', '/h/two', '/opt/app/data.bin']);
    expect(r.plan.savedBytes).toBe(1500);
  });
  test('type symlink', async () => {
    const a = await get();
    const r = plan(a, rules([{ name: 'links', action: 'drop', paths: ['/lnk/**'], type: 'symlink' }]));
    expect(droppedPaths(a, r)).toEqual(['/lnk/broken', '/lnk/dir', '/lnk/to-data', '/lnk/to-x', '/lnk/via']);
    expect(r.plan.notes.droppedSymlinks).toBe(5);
  });
  test('minSize as a size string', async () => {
    const a = await get();
    const r = plan(a, rules([{ name: 'big', action: 'drop', paths: ['/opt/**'], minSize: '0.3kB' }]));
    expect(droppedPaths(a, r)).toEqual(['/opt/app/data.bin', '/opt/app/sub/x.a']);
  });
});

test('rules that select nothing are reported as info warnings', async () => {
  const a = await get();
  const r = plan(a, rules([{ name: 'none', action: 'drop', paths: ['/nothing/here/**'] }]));
  expect(r.plan.warnings).toContainEqual({ severity: 'info', code: 'rule-unmatched', message: 'rule t/none selects nothing in this image' });
  expect(r.plan.savedBytes).toBe(0);
  expect(r.plan.projectedImageBytes).toBe(r.plan.inputImageBytes);
});

describe('edge cases', () => {
  test('an empty rule set drops nothing and still sizes the image', async () => {
    const a = await get();
    const r = plan(a, rules([]));
    expect(droppedPaths(a, r)).toEqual([]);
    expect(r.plan.projectedBytes).toBe(TOTAL);
    expect(r.plan.projectedImageBytes).toBe(r.plan.inputImageBytes);
  });
  test('a kept directory keeps its whole subtree, whatever drop rules select inside it', async () => {
    const a = await get();
    const r = plan(a, rules([{ name: 'bins', action: 'drop', paths: ['**/*.bin', '**/*.a'] }, { name: 'app', action: 'keep', paths: ['/opt/app'] }]));
    expect(droppedPaths(a, r)).toEqual([]);
    expect(r.plan.rules[1]).toMatchObject({ keptFiles: 2, keptBytes: 1300 });
  });
  test('paths deleted by a later layer are not there to select', async () => {
    const a = await analyzeLayers([LAYER, [{ type: 'whiteout', path: 'opt/app/data.bin' }]]);
    const r = plan(a, rules([{ name: 'opt', action: 'drop', paths: ['/opt/**'] }]));
    expect(r.plan.inputBytes).toBe(TOTAL - 1000);
    expect(r.plan.rules[0]).toMatchObject({ files: 2, bytes: 305 });
  });
});
