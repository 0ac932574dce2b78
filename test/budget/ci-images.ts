/**
 * OLD/NEW image pair for the check and diff tests, built with fixtures/images so every expected
 * figure is known by construction:
 *
 *  - layer 0: the hand-written UPS tree fixtures/owners/ups/db1 (real UPS metadata shapes), as is;
 *  - layer 1: a 300,000-byte geant4 library, a 200,000-byte ROOT library, a 50,000-byte cache file;
 *  - layer 2: deletes the cache file (50,000 wasted bytes).
 * NEW = OLD's three layers byte for byte (same digests) plus
 *  - layer 3: a 400,000-byte geant4 data file, the ROOT library rewritten at 250,000 bytes
 *    (200,000 more wasted), and a 10,000-byte /opt/new/tool.
 * OLD is written as Docker ≤ 24 `docker save`, NEW as Docker ≥ 25 (OCI layout): shared layers must
 * still match by digest across formats.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withParentDirs, type EntrySpec } from '../../fixtures/images/layer.js';
import { writeArchive, type FormatName } from '../../fixtures/images/write-image.js';
import { saveWritten } from '../../fixtures/images/index.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DB1 = path.join(REPO, 'fixtures/owners/ups/db1');

export const G4_BUILD = 'products/geant4/v4_10_4b/Linux64bit+3.10-2.17-e17-prof';
export const ROOT_BUILD = 'products/root/v6_12_06a/Linux64bit+3.10-2.17-e17-prof';
export const G4_BUILD_ID = 'ups:geant4/v4_10_4b/Linux64bit+3.10-2.17/e17:prof';
export const ROOT_BUILD_ID = 'ups:root/v6_12_06a/Linux64bit+3.10-2.17/e17:prof';

/** Every file and directory of db1, parents first, in name order. */
export function db1Entries(): EntrySpec[] {
  const out: EntrySpec[] = [];
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(DB1, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = fs.lstatSync(path.join(DB1, r));
      if (st.isDirectory()) {
        out.push({ type: 'dir', path: r });
        walk(r);
      } else if (st.isFile()) out.push({ type: 'file', path: r, content: fs.readFileSync(path.join(DB1, r)) });
    }
  };
  walk('');
  return out;
}

/** Σ sizes of db1's files under a relative directory ('' = all), read from disk. */
export function db1Bytes(under = ''): number {
  let total = 0;
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(DB1, rel))) {
      const r = rel ? `${rel}/${name}` : name;
      const st = fs.lstatSync(path.join(DB1, r));
      if (st.isDirectory()) walk(r);
      else if (st.isFile()) total += st.size;
    }
  };
  walk(under);
  return total;
}

export const OLD_LAYERS: EntrySpec[][] = [
  db1Entries(),
  withParentDirs([
    { type: 'file', path: `${G4_BUILD}/lib64/libG4big.so`, content: { size: 300_000, seed: 1 } },
    { type: 'file', path: `${ROOT_BUILD}/lib/libRIO.so`, content: { size: 200_000, seed: 2 } },
    { type: 'file', path: 'opt/data/cache.bin', content: { size: 50_000, seed: 3 } },
  ]),
  [{ type: 'whiteout', path: 'opt/data/cache.bin' }],
];

export const NEW_LAYERS: EntrySpec[][] = [
  ...OLD_LAYERS,
  withParentDirs([
    { type: 'file', path: `${G4_BUILD}/share/G4EMLOW.dat`, content: { size: 400_000, seed: 4 } },
    { type: 'file', path: `${ROOT_BUILD}/lib/libRIO.so`, content: { size: 250_000, seed: 5 } },
    { type: 'file', path: 'opt/new/tool', content: { size: 10_000, seed: 6 } },
  ]),
];

const COMMANDS = ['ADD db1 / # buildkit', 'RUN /bin/sh -c install-geant4-root # buildkit', 'RUN /bin/sh -c rm /opt/data/cache.bin # buildkit', 'RUN /bin/sh -c add-g4-data # buildkit'];

export interface CiImagePaths {
  dir: string;
  old: string;
  new: string;
}

async function write(layers: EntrySpec[][], tag: string, format: FormatName, file: string): Promise<void> {
  const w = writeArchive(
    {
      images: [
        {
          repoTag: tag,
          layers: layers.map((entries) => ({ entries })),
          config: { history: layers.map((_, i) => ({ createdBy: COMMANDS[i]! })) },
        },
      ],
    },
    format,
  );
  await saveWritten(file, w);
}

/** Writes OLD (docker-legacy) and NEW (docker-25) into a fresh temporary directory. */
export async function writeCiImages(): Promise<CiImagePaths> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whittle-ci-'));
  const paths = { dir, old: path.join(dir, 'old.tar'), new: path.join(dir, 'new.tar') };
  await write(OLD_LAYERS, 'whittle/ci:old', 'docker-legacy', paths.old);
  await write(NEW_LAYERS, 'whittle/ci:new', 'docker-25', paths.new);
  return paths;
}

/** Expected figures, from the specs alone. */
export const EXPECT = (() => {
  const base = db1Bytes();
  const old = { layerBytes: base + 550_000, mergedBytes: base + 500_000, wastedBytes: 50_000 };
  const nu = { layerBytes: base + 1_210_000, mergedBytes: base + 960_000, wastedBytes: 250_000 };
  return {
    base,
    old,
    new: nu,
    g4Old: db1Bytes('products/geant4') + 300_000,
    g4New: db1Bytes('products/geant4') + 700_000,
    rootOld: db1Bytes('products/root') + 200_000,
    rootNew: db1Bytes('products/root') + 250_000,
    layer3: 660_000,
  };
})();
