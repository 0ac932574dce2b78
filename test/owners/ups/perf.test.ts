import { expect, test } from 'vitest';
import { isUpsMetadataPath } from '../../../src/owners/ups/metadata-path.js';
import { buildUpsModel } from '../../../src/owners/ups/model.js';
import { loadTree } from './helpers.js';

// ownerOf and isUpsMetadataPath run once per node / entry of images with a million files; with the
// db1 model loaded they must stay a handful of Map lookups for paths outside any UPS database.
test('ownerOf and isUpsMetadataPath handle 1,000,000 non-UPS paths', () => {
  const tree = loadTree('db1');
  const { model } = buildUpsModel(tree.files, tree.dirExists);
  const tops = ['usr/lib64', 'usr/share/doc', 'opt/data', 'mu2e/Offline/v10_01_00/SLF7/prof/Offline', 'var/lib/rpm'];
  const paths: string[] = [];
  for (let i = 0; i < 1_000_000; i++) {
    const top = tops[i % tops.length];
    paths.push(i % 10 === 0 ? `${top}/d${i >> 4}` : `${top}/d${i >> 4}/file${i}.so`);
  }
  let owned = 0;
  let kept = 0;
  const start = performance.now();
  for (let i = 0; i < paths.length; i++) {
    if (model.ownerOf(paths[i], i % 10 === 0) !== undefined) owned++;
    if (isUpsMetadataPath(paths[i])) kept++;
  }
  const ms = performance.now() - start;
  expect(owned).toBe(0);
  expect(kept).toBe(0);
  // generous bound (a loaded CI machine); locally this takes ~100 ms
  expect(ms).toBeLessThan(5_000);
});
