/** `whittle diff OLD NEW` as a child process on the OLD/NEW pair of test/budget/ci-images.ts. */
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECT, G4_BUILD, G4_BUILD_ID, ROOT_BUILD, writeCiImages, type CiImagePaths } from '../budget/ci-images.js';
import { REPO, runCli } from '../helpers/cli.js';

let img: CiImagePaths;
beforeAll(async () => {
  img = await writeCiImages();
});
afterAll(() => fs.rmSync(img.dir, { recursive: true, force: true }));

describe('whittle diff', () => {
  it('--json follows docs/diff.schema.json and carries the changes by construction', () => {
    const r = runCli(['diff', img.old, img.new, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const ajv = new Ajv2020.default({ allErrors: true, strict: true });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(REPO, 'docs/diff.schema.json'), 'utf8')));
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.totals.layerBytes).toEqual({ old: EXPECT.old.layerBytes, new: EXPECT.new.layerBytes, delta: 660_000 });
    expect(doc.layers).toMatchObject({ shared: 3, added: 1, removed: 0 });
    expect(doc.owners.entries[0]).toEqual({ id: G4_BUILD_ID, kind: 'ups', status: 'grown', oldBytes: doc.owners.entries[0].oldBytes, newBytes: doc.owners.entries[0].oldBytes + 400_000, delta: 400_000, oldFiles: doc.owners.entries[0].oldFiles, newFiles: doc.owners.entries[0].oldFiles + 1 });
    expect(doc.directories.entries.slice(0, 2).map((e: { path: string; delta: number }) => [e.path, e.delta])).toEqual([
      ['/products', 450_000],
      ['/products/geant4', 400_000],
    ]);
    expect(doc.files.entries.map((e: { path: string; status: string; delta: number }) => [e.status, e.path, e.delta])).toEqual([
      ['added', `/${G4_BUILD}/share/G4EMLOW.dat`, 400_000],
      ['changed', `/${ROOT_BUILD}/lib/libRIO.so`, 50_000],
      ['added', '/opt/new/tool', 10_000],
    ]);
    expect(doc.top).toBe(20);
  });

  it('prints a readable text diff', () => {
    const r = runCli(['diff', img.old, img.new]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`whittle diff  whittle/ci:old (${img.old})  →  whittle/ci:new (${img.new})`);
    expect(r.stdout).toMatch(/^\s+size \(Σ layers\)\s+583 kB\s+→\s+1\.24 MB\s+\+660 kB$/m);
    expect(r.stdout).toMatch(/^Layers {2}3 shared, 1 added, 0 removed$/m);
    expect(r.stdout).toMatch(/^\s+\+\s+#3\s+660 kB\s+\+660 kB\s+sha256:[0-9a-f]{12}\s+RUN \/bin\/sh -c add-g4-data/m);
    expect(r.stdout).toMatch(/^Owners {2}1 added \+10 kB, 2 grown \+450 kB, \d+ unchanged$/m);
    expect(r.stdout).toMatch(/^\s+~\s+\+50 kB\s+200 kB → 250 kB\s+\/products\/root\/v6_12_06a\/.*\/libRIO\.so$/m);
  });

  it('--markdown, --top, --depth and --no-files', () => {
    const md = runCli(['diff', img.old, img.new, '--markdown', '--top', '1', '--depth', '1', '--no-files']);
    expect(md.code, md.stderr).toBe(0);
    const lines = md.stdout.split('\n');
    expect(lines[0]).toBe('### whittle diff: +660 kB (583 kB → 1.24 MB)');
    expect(lines).toContain('| Size (Σ layers) | 583 kB | 1.24 MB | +660 kB |');
    expect(lines).toContain(`| ↑ | +400 kB | 300 kB → 700 kB | \`${G4_BUILD_ID}\` |`);
    expect(lines).toContain('#### Directories (depth ≤ 1)');
    expect(lines).toContain('| ↑ | +450 kB | 530 kB → 980 kB | `/products` |');
    expect(md.stdout).not.toContain('#### Files');
    const json = JSON.parse(runCli(['diff', img.old, img.new, '--json', '--no-files', '--top', '0']).stdout);
    expect(json.files).toBeNull();
    expect(json.top).toBe(0);
    expect(json.owners.omitted).toBe(0);
  });

  it('exits 3 for an unreadable image and 2 for usage errors', () => {
    const junk = path.join(img.dir, 'junk.tar');
    fs.writeFileSync(junk, 'not an image');
    const bad = runCli(['diff', img.old, junk]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/^whittle: new image .*junk\.tar: /);
    expect(runCli(['diff', '-', '-']).code).toBe(2);
    expect(runCli(['diff', img.old]).code).toBe(2);
    expect(runCli(['diff', img.old, img.new, '--json', '--markdown']).code).toBe(2);
  });
});
