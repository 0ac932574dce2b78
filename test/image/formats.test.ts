/**
 * Every fixture case in every format it is written in: whittle's layers, merged tree, waste and
 * dive figures equal the values worked out by hand in fixtures/images/catalog.ts (which GNU tar,
 * skopeo and umoci confirm in test/fixtures/images.test.ts); bad inputs fail with exit code 3 and
 * a one-line message of the expected kind.
 */
import { describe, expect, it } from 'vitest';
import { analyzeImage, type Analysis } from '../../src/analysis/analyze.js';
import { InputError } from '../../src/errors.js';
import { Kind } from '../../src/tree/layer-index.js';
import { CASES, expectedFor, fixturePath, type ErrorKind, type ExpectedImage, type FinalEntry } from '../../fixtures/images/index.js';

const TYPE_NAMES: Record<number, FinalEntry['type']> = {
  [Kind.File]: 'file',
  [Kind.Dir]: 'dir',
  [Kind.Symlink]: 'symlink',
  [Kind.Fifo]: 'fifo',
  [Kind.Char]: 'char',
  [Kind.Block]: 'block',
};

/** The merged tree as the catalog writes it: every present path, sorted. */
function finalTree(a: Analysis): FinalEntry[] {
  const out: FinalEntry[] = [];
  const t = a.tree;
  for (let node = 1; node < t.nodeCount; node++) {
    if (!t.isPresent(node)) continue;
    const k = t.kindOf(node) as number;
    const e: FinalEntry = { path: t.pathOf(node), type: TYPE_NAMES[k] ?? ('other' as FinalEntry['type']) };
    if (k === Kind.File) {
      e.size = t.sizeOf(node);
      if (t.linkCount(node) > 1) e.nlink = t.linkCount(node);
    }
    if (k === Kind.Symlink) e.target = t.symlinkTarget(node)!;
    out.push(e);
  }
  return out.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}

function checkImage(a: Analysis, e: ExpectedImage, format: string): void {
  // A compressed bare layer tar is one compressed blob: whittle reports that as the layer's
  // compression (the catalog files it under the wrapper).
  const bareWrapper = /^layer-tar\+(gzip|zstd)$/.exec(format)?.[1];
  expect(a.layers).toHaveLength(e.layers.length);
  e.layers.forEach((x, i) => {
    const l = a.layers[i]!;
    const c = l.counts;
    expect({
      layer: i,
      command: l.command,
      compression: l.compression,
      size: l.size,
      entries: l.entries,
      byType: {
        file: c.files + c.whiteouts + c.opaques,
        dir: c.dirs,
        symlink: c.symlinks,
        hardlink: c.hardlinks,
        devices: c.devices,
        fifo: c.fifos,
      },
      whiteouts: c.whiteouts,
      opaques: c.opaques,
      wasted: { overwritten: l.waste.overwrittenBytes, deleted: l.waste.deletedBytes },
      diveSize: l.diveSize,
    }).toEqual({
      layer: i,
      command: x.createdBy,
      compression: bareWrapper ?? x.compression,
      size: x.size,
      entries: x.entries,
      byType: {
        file: x.byType.file,
        dir: x.byType.dir,
        symlink: x.byType.symlink,
        hardlink: x.byType.hardlink,
        devices: x.byType.char + x.byType.block,
        fifo: x.byType.fifo,
      },
      whiteouts: x.whiteouts,
      opaques: x.opaques,
      wasted: x.wasted,
      diveSize: e.dive.layerSizes[i],
    });
  });
  expect(a.totals.mergedBytes).toBe(e.mergedBytes);
  expect(a.totals.mergedFiles).toBe(e.mergedFiles);
  expect(a.totals.layerBytes - a.totals.wastedBytes).toBe(a.totals.mergedBytes);
  expect(finalTree(a)).toEqual(e.final);
  expect(a.dive.wastedBytes).toBe(e.dive.wastedBytes);
  expect(a.dive.userSizeBytes).toBe(e.dive.userSize);
  expect(a.dive.efficiency).toBeCloseTo(e.dive.cumulativeSum === 0 ? 1 : e.dive.minSum / e.dive.cumulativeSum, 12);
  if (e.platform) expect(a.image.platform).toBe(e.platform);
  if (e.config?.env) expect(a.image.config?.env).toEqual(e.config.env);
}

const ERROR_PATTERNS: Record<ErrorKind, RegExp> = {
  'not-an-image': /not an image|is empty|JSON document|no manifest\.json|not a tar/,
  truncated: /truncated|unexpected end of data/,
  'corrupt-compression': /(gzip|zstd) data (is corrupt|is truncated)/,
  'missing-blob': /missing/,
  'digest-mismatch': /does not match/,
  'invalid-json': /not valid JSON/,
};

describe('fixture catalog: every case, every format', () => {
  for (const c of CASES) {
    for (const format of c.formats) {
      const exp = expectedFor(c, format);
      it(`${c.name} as ${format}`, async () => {
        const input = await fixturePath(c.name, format);
        if (exp.kind === 'image') {
          // Both readers: seeking over contents (the default for files) and streaming every byte
          // with digest checks (--verify, and always for stdin).
          checkImage(await analyzeImage(input), exp.image, format);
          const verified = await analyzeImage(input, { verify: true });
          checkImage(verified, exp.image, format);
          expect(verified.image.verified).toBe(!format.startsWith('layer-tar')); // a bare layer declares no digest
        } else if (exp.kind === 'multi') {
          for (const m of exp.images) {
            checkImage(await analyzeImage(input, m.select), m.image, format);
            checkImage(await analyzeImage(input, { ...m.select, verify: true }), m.image, format);
          }
        } else {
          // Digests can only be checked by reading every byte: --verify.
          const verify = exp.error === 'digest-mismatch';
          if (verify) expect((await analyzeImage(input)).image.verified).toBe(false);
          const err = await analyzeImage(input, { verify: true }).then(
            () => null,
            (e: unknown) => e,
          );
          expect(err, 'must fail').toBeInstanceOf(InputError);
          const msg = (err as Error).message;
          expect(msg).not.toContain('\n');
          const kinds = [exp.error, ...(exp.alternatives ?? [])];
          expect(kinds.some((k) => ERROR_PATTERNS[k].test(msg)), `"${msg}" should say ${kinds.join(' or ')}`).toBe(true);
        }
      });
    }
  }
});
