import { describe, expect, it } from 'vitest';
import type { ElfInfo } from '../../src/elf/index.js';
import { STRIP_MAX_BYTES, stripOutcome, stripsInPlace } from '../../src/prune/strip-policy.js';

const GB2 = 2 * 1024 ** 3;
const info = (strip: Partial<NonNullable<ElfInfo['strip']>> | null): ElfInfo =>
  ({ strip: strip === null ? null : { debugBytes: 100, debugSections: 3, strippedSize: GB2 - 100, problem: null, ...strip } }) as unknown as ElfInfo;

describe('what a strip rule strips (the planner and the writer agree through this)', () => {
  it('strips a file of any size from an uncompressed layer: the writer copies ranges of it', () => {
    expect(stripsInPlace('none')).toBe(true);
    expect(stripOutcome(info({}), GB2, stripsInPlace('none'))).toEqual({ size: GB2 - 100 });
  });
  it('leaves a file over the limit in a compressed layer as it is, and says why', () => {
    for (const c of ['gzip', 'zstd']) {
      expect(stripsInPlace(c)).toBe(false);
      const o = stripOutcome(info({}), GB2, stripsInPlace(c));
      expect(o).toEqual({ problem: 'larger than 1 GiB in a compressed layer: the writer copies it as it is' });
    }
    expect(stripOutcome(info({ strippedSize: STRIP_MAX_BYTES - 100 }), STRIP_MAX_BYTES, false)).toEqual({ size: STRIP_MAX_BYTES - 100 });
  });
  it('nothing to strip, a reason not to, or headers never read', () => {
    expect(stripOutcome(undefined, 10, true)).toBeNull();
    expect(stripOutcome(info({ debugSections: 0 }), 10, true)).toBeNull();
    expect(stripOutcome(info({ strippedSize: 10 }), 10, true)).toBeNull();
    expect(stripOutcome(info({ problem: 'appended data' }), 10, true)).toEqual({ problem: 'appended data' });
    expect(stripOutcome(info(null), 10, true)).toEqual({ problem: 'its section headers were not read' });
  });
});
