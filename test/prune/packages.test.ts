import { beforeAll, describe, expect, test } from 'vitest';
import type { Analysis } from '../../src/analysis/analyze.js';
import type { EntrySpec } from '../../fixtures/images/layer.js';
import { analyzeLayers, droppedPaths, filesOf, plan, REPO, rules } from './helpers.js';

// The real bookworm dpkg database of fixtures/owners/dpkg, with zlib1g:amd64's listed files present.
const ZLIB: EntrySpec[] = [
  { type: 'dir', path: 'lib' }, { type: 'dir', path: 'lib/x86_64-linux-gnu' },
  { type: 'file', path: 'lib/x86_64-linux-gnu/libz.so.1.2.13', content: { size: 120_000, seed: 1 } },
  { type: 'symlink', path: 'lib/x86_64-linux-gnu/libz.so.1', target: 'libz.so.1.2.13' },
  { type: 'dir', path: 'usr' }, { type: 'dir', path: 'usr/share' }, { type: 'dir', path: 'usr/share/doc' }, { type: 'dir', path: 'usr/share/doc/zlib1g' },
  { type: 'file', path: 'usr/share/doc/zlib1g/changelog.Debian.gz', content: { size: 3000, seed: 2 } },
  { type: 'file', path: 'usr/share/doc/zlib1g/changelog.gz', content: { size: 2000, seed: 3 } },
  { type: 'file', path: 'usr/share/doc/zlib1g/copyright', content: { size: 1000, seed: 4 } },
];

let a: Analysis;
beforeAll(async () => {
  a = await analyzeLayers([[...filesOf(`${REPO}/fixtures/owners/dpkg/bookworm/var`, 'var'), ...ZLIB]]);
});

const ZLIB_ID = 'dpkg:zlib1g';

test('the image attributes zlib1g its files', () => {
  expect(a.owners!.owners.find((o) => o.id === ZLIB_ID)).toMatchObject({ files: 4, bytes: 126_000, architecture: 'amd64' });
});

describe('a package losing some but not all of its files', () => {
  test('is a finding when the rule does not allow it', () => {
    const r = plan(a, rules([{ name: 'docs', action: 'drop', paths: ['/usr/share/doc/**'] }]));
    expect(r.plan.findings).toEqual([
      {
        kind: 'package-partial',
        path: '/usr/share/doc/zlib1g/changelog.Debian.gz',
        owner: ZLIB_ID,
        rule: 't/docs',
        message: `${ZLIB_ID} would lose 3 of its 5 files (6 kB), e.g. /usr/share/doc/zlib1g/changelog.Debian.gz, to rule t/docs; 2 stay, e.g. /lib/x86_64-linux-gnu/libz.so.1.2.13`,
      },
    ]);
  });
  test('is not when the rule says packages work without those files', () => {
    const r = plan(a, rules([{ name: 'docs', action: 'drop', paths: ['/usr/share/doc/**'], allowPartial: true }]));
    expect(r.plan.findings).toEqual([]);
    expect(r.plan.savedBytes).toBe(6000);
  });
  test('is not when the package goes entirely', () => {
    const r = plan(a, rules([{ name: 'zlib', action: 'drop', owners: ['dpkg:zlib1g'] }]));
    expect(droppedPaths(a, r)).toEqual([
      '/lib/x86_64-linux-gnu/libz.so.1',
      '/lib/x86_64-linux-gnu/libz.so.1.2.13',
      '/usr/share/doc/zlib1g/changelog.Debian.gz',
      '/usr/share/doc/zlib1g/changelog.gz',
      '/usr/share/doc/zlib1g/copyright',
    ]);
    expect(r.plan.findings).toEqual([]);
  });
  test('is counted over allowed and not allowed drops together', () => {
    const r = plan(a, rules([
      { name: 'docs', action: 'drop', paths: ['/usr/share/doc/**'], allowPartial: true },
      { name: 'links', action: 'drop', paths: ['/lib/**'], type: 'symlink' },
    ]));
    expect(r.plan.findings.map((f) => [f.kind, f.owner, f.path, f.rule])).toEqual([['package-partial', ZLIB_ID, '/lib/x86_64-linux-gnu/libz.so.1', 't/links']]);
  });
});

test('package name globs and negation', () => {
  const r = plan(a, rules([{ name: 'libs', action: 'drop', owners: ['dpkg:*', '!dpkg:zlib1g'], paths: ['/lib/**'] }]));
  expect(r.plan.savedBytes).toBe(0);
  const r2 = plan(a, rules([{ name: 'libs', action: 'drop', owners: ['dpkg:zlib*'], paths: ['/lib/**'] }]));
  expect(r2.plan.savedBytes).toBe(120_000);
});
