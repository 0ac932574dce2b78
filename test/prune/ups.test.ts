import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Analysis } from '../../src/analysis/analyze.js';
import type { EntrySpec } from '../../fixtures/images/layer.js';
import type { PlanResult } from '../../src/prune/types.js';
import { analyzeLayers, droppedPaths, filesOf, plan, REPO, rules } from './helpers.js';

const F7 = 'Linux64bit+3.10-2.17';
const P = '/products';

/** Dropped paths that are not inside another dropped path. */
function droppedRoots(a: Analysis, r: PlanResult): string[] {
  const out: string[] = [];
  for (let n = 1; n < a.paths.size; n++) {
    if (!r.dropped[n] || r.dropped[a.paths.parent[n]!]) continue;
    out.push(`/${a.paths.pathOf(n)}`);
  }
  return out.sort();
}

const ELF = `${REPO}/fixtures/elf/x86_64`;
/** db1 (fixtures/owners/ups) with two real ELF files: art's `bin/art` needs libfoo.so.1, which cetlib's lib dir holds. */
function db1WithElf(): EntrySpec[] {
  const entries = filesOf(`${REPO}/fixtures/owners/ups/db1`).filter((e) => e.path !== 'products/art/v2_11_01/slf7.x86_64.e17.prof/bin/art');
  entries.push(
    { type: 'file', path: 'products/art/v2_11_01/slf7.x86_64.e17.prof/bin/art', content: readFileSync(`${ELF}/app-runpath`), mode: 0o755 },
    { type: 'file', path: 'products/cetlib/v3_03_00/slf7.x86_64.e17.prof/lib/libfoo.so.1', content: readFileSync(`${ELF}/libfoo.so.1`), mode: 0o755 },
  );
  return entries;
}

let a: Analysis;
beforeAll(async () => {
  a = await analyzeLayers([db1WithElf()]);
});

describe('UPS owner selectors', () => {
  test('any debug build: its fq directory and its own version file', () => {
    const r = plan(a, rules([{ name: 'debug', action: 'drop', owners: ['ups:*/*/*/debug'] }]));
    expect(droppedRoots(a, r)).toEqual([
      `${P}/art/v2_11_01.version/${F7}_e17_debug`,
      `${P}/art/v2_11_01/slf7.x86_64.e17.debug`,
      `${P}/boost/v1_66_0a.version/${F7}_debug_e17`,
      `${P}/boost/v1_66_0a/${F7}-e17-debug`,
      `${P}/cetlib/v3_03_00.version/${F7}_e17_debug`,
      `${P}/cetlib/v3_03_00/slf7.x86_64.e17.debug`,
      // cry declares both builds in one old-style v1_7k.version file: it stays
      `${P}/cry/v1_7k/${F7}-e17-debug`,
      `${P}/root/v6_12_06a.version/${F7}_e17_debug`,
      `${P}/root/v6_12_06a/${F7}-e17-debug`,
      `${P}/tbb/v2018_2a.version/${F7}_e17_debug`,
    ]);
    expect(r.plan.findings).toEqual([]);
  });

  test('builds no chain or chained build needs, versions and undeclared directories', () => {
    const r = plan(a, rules([{ name: 'stale', action: 'drop', owners: ['ups[unreferenced]:*'] }]));
    expect(droppedRoots(a, r)).toEqual([
      `${P}/afs`,
      `${P}/art/v2_11_01.version/${F7}_e15_prof`,
      `${P}/art/v2_11_01.version/${F7}_e17_debug`,
      `${P}/art/v2_11_01/slf7.x86_64.e15.prof`,
      `${P}/art/v2_11_01/slf7.x86_64.e17.debug`,
      `${P}/boost/v1_66_0a.version/${F7}_debug_e17`,
      `${P}/boost/v1_66_0a/${F7}-e17-debug`,
      // an fq dir no version file declares
      `${P}/boost/v1_66_0a/${F7}-e17-opt`,
      `${P}/cetlib/v3_03_00.version/${F7}_e17_debug`,
      `${P}/cetlib/v3_03_00/slf7.x86_64.e17.debug`,
      `${P}/cry/v1_7k/${F7}-e17-debug`,
      `${P}/root/v6_08_06g`,
      `${P}/root/v6_10_04d`,
      `${P}/root/v6_10_04d.version`,
      `${P}/root/v6_12_06a.version/${F7}_e17_debug`,
      `${P}/root/v6_12_06a/${F7}-e17-debug`,
      `${P}/tbb/v2018_2a.version/${F7}_e17_debug`,
    ]);
    expect(r.plan.findings).toEqual([]);
  });

  test('builds of a flavor this platform never sets up', () => {
    const r = plan(a, rules([{ name: 'foreign', action: 'drop', owners: ['ups[foreign-flavor]:*'] }]));
    // the SL6 root: declared (a whole version, with its version files) and an undeclared leftover
    expect(droppedRoots(a, r)).toEqual([`${P}/root/v6_08_06g/Linux64bit+2.6-2.12-e14-prof`, `${P}/root/v6_10_04d`, `${P}/root/v6_10_04d.version`]);
  });

  test('build-only products; an optional requirement on one is no finding', () => {
    const r = plan(a, rules([{ name: 'tools', action: 'drop', owners: ['ups[build-only]:*'] }]));
    expect(droppedRoots(a, r)).toEqual([`${P}/cetbuildtools`, `${P}/gdb`, `${P}/sqlite`]);
    expect(r.plan.findings).toEqual([]);
  });

  test('product X in any version, with one version carved out', () => {
    const r = plan(a, rules([{ name: 'root', action: 'drop', owners: ['ups:root', '!ups:root/v6_12_06a'] }]));
    // `ups:root` also takes the product's own files: its README and its chain files
    expect(droppedRoots(a, r)).toEqual([`${P}/root/README`, `${P}/root/current.chain`, `${P}/root/v6_08_06g`, `${P}/root/v6_10_04d`, `${P}/root/v6_10_04d.version`]);
  });

  test('qualifier sets: exact, containment and exclusion', () => {
    const roots = (sel: string) => droppedRoots(a, plan(a, rules([{ name: 'q', action: 'drop', owners: [sel] }])));
    expect(roots('ups:art/*/*/=prof:e15')).toEqual([`${P}/art/v2_11_01.version/${F7}_e15_prof`, `${P}/art/v2_11_01/slf7.x86_64.e15.prof`]);
    expect(roots('ups:art/*/*/prof:!e17')).toEqual(roots('ups:art/*/*/=e15:prof'));
    expect(roots('ups:boost/*/*/e1*:!prof:!debug')).toEqual([`${P}/boost/v1_66_0a/${F7}-e17-opt`]);
  });
});

