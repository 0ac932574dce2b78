/**
 * The diff of the OLD/NEW pair of test/budget/ci-images.ts: every expected change is known from how
 * the images were built (NEW = OLD's three layers + one layer adding 400,000 + 10,000 bytes and
 * rewriting a 200,000-byte library at 250,000).
 */
import fs from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeImage, type Analysis } from '../../src/analysis/analyze.js';
import { diffFiles, diffSnapshots } from '../../src/diff/compare.js';
import { comparePaths, filePath, snapshotOf } from '../../src/diff/snapshot.js';
import type { FileList, ImageDiff, ImageSnapshot } from '../../src/diff/types.js';
import { EXPECT, G4_BUILD, G4_BUILD_ID, ROOT_BUILD, ROOT_BUILD_ID, db1Bytes, writeCiImages, type CiImagePaths } from '../budget/ci-images.js';

let paths: CiImagePaths;
let oldA: Analysis;
let newA: Analysis;
let oldS: ImageSnapshot;
let newS: ImageSnapshot;
let d: ImageDiff;

beforeAll(async () => {
  paths = await writeCiImages();
  oldA = await analyzeImage(paths.old);
  newA = await analyzeImage(paths.new);
  oldS = snapshotOf(oldA);
  newS = snapshotOf(newA);
  d = diffSnapshots(oldS, newS, { top: 0 });
});
afterAll(() => fs.rmSync(paths.dir, { recursive: true, force: true }));

describe('diffSnapshots', () => {
  it('totals', () => {
    expect(d.totals.layerBytes).toEqual({ old: EXPECT.old.layerBytes, new: EXPECT.new.layerBytes, delta: 660_000 });
    expect(d.totals.mergedBytes).toEqual({ old: EXPECT.old.mergedBytes, new: EXPECT.new.mergedBytes, delta: 460_000 });
    expect(d.totals.layers).toEqual({ old: 3, new: 4, delta: 1 });
    expect(d.totals.mergedFiles.delta).toBe(2);
    expect(d.old.tags).toEqual(['whittle/ci:old']);
    expect(d.new.tags).toEqual(['whittle/ci:new']);
  });

  it('layers: shared base layers match by digest across archive formats', () => {
    expect(d.layers.shared).toBe(3);
    expect(d.layers.added).toBe(1);
    expect(d.layers.removed).toBe(0);
    expect(d.layers.entries.map((e) => [e.status, e.oldIndex, e.newIndex, e.size, e.delta])).toEqual([
      ['added', null, 3, 660_000, 660_000],
      ['unchanged', 0, 0, EXPECT.base, 0],
      ['unchanged', 1, 1, 550_000, 0],
      ['unchanged', 2, 2, 0, 0],
    ]);
    expect(d.layers.entries[0]!.digest).toBe(newA.layers[3]!.digest);
    expect(d.layers.entries[0]!.command).toBe('RUN /bin/sh -c add-g4-data # buildkit');
  });

  it('owners: grown and added, largest change first', () => {
    expect(d.owners!.entries.map((e) => [e.status, e.id, e.delta, e.newBytes - e.oldBytes, e.newFiles - e.oldFiles])).toEqual([
      ['grown', G4_BUILD_ID, 400_000, 400_000, 1],
      ['grown', ROOT_BUILD_ID, 50_000, 50_000, 0],
      ['added', 'dir:/opt/new', 10_000, 10_000, 1],
    ]);
    expect(d.owners!.summary).toEqual({
      added: { count: 1, bytes: 10_000 },
      removed: { count: 0, bytes: 0 },
      grown: { count: 2, bytes: 450_000 },
      shrunk: { count: 0, bytes: 0 },
      unchanged: oldA.owners!.owners.length - 2,
    });
  });

  it('directories to depth 3', () => {
    expect(d.directories.depth).toBe(3);
    expect(d.directories.entries.map((e) => [e.status, e.path, e.delta])).toEqual([
      ['grown', '/products', 450_000],
      ['grown', '/products/geant4', 400_000],
      ['grown', '/products/geant4/v4_10_4b', 400_000],
      ['grown', '/products/root', 50_000],
      ['grown', '/products/root/v6_12_06a', 50_000],
      ['grown', '/opt', 10_000], // ties by path
      ['added', '/opt/new', 10_000],
    ]);
    const opt = d.directories.entries.find((e) => e.path === '/opt')!;
    expect([opt.oldBytes, opt.newBytes]).toEqual([db1Bytes('opt'), db1Bytes('opt') + 10_000]);
    expect(d.directories.summary).toEqual({ added: 1, removed: 0, grown: 6, shrunk: 0, unchanged: d.directories.summary.unchanged });
  });

  it('files: added, and size changes', () => {
    expect(d.files!.entries).toEqual([
      { path: `/${G4_BUILD}/share/G4EMLOW.dat`, status: 'added', oldSize: null, newSize: 400_000, delta: 400_000 },
      { path: `/${ROOT_BUILD}/lib/libRIO.so`, status: 'changed', oldSize: 200_000, newSize: 250_000, delta: 50_000 },
      { path: '/opt/new/tool', status: 'added', oldSize: null, newSize: 10_000, delta: 10_000 },
    ]);
    expect(d.files!.summary.added).toEqual({ count: 2, bytes: 410_000 });
    expect(d.files!.summary.grown).toEqual({ count: 1, bytes: 50_000 });
    expect(d.files!.summary.unchanged).toBe(oldA.totals.mergedFiles - 1);
  });

  it('the reverse diff mirrors it', () => {
    const r = diffSnapshots(newS, oldS, { top: 0 });
    expect(r.layers.entries[0]).toMatchObject({ status: 'removed', oldIndex: 3, newIndex: null, delta: -660_000 });
    expect(r.owners!.entries.map((e) => [e.status, e.id, e.delta])).toEqual([
      ['shrunk', G4_BUILD_ID, -400_000],
      ['shrunk', ROOT_BUILD_ID, -50_000],
      ['removed', 'dir:/opt/new', -10_000],
    ]);
    expect(r.files!.summary.removed).toEqual({ count: 2, bytes: -410_000 });
  });

  it('--top cuts every list but keeps the summaries whole', () => {
    const t = diffSnapshots(oldS, newS, { top: 1 });
    expect(t.owners!.entries.map((e) => e.id)).toEqual([G4_BUILD_ID]);
    expect(t.owners!.omitted).toBe(2);
    expect(t.files!.entries.map((e) => e.delta)).toEqual([400_000]);
    expect(t.files!.omitted).toBe(2);
    expect(t.files!.summary).toEqual(d.files!.summary);
    expect(t.layers.entries).toHaveLength(4);
  });

  it('packs files in comparePaths order', () => {
    const f = newS.files!;
    for (let i = 1; i < f.count; i++) expect(comparePaths(filePath(f, i - 1), filePath(f, i))).toBeLessThan(0);
    expect(f.count).toBe(newA.totals.mergedFiles);
  });
});

