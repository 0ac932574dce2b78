/**
 * Owner budgets use the owner selectors of rule files; what they add is the aggregation. Checked on
 * the real owners of the NEW image of test/budget/ci-images.ts (the hand-written UPS tree db1,
 * see fixtures/owners/ups/db1.expected-owners.tsv, plus the added libraries).
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeImage, type Analysis } from '../../src/analysis/analyze.js';
import { ownerSelectorProblem, selectOwners } from '../../src/budget/owner-select.js';
import { G4_BUILD_ID, ROOT_BUILD_ID, writeCiImages, type CiImagePaths } from './ci-images.js';

let paths: CiImagePaths;
let a: Analysis;
beforeAll(async () => {
  paths = await writeCiImages();
  a = await analyzeImage(paths.new);
});
afterAll(() => fs.rmSync(paths.dir, { recursive: true, force: true }));

const ids = (sel: string) => selectOwners(a, sel).map((o) => o.id);

describe('owner budget selectors', () => {
  it('a product selector covers the product metadata, every version and every build, largest first', () => {
    expect(ids('ups:geant4')).toEqual([G4_BUILD_ID, 'ups:geant4/v4_10_4b', 'ups:geant4']);
  });

  it('a version selector covers that version and its builds', () => {
    expect(ids('ups:root/v6_12_06a').sort()).toEqual([ROOT_BUILD_ID, 'ups:root/v6_12_06a', 'ups:root/v6_12_06a/Linux64bit+3.10-2.17/e17:debug'].sort());
  });

  it('build selectors by flavor and qualifier set', () => {
    expect(ids('ups:root/*/*/debug')).toEqual(['ups:root/v6_12_06a/Linux64bit+3.10-2.17/e17:debug']);
    expect(ids('ups:*/*/*/=e17:prof')).toContain(G4_BUILD_ID);
    expect(ids('ups:*/*/*/=e17:prof')).not.toContain('ups:root/v6_12_06a/Linux64bit+3.10-2.17/e17:debug');
  });

  it('directory groups by glob, deleted ones included (at 0 bytes: their files are wasted bytes)', () => {
    expect(ids('dir:/opt/*')).toEqual(['dir:/opt/new', 'dir:/opt/calib', 'dir:/opt/data']);
    expect(selectOwners(a, 'dir:/opt/data')[0]!.bytes).toBe(0);
  });

  it('reports selectors a budget cannot use', () => {
    expect(ownerSelectorProblem('ups:geant4')).toBeNull();
    expect(ownerSelectorProblem('ups[unreferenced]:*')).toBeNull();
    expect(ownerSelectorProblem('!ups:geant4')).toBe('a budget cannot use a negated selector');
    expect(ownerSelectorProblem('npm:left-pad')).toMatch(/^unknown owner kind "npm"/);
    expect(ownerSelectorProblem('ups[fresh]:x')).toMatch(/^unknown tag "fresh"/);
  });
});
