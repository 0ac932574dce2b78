/**
 * Owners on the generated Mu2e-like image: every layer figure and every owner's bytes and files
 * equal what the generator wrote down (expected.json, computed while writing, not by reading back);
 * the rpm packages equal what Debian's rpm lists from the same Berkeley DB file; UPS builds carry
 * their setupRequired edges.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeImage, type Analysis } from '../../src/analysis/analyze.js';
import { ensureDemoImage } from '../../fixtures/mu2e/cache.js';
import { TINY_SCALE } from '../../fixtures/mu2e/generate.js';
import { REPO } from '../helpers/cli.js';

interface Expected {
  layers: { diffId: string; entries: number; regularBytes: number; wasted: { overwrittenBytes: number; deletedBytes: number } }[];
  merged: { files: number; bytes: number; wastedBytes: number };
  owners: Record<string, { files: number; bytes: number }>;
  ups: { builds: { owner: string; requires: string[]; stale: string | null; final: { files: number; bytes: number } }[] };
  rpm: { db: string; packages: { name: string; version: string; release: string; arch: string; final: { files: number; bytes: number } }[] };
}

let archive: string;
let exp: Expected;
let a: Analysis;
beforeAll(async () => {
  archive = await ensureDemoImage({ scale: TINY_SCALE, seed: 7, cacheDir: path.join(REPO, 'fixtures', '.generated', 'demo') });
  exp = JSON.parse(fs.readFileSync(path.join(path.dirname(archive), 'expected.json'), 'utf8'));
  a = await analyzeImage(archive);
}, 120_000);

describe('owners of the Mu2e-like demo image', () => {
  it('layers and merged totals equal the generator', () => {
    expect(a.layers.map((l) => [l.digest, l.entries, l.size, l.waste.overwrittenBytes, l.waste.deletedBytes])).toEqual(
      exp.layers.map((l) => [l.diffId, l.entries, l.regularBytes, l.wasted.overwrittenBytes, l.wasted.deletedBytes]),
    );
    expect([a.totals.mergedBytes, a.totals.mergedFiles, a.totals.wastedBytes]).toEqual([exp.merged.bytes, exp.merged.files, exp.merged.wastedBytes]);
  });

  it('every owner has exactly the bytes and files the generator attributed to it, and they sum to the total', () => {
    const ours = Object.fromEntries(a.owners!.owners.filter((o) => o.files > 0).map((o) => [o.id, { files: o.files, bytes: o.bytes }]));
    const theirs = Object.fromEntries(Object.entries(exp.owners).filter(([, v]) => v.files > 0));
    expect(ours).toEqual(theirs);
    expect(a.owners!.owners.reduce((s, o) => s + o.bytes, 0)).toBe(a.totals.mergedBytes);
  });

  it('UPS builds carry their setupRequired edges as owner ids', () => {
    const byId = new Map(a.owners!.owners.map((o) => [o.id, o]));
    for (const b of exp.ups.builds) {
      if (b.final.files === 0) continue;
      const o = byId.get(b.owner);
      expect(o, b.owner).toBeDefined();
      // The generator writes "product version [-q quals]"; whittle resolves each to the build it means.
      // Requirements nothing in the image satisfies (the stale builds' on purpose) stay as text.
      const ours = (o!.requires ?? []).map((r) =>
        r.startsWith('ups:') ? { pv: r.slice(4).split('/').slice(0, 2).join(' '), quals: r.split('/')[3] ?? '' } : { pv: r.split(' -q ')[0]!, quals: r.split(' -q ')[1] ?? '' });
      const theirs = b.requires.map((r) => ({ pv: r.split(' -q ')[0]!, quals: r.split(' -q ')[1] ?? null }));
      expect(ours.map((x) => x.pv).sort(), b.owner).toEqual(theirs.map((x) => x.pv).sort());
      if (b.stale === null) expect(o!.requires!.every((r) => r.startsWith('ups:')), `${b.owner} requires resolve to builds`).toBe(true);
      for (const t of theirs) if (t.quals) expect(ours.find((x) => x.pv === t.pv)?.quals, `${b.owner} → ${t.pv}`).toBe(t.quals);
    }
  });

  it('rpm packages, versions and bytes equal the generator, and Debian rpm lists the same packages', () => {
    const rpm = a.owners!.owners.filter((o) => o.kind === 'rpm');
    expect(rpm.map((o) => o.name).sort()).toEqual(exp.rpm.packages.map((p) => p.name).sort());
    const byName = new Map(rpm.map((o) => [o.name, o]));
    for (const p of exp.rpm.packages) {
      const o = byName.get(p.name)!;
      expect({ n: p.name, v: o.version, files: o.files, bytes: o.bytes }).toEqual({ n: p.name, v: `${p.version}-${p.release}`, files: p.final.files, bytes: p.final.bytes });
    }
  });

  it.skipIf(spawnSync('sh', ['-c', 'command -v rpm']).status !== 0)('Debian rpm reads the same names, versions and SIZE from the image rpmdb', () => {
    // Pull the visible Packages file out of the image with GNU tar (layer 1 rewrites it).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whittle-rpmdb-'));
    try {
      const manifest = JSON.parse(execFileSync('tar', ['-xOf', archive, 'manifest.json'], { encoding: 'utf8' }));
      let db: Buffer | null = null;
      for (const layer of manifest[0].Layers as string[]) {
        const r = spawnSync('sh', ['-c', `tar -xOf '${archive}' '${layer}' | tar -xOf - var/lib/rpm/Packages 2>/dev/null`], { maxBuffer: 1 << 28 });
        if (r.stdout.length > 0) db = r.stdout;
      }
      fs.writeFileSync(path.join(dir, 'Packages'), db!);
      const out = execFileSync('rpm', ['-qa', '--dbpath', dir, '--define', '_db_backend bdb_ro', '--queryformat', '%{NAME} %{VERSION}-%{RELEASE} %{SIZE}\n'], { encoding: 'utf8' });
      const theirs = out.trim().split('\n').map((l) => l.split(' ')).map(([n, v, s]) => ({ n, v, s: Number(s) })).sort((x, y) => (x.n! < y.n! ? -1 : 1));
      const ours = a.owners!.owners.filter((o) => o.kind === 'rpm').map((o) => ({ n: o.name, v: o.version, s: o.declaredBytes })).sort((x, y) => (x.n < y.n ? -1 : 1));
      expect(ours).toEqual(theirs);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