describe('UPS requirements', () => {
  test('a kept build whose required build loses every file is a finding', () => {
    const r = plan(a, rules([{ name: 'tbb', action: 'drop', owners: ['ups:tbb'] }]));
    expect(r.plan.findings.map((f) => [f.kind, f.path, f.owner, f.rule])).toEqual([
      ['ups-requirement-dropped', `${P}/tbb/v2018_2a/${F7}-e17-prof`, `ups:root/v6_12_06a/${F7}/e17:prof`, 't/tbb'],
    ]);
    expect(r.plan.findings[0]!.message).toMatch(/^ups:root\/v6_12_06a\/Linux64bit\+3\.10-2\.17\/e17:prof stays but requires ups:tbb\/v2018_2a\/Linux64bit\+3\.10-2\.17\/e17:prof \(products\/root\/v6_12_06a\/ups\/root\.table:\d+: setupRequired\(.*\)\), whose 1 files are all dropped by rule t\/tbb$/);
  });

  test('a build kept only for a kept file still needs what it requires', () => {
    const keepPcm = { name: 'pcm', action: 'keep', paths: ['**/*_rdict.pcm'] };
    const both = plan(a, rules([{ name: 'root', action: 'drop', owners: ['ups:root/v6_12_06a/*/prof', 'ups:tbb'] }, keepPcm]));
    expect(both.plan.findings.map((f) => [f.kind, f.owner])).toEqual([['ups-requirement-dropped', `ups:root/v6_12_06a/${F7}/e17:prof`]]);
    // without the keep, root's prof build is gone, so BTrk and art (prof) lose what they require instead
    const gone = plan(a, rules([{ name: 'root', action: 'drop', owners: ['ups:root/v6_12_06a/*/prof'] }]));
    expect(gone.plan.findings.map((f) => f.owner).sort()).toEqual([`ups:BTrk/v1_02_12/${F7}/e17:prof`, `ups:art/v2_11_01/${F7}/e17:prof`]);
  });
});

