import { describe, expect, test } from 'vitest';
import { isUpsMetadataPath } from '../../../src/owners/ups/metadata-path.js';
import { walkTree } from './helpers.js';

describe('isUpsMetadataPath', () => {
  test('keeps every kind of UPS metadata file', () => {
    for (const p of [
      'products/.upsfiles/dbconfig',
      '.upsfiles/dbconfig',
      'products/pugixml/v1_11.version/Linux64bit+3.10-2.17_e19',
      'products/ups/v6_0_8.version/Linux64bit+3.10-2.17_',
      'products/g4emlow/v7_3.version/NULL',
      'products/cry/v1_7k.version',
      'products/ups/current.chain/Linux64bit+3.10-2.17_',
      'products/cry/current.chain',
      'products/uhal/v2_8_1/ups/uhal.table',
      'products/afs/v1_0.table',
      'cvmfs/mu2e.opensciencegrid.org/artexternals/BTrk/v1_02_12.version/Linux64bit+3.10-2.17_e17_prof',
    ]) {
      expect(isUpsMetadataPath(p), p).toBe(true);
    }
  });

  test('skips ordinary files', () => {
    for (const p of [
      'products/root/v6_12_06a/Linux64bit+3.10-2.17-e17-prof/lib/libCore.so',
      'products/.upsfiles',
      'products/.upsfiles/dbconfig.bak',
      'usr/lib64/libc.so.6',
      'etc/os-release',
      'products/art/v2_11_01/include/art/Framework/Core/EDProducer.h',
      'products/setups',
    ]) {
      expect(isUpsMetadataPath(p), p).toBe(false);
    }
  });

  test('keeps every metadata file of the db1 fixture tree', () => {
    const files = walkTree('db1').filter((n) => !n.isDir);
    const kept = files.filter((n) => isUpsMetadataPath(n.path)).map((n) => n.path);
    // every .version/.chain/.table/dbconfig file, plus the three non-UPS look-alikes
    expect(kept).toContain('products/cry/v1_7k.version');
    expect(kept).toContain('products/afs/v1_0.table');
    expect(kept).toContain('usr/share/misc/tool.version');
    expect(kept.filter((p) => p.includes('.version/')).length).toBe(25);
    expect(kept.some((p) => p.endsWith('.so'))).toBe(false);
  });
});
