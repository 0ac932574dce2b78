/**
 * Owner attribution end to end, on images built around real package databases: an rpm sqlite
 * database (made by Debian's rpm), Alpine's installed database (syft's test data), distroless dpkg
 * and a Spack prefix; corrupt databases give a warning naming the file and leave those bytes
 * unowned, and the owner list still sums to the total.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeImage } from '../../src/analysis/analyze.js';
import { saveWritten } from '../../fixtures/images/index.js';
import type { EntrySpec } from '../../fixtures/images/layer.js';
import { writeArchive } from '../../fixtures/images/write-image.js';
import { REPO } from '../helpers/cli.js';

const fx = (...p: string[]) => path.join(REPO, 'fixtures', 'owners', ...p);
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whittle-owners-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const file = (p: string, content: Buffer | string | number, mode = 0o644): EntrySpec =>
  ({ type: 'file', path: p, content: typeof content === 'number' ? { size: content, seed: content } : content, mode }) as EntrySpec;

async function image(name: string, layers: EntrySpec[][]): Promise<string> {
  const w = writeArchive({ images: [{ repoTag: `test/${name}:1`, layers: layers.map((entries) => ({ entries })) }] }, 'docker-legacy');
  const out = path.join(dir, `${name}.tar`);
  await saveWritten(out, w);
  return out;
}

describe('owners in built images', () => {
  it('rpm (sqlite database made by Debian rpm): present files belong to their package, absent docs are not missing', async () => {
    const rows = fs.readFileSync(fx('rpm', 'expected', 'files.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t'));
    // Put the regular files of wh-docs in the image, except its %doc README (as tsflags=nodocs does).
    const docs = rows.filter((r) => r[0] === 'wh-docs' && r[3]!.startsWith('100') && !(Number(r[4]) & 2) && !(Number(r[4]) & 64));
    const img = await image('rpm', [[
      file('var/lib/rpm/rpmdb.sqlite', fs.readFileSync(fx('rpm', 'rpmdb.sqlite'))),
      ...docs.map((r) => file(r[1]!.slice(1), Number(r[2]))),
      file('opt/app/data.bin', 5000),
    ]]);
    const a = await analyzeImage(img);
    const o = a.owners!.owners.find((x) => x.id === 'rpm:wh-docs')!;
    expect(o.version).toBe('1.0-1');
    expect(o.epoch).toBe(3);
    expect(o.files).toBe(docs.length);
    expect(o.bytes).toBe(docs.reduce((s, r) => s + Number(r[2]), 0));
    expect(o.missingFiles).toBe(0); // the absent README is a %doc file: reported, not missing
    expect(a.owners!.findings.some((f) => f.code === 'rpm-docs-absent')).toBe(true);
    expect(a.owners!.owners.find((x) => x.id === 'dir:/opt/app')!.bytes).toBe(5000);
    expect(a.owners!.owners.reduce((s, x) => s + x.bytes, 0)).toBe(a.totals.mergedBytes);
  });

  it('a corrupt rpm database is a warning naming it; its bytes stay unowned and the rest is analysed', async () => {
    const img = await image('rpm-corrupt', [[file('var/lib/rpm/Packages', Buffer.alloc(8192, 0x5a)), file('usr/bin/tool', 1234)]]);
    const a = await analyzeImage(img);
    const w = a.findings.find((f) => f.message.includes('var/lib/rpm/Packages'));
    expect(w?.severity).toMatch(/warning|error/);
    expect(a.owners!.owners.filter((x) => x.kind === 'rpm')).toHaveLength(0);
    expect(a.owners!.owners.find((x) => x.id === 'dir:/usr/bin')!.bytes).toBe(1234);
  });

  it('apk (syft test data): packages own their files; a corrupt database is reported', async () => {
    const installed = fs.readFileSync(fx('apk', 'syft', 'single'));
    const a = await analyzeImage(await image('apk', [[file('lib/apk/db/installed', installed), file('usr/bin/getent', 100), file('usr/bin/getconf', 200)]]));
    const musl = a.owners!.owners.find((x) => x.id === 'apk:musl-utils')!;
    expect(musl.version).toBe('1.1.24-r2');
    expect(musl.declaredBytes).toBe(151552);
    expect(musl.bytes).toBe(300);
    const corrupt = fs.readFileSync(fx('apk', 'syft', 'corrupt', 'lib', 'apk', 'db', 'installed'));
    const b = await analyzeImage(await image('apk-corrupt', [[file('lib/apk/db/installed', corrupt)]]));
    expect(b.findings.some((f) => f.message.includes('lib/apk/db/installed'))).toBe(true);
  });

  it('distroless dpkg (status.d + md5sums) and diverted-free files', async () => {
    const base = fx('dpkg', 'syft', 'image-distroless-deb', 'var', 'lib', 'dpkg', 'status.d');
    const entries = fs.readdirSync(base).map((n) => file(`var/lib/dpkg/status.d/${n}`, fs.readFileSync(path.join(base, n))));
    const md5 = fs.readFileSync(path.join(base, 'libsqlite3-0.md5sums'), 'utf8').trim().split('\n').map((l) => l.split(/\s+/)[1]!);
    const a = await analyzeImage(await image('distroless', [[...entries, ...md5.map((p) => file(p, 10))]]));
    const o = a.owners!.owners.find((x) => x.name === 'libsqlite3-0')!;
    expect(o.kind).toBe('dpkg');
    expect(o.files).toBe(md5.length);
    expect(o.declaredBytes).toBe(1490 * 1024);
  });

  it('a Spack prefix owns its subtree, named by name@version/hash', async () => {
    const spec = fs.readFileSync(fx('spack', 'libdwarf.v5.buildcache.spec.json'));
    const prefix = 'opt/spack/linux-almalinux9-x86_64/gcc-11.4.1/libdwarf-20180129-abcdefg';
    const a = await analyzeImage(await image('spack', [[file(`${prefix}/.spack/spec.json`, spec), file(`${prefix}/lib/libdwarf.so`, 4096), file(`${prefix}/include/libdwarf.h`, 512)]]));
    const o = a.owners!.owners.find((x) => x.kind === 'spack')!;
    expect(o.name).toBe('libdwarf');
    expect(o.id).toMatch(/^spack:libdwarf@[^/]+\/[a-z0-9]{7}$/);
    expect(o.bytes).toBe(4096 + 512 + spec.length);
  });

  it('a corrupt dpkg status is reported and the good stanzas still count', async () => {
    const status = 'Package: good\nStatus: install ok installed\nVersion: 1.0\nArchitecture: all\nInstalled-Size: 4\n\nthis line is not a field\n\nPackage: also-good\nStatus: install ok installed\nVersion: 2\nArchitecture: all\n';
    const a = await analyzeImage(await image('dpkg-corrupt', [[
      file('var/lib/dpkg/status', status),
      file('var/lib/dpkg/info/good.list', '/.\n/usr\n/usr/bin\n/usr/bin/good\n'),
      file('usr/bin/good', 777),
    ]]));
    expect(a.owners!.owners.find((x) => x.id === 'dpkg:good')!.bytes).toBe(777);
    expect(a.findings.some((f) => f.severity !== 'info' && f.message.includes('var/lib/dpkg/status'))).toBe(true);
  });
});