describe('ELF libraries', () => {
  test('a library found through the LD_LIBRARY_PATH of the builds a UPS build requires', () => {
    const r = plan(a, rules([{ name: 'foo', action: 'drop', paths: ['**/libfoo.so*'] }]));
    expect(r.plan.findings.map((f) => [f.kind, f.path, f.owner, f.rule])).toEqual([
      ['elf-needed-missing', `${P}/art/v2_11_01/slf7.x86_64.e17.prof/bin/art`, `ups:art/v2_11_01/${F7}/e17:prof`, 't/foo'],
    ]);
    expect(r.plan.findings[0]!.message).toBe(
      `${P}/art/v2_11_01/slf7.x86_64.e17.prof/bin/art needs libfoo.so.1, found at ${P}/cetlib/v3_03_00/slf7.x86_64.e17.prof/lib/libfoo.so.1; after the plan ld.so would not find it (dropped by rule t/foo)`,
    );
    // libc.so.6 is not in this image at all: counted, not blamed on the plan
    expect(r.plan.notes.elfUnresolvedBefore).toBe(1);
    expect(r.plan.notes.elfChecked).toBe(1);
  });

  test('no finding when the file that needs the library goes too', () => {
    const r = plan(a, rules([{ name: 'foo', action: 'drop', paths: ['**/libfoo.so*', `${P}/art/*/*/bin/art`] }]));
    expect(r.plan.findings).toEqual([]);
  });
});

describe('$ORIGIN and symlinked libraries', () => {
  let b: Analysis;
  beforeAll(async () => {
    b = await analyzeLayers([
      [
        { type: 'dir', path: 'opt' }, { type: 'dir', path: 'opt/whittle' }, { type: 'dir', path: 'opt/whittle/bin' }, { type: 'dir', path: 'opt/whittle/lib' },
        { type: 'file', path: 'opt/whittle/bin/app', content: readFileSync(`${ELF}/app-runpath`), mode: 0o755 },
        { type: 'file', path: 'opt/whittle/lib/libfoo.so.1.0', content: readFileSync(`${ELF}/libfoo.so.1`), mode: 0o755 },
        { type: 'symlink', path: 'opt/whittle/lib/libfoo.so.1', target: 'libfoo.so.1.0' },
        { type: 'dir', path: 'lib64' },
        { type: 'file', path: 'lib64/libc.so.6', content: 'not really libc' },
      ],
    ]);
  });
  test('dropping the file behind the soname link breaks the app', () => {
    const r = plan(b, rules([{ name: 'real', action: 'drop', paths: ['/opt/whittle/lib/libfoo.so.1.0'] }]));
    expect(r.plan.findings.map((f) => [f.kind, f.path])).toEqual([
      ['elf-needed-missing', '/opt/whittle/bin/app'],
      ['symlink-dangling', '/opt/whittle/lib/libfoo.so.1'],
    ]);
    expect(r.plan.findings[0]!.message).toContain('needs libfoo.so.1, found at /opt/whittle/lib/libfoo.so.1 (/opt/whittle/lib/libfoo.so.1.0)');
    expect(r.plan.notes.elfUnresolvedBefore).toBe(0);
  });
  test('dropping the default library directory breaks libc', () => {
    const r = plan(b, rules([{ name: 'lib64', action: 'drop', paths: ['/lib64'] }]));
    expect(r.plan.findings.map((f) => f.message)).toEqual([
      '/opt/whittle/bin/app needs libc.so.6, found at /lib64/libc.so.6; after the plan ld.so would not find it (dropped by rule t/lib64)',
    ]);
  });
  test('the elf predicate tells ELF files from other regular files', () => {
    const elf = plan(b, rules([{ name: 'elf', action: 'drop', paths: ['/**'], elf: true }]));
    expect(droppedPaths(b, elf)).toEqual(['/opt/whittle/bin/app', '/opt/whittle/lib/libfoo.so.1.0']);
    const notElf = plan(b, rules([{ name: 'text', action: 'drop', paths: ['/**'], elf: false }]));
    expect(droppedPaths(b, notElf)).toEqual(['/lib64/libc.so.6']);
  });
  test('the image\'s ld.so.conf directories are searched before the defaults', () => {
    const r = plan(b, rules([{ name: 'none', action: 'drop', paths: ['/nowhere'] }]), { ldSoConfDirs: ['/opt/whittle/lib'] });
    expect(r.plan.findings).toEqual([]);
  });
});