/** Segment-wise order, the definition comparePaths must agree with. */
function bySegments(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return x.length - y.length;
}

function fileList(entries: [string, number][]): FileList {
  const sorted = [...entries].sort((a, b) => comparePaths(a[0], b[0]));
  const starts: number[] = [];
  let off = 0;
  for (const [p] of sorted) {
    starts.push(off);
    off += p.length + 1;
  }
  starts.push(off);
  return { text: sorted.map((e) => e[0]).join('\u0000'), starts: Uint32Array.from(starts), sizes: Float64Array.from(sorted.map((e) => e[1])), count: sorted.length };
}

describe('comparePaths and diffFiles', () => {
  const seg = fc.stringMatching(/^[a-c.\-_]{1,3}$/);
  const pathArb = fc.array(seg, { minLength: 1, maxLength: 4 }).map((s) => `/${s.join('/')}`);

  it('comparePaths orders component by component', () => {
    fc.assert(fc.property(pathArb, pathArb, (a, b) => Math.sign(comparePaths(a, b)) === Math.sign(bySegments(a, b))));
  });

  it('diffFiles with a top cut keeps exactly the largest changes of the full diff', () => {
    const listArb = fc.uniqueArray(fc.tuple(pathArb, fc.integer({ min: 0, max: 50 })), { selector: (t) => t[0], maxLength: 30 });
    fc.assert(
      fc.property(listArb, listArb, fc.integer({ min: 1, max: 5 }), (a, b, top) => {
        const full = diffFiles(fileList(a), fileList(b), 0);
        const cut = diffFiles(fileList(a), fileList(b), top);
        const oldMap = new Map(a);
        const newMap = new Map(b);
        // independent count of changes
        let changes = 0;
        for (const [p, s] of a) if (!newMap.has(p) || newMap.get(p) !== s) changes++;
        for (const [p] of b) if (!oldMap.has(p)) changes++;
        return full.entries.length === changes && JSON.stringify(cut.entries) === JSON.stringify(full.entries.slice(0, top)) && cut.omitted === Math.max(0, changes - top);
      }),
    );
  });
});
