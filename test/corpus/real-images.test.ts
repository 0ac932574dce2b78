/**
 * whittle's numbers against the facts ../shared/corpus/build-real-images.sh computed with GNU tar,
 * find/du, umoci and dpkg-query on real Debian images, for every archive format of the same image.
 * Run: WHITTLE_CORPUS=<outdir> npm run test:corpus (the outdir holds real/images and real/expected).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeImage } from '../../src/analysis/analyze.js';

const root = process.env.WHITTLE_CORPUS ?? '/work/corpus';
const real = path.join(root, 'real');
const have = fs.existsSync(path.join(real, 'expected', 'debian-ups-demo.layers.json'));

interface ExpectedLayer {
  index: number;
  diff_id: string;
  created_by: string;
  tar_tv: { entries: number; regular: number; dirs: number; symlinks: number; hardlinks: number; fifos: number; regular_bytes: number };
  extracted: { whiteouts: number; opaque_dirs: number };
  wasted_by_later_layers: { overwritten_bytes: number; overwritten_files: number; deleted_bytes: number; deleted_files: number };
}

function expected(name: string) {
  const layers = JSON.parse(fs.readFileSync(path.join(real, 'expected', `${name}.layers.json`), 'utf8')).layers as ExpectedLayer[];
  const final = JSON.parse(fs.readFileSync(path.join(real, 'expected', `${name}.final.json`), 'utf8'));
  return { layers, final };
}

const demoFormats: [string, string | undefined][] = [
  ['docker-archive.tar', undefined],
  ['docker-archive-buildah.tar', undefined],
  ['docker-archive-from-gzip.tar', undefined],
  ['docker-archive.tar.gz', undefined],
  ['docker-archive.tar.zst', undefined],
  ['docker-save-legacy.tar', undefined],
  ['docker-save-25.tar', undefined],
  ['oci-archive-skopeo.tar', undefined],
  ['oci-archive-gzip-skopeo.tar', undefined],
  ['oci-gzip', undefined],
  ['oci-uncompressed', undefined],
  ['oci-zstd', undefined],
  ['oci-gzip.tar', undefined],
  ['oci-uncompressed.tar', undefined],
  ['oci-zstd.tar', undefined],
  ['quirk-oci-uncompressed-blobs-labelled-gzip', undefined],
];
const umociFormats: [string, string | undefined][] = [
  ['umoci-docker-archive.tar', undefined],
  ['umoci-oci', 'latest'],
  ['umoci-oci-uncompressed', 'latest'],
];

describe.skipIf(!have)('real corpus images', () => {
  for (const [image, formats] of [['debian-ups-demo', demoFormats], ['umoci-demo', umociFormats]] as const) {
    describe(image, () => {
      const exp = have ? expected(image) : null;
      for (const [file, tag] of formats) {
        it(`${file}: layers, merged tree and waste equal the corpus facts`, async () => {
          const a = await analyzeImage(path.join(real, 'images', file), tag ? { image: tag } : {});
          const e = exp!;
          expect(a.layers.map((l) => l.digest)).toEqual(e.layers.map((l) => l.diff_id));
          expect(a.layers.map((l) => l.command)).toEqual(e.layers.map((l) => l.created_by));
          for (const [i, l] of a.layers.entries()) {
            const x = e.layers[i]!;
            expect({ i, size: l.size, entries: l.entries }).toEqual({ i, size: x.tar_tv.regular_bytes, entries: x.tar_tv.entries });
            expect({ i, files: l.counts.files + l.counts.whiteouts + l.counts.opaques, dirs: l.counts.dirs, symlinks: l.counts.symlinks, hardlinks: l.counts.hardlinks, fifos: l.counts.fifos })
              .toEqual({ i, files: x.tar_tv.regular, dirs: x.tar_tv.dirs, symlinks: x.tar_tv.symlinks, hardlinks: x.tar_tv.hardlinks, fifos: x.tar_tv.fifos });
            expect({ i, whiteouts: l.counts.whiteouts, opaques: l.counts.opaques }).toEqual({ i, whiteouts: x.extracted.whiteouts, opaques: x.extracted.opaque_dirs });
            const w = x.wasted_by_later_layers;
            expect({ i, ...l.waste }).toEqual({ i, overwrittenBytes: w.overwritten_bytes, overwrittenFiles: w.overwritten_files, deletedBytes: w.deleted_bytes, deletedFiles: w.deleted_files });
          }
          const f = e.final.final;
          expect(a.totals.mergedBytes).toBe(f.regular_bytes_unique_inodes);
          expect(a.totals.mergedFiles).toBe(f.regular_file_paths);
          expect(a.totals.mergedDirs).toBe(f.dirs);
          expect(a.totals.mergedSymlinks).toBe(f.symlinks);
          expect(a.totals.wastedBytes).toBe(e.final.consistency.wasted_bytes_total);
          const largest = a.tree.largestFiles(5).map((x) => ({ bytes: x.size, path: `/${a.tree.pathOf(x.node)}` }));
          // find lists every hard-link name; whittle lists each inode once: ours must be a subsequence.
          const theirs = e.final.largest_files as { bytes: number; path: string }[];
          let j = 0;
          for (const x of largest) {
            while (j < theirs.length && (theirs[j]!.path !== x.path || theirs[j]!.bytes !== x.bytes)) j++;
            expect(j, `${x.path} (${x.bytes}) among find's largest files in order`).toBeLessThan(theirs.length);
          }
        });
      }
    });
  }
});

describe.skipIf(!have)('dpkg owners on the real Debian image', () => {
  it('bytes, files, versions and Installed-Size per package equal dpkg-query and du of info/*.list', async () => {
    const a = await analyzeImage(path.join(real, 'images', 'docker-archive.tar'));
    const exp = JSON.parse(fs.readFileSync(path.join(real, 'expected', 'debian-ups-demo.packages.json'), 'utf8')) as {
      packages: { name: string; version: string; installed_size_kib: number; present_regular_files: number; present_regular_bytes: number }[];
    };
    const byId = new Map(a.owners!.owners.map((o) => [o.id, o]));
    expect(a.owners!.owners.filter((o) => o.kind === 'dpkg')).toHaveLength(exp.packages.length);
    for (const p of exp.packages) {
      const o = byId.get(`dpkg:${p.name}`)!;
      expect({ name: p.name, version: o.version, declared: o.declaredBytes, files: o.files }).toEqual({ name: p.name, version: p.version, declared: p.installed_size_kib * 1024, files: p.present_regular_files });
      // The corpus sums every hard-link name; whittle counts each inode once (bzip2, gzip ship
      // hard-linked binaries), so those two can only be smaller.
      if (p.name === 'bzip2' || p.name === 'gzip') expect(o.bytes).toBeLessThan(p.present_regular_bytes);
      else expect({ name: p.name, bytes: o.bytes }).toEqual({ name: p.name, bytes: p.present_regular_bytes });
    }
    const sum = a.owners!.owners.reduce((s, o) => s + o.bytes, 0);
    expect(sum).toBe(a.totals.mergedBytes);
  });
});
