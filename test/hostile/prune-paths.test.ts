/**
 * Hostile entry names through `whittle prune`: entries that try to climb out (`../x`, `/abs`,
 * `a/../../b`, through a symlink to `/` or to `../../..`, a hard link to `../../etc/passwd`) are
 * analysed where a runtime would put them (inside the root) and written back with clean relative
 * names; the writer creates nothing outside its output path, umoci unpacks the result without
 * anything leaving its rootfs, and whittle reads it back without path findings.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeArchive } from '../../fixtures/images/write-image.js';
import { baseEntries, hostilePath, hostilePathsTar } from '../../fixtures/hostile/index.js';
import { tarOf } from '../../fixtures/hostile/tar.js';
import { runCli } from '../helpers/cli.js';

/** Host paths the hostile names aim at; none may exist after any step. */
const TARGETS = ['/tmp/whittle-hostile-absolute', '/escape-dotdot', '/escape-climb', '/escape-through-up', '/evil'];

let dir: string;
let rules: string;
let oneLayer: string;
let twoLayers: string;

function listTree(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      out.push(r);
      if (e.isDirectory()) walk(path.join(d, e.name), r);
    }
  };
  walk(root, '');
  return out.sort();
}

/** Entry names of a tar, as GNU tar lists them (verbatim: --quoting-style=literal). */
function tarNames(file: string): string[] {
  const r = spawnSync('tar', ['--quoting-style=literal', '-tf', file], { encoding: 'latin1' });
  if (r.status !== 0) throw new Error(`tar -tf ${file}: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean);
}

beforeAll(async () => {
  for (const t of TARGETS) expect(fs.existsSync(t), `${t} must not exist before the test`).toBe(false);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whittle-hostile-prune-'));
  rules = path.join(dir, 'keep-all.json');
  fs.writeFileSync(rules, JSON.stringify({ name: 'keep-all', description: 'drops a path that is not there', rules: [{ name: 'none', action: 'drop', why: 'test', paths: ['/no/such/path'] }] }));
  oneLayer = await hostilePath('paths-escape');
  const w = writeArchive({ images: [{ repoTag: 'hostile/two:1.0', layers: [{ tar: tarOf(...baseEntries()) }, { tar: hostilePathsTar() }] }] }, 'docker-25');
  twoLayers = path.join(dir, 'two-layers.tar');
  fs.writeFileSync(twoLayers, w.bytes!);
}, 120_000);

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const EXPECTED_NAMES = ['escape-dotdot', 'tmp/whittle-hostile-absolute', 'escape-climb', 'evil/etc/passwd', 'up/escape-through-up', 'shadow-link', 'nul\uFFFDbyte', 'bad\u00ff\u00fe.txt'];

describe('prune never writes outside its output, whatever the entry names say', () => {
  for (const [label, args] of [
    ['docker-archive, squashed', ['--format', 'docker-archive']],
    ['oci-dir, squashed', ['--format', 'oci-dir']],
    ['docker-archive, base layer kept', ['--format', 'docker-archive', '--keep-layers', '1']],
  ] as const) {
    it(label, () => {
      const work = fs.mkdtempSync(path.join(dir, 'work-'));
      const input = label.includes('kept') ? twoLayers : oneLayer;
      const out = path.join(work, args[1] === 'oci-dir' ? 'out' : 'out.tar');
      const before = listTree(work);
      const r = runCli(['prune', '--no-progress', input, '--rules', rules, '-o', out, ...args], { cwd: work });
      expect(r.code, r.stderr).toBe(0);
      // Only the output appeared, in the output's own directory; nothing at the host targets.
      expect(fs.readdirSync(work).sort()).toEqual([...before.filter((p) => !p.includes('/')), path.basename(out)].sort());
      for (const t of TARGETS) expect(fs.existsSync(t), t).toBe(false);

      // Every name in every layer the writer produced is relative and climbs nowhere.
      const layers: string[] = [];
      if (args[1] === 'oci-dir') {
        const blobs = path.join(out, 'blobs', 'sha256');
        for (const b of fs.readdirSync(blobs)) if (fs.readFileSync(path.join(blobs, b)).toString('latin1', 257, 262) === 'ustar') layers.push(path.join(blobs, b));
      } else {
        const x = path.join(work, 'x');
        fs.mkdirSync(x);
        for (const n of tarNames(out)) expect(n).toMatch(/^(blobs\/sha256\/[0-9a-f]{64}|[0-9a-f]{64}(\/layer\.tar|\.json)?\/?|manifest\.json|repositories|index\.json|oci-layout)$/);
        expect(spawnSync('tar', ['-xf', out, '-C', x]).status).toBe(0);
        for (const n of tarNames(out)) if (/layer\.tar$|^blobs\//.test(n) && fs.readFileSync(path.join(x, n)).toString('latin1', 257, 262) === 'ustar') layers.push(path.join(x, n));
      }
      expect(layers.length).toBeGreaterThan(0);
      const written = layers.flatMap(tarNames);
      for (const n of written) {
        expect(n.startsWith('/'), n).toBe(false);
        expect(n.split('/'), n).not.toContain('..');
        expect(n.includes('\0'), n).toBe(false);
      }

      // whittle reads the result back: the hostile names are now plain paths inside the root.
      const back = runCli(['analyze', '--json', out]);
      expect(back.code, back.stderr).toBe(0);
      const doc = JSON.parse(back.stdout) as { findings: { code: string }[] };
      expect(doc.findings.map((f) => f.code).filter((c) => /^path-(absolute|escapes-root|nul-byte)$/.test(c))).toEqual([]);
      const ls = runCli(['ls', '--json', '--depth', '5', out]);
      expect(ls.code, ls.stderr).toBe(0);
      for (const name of EXPECTED_NAMES) expect(ls.stdout, name).toContain(JSON.stringify(name.split('/').pop()).slice(1, -1));
    });
  }

  it('umoci unpacks the written image with nothing outside its rootfs', (ctx) => {
    const umoci = spawnSync('umoci', ['--version']);
    if (umoci.status !== 0 || process.getuid?.() !== 0) ctx.skip(); // umoci needs root to unpack
    const work = fs.mkdtempSync(path.join(dir, 'umoci-'));
    const out = path.join(work, 'oci');
    expect(runCli(['prune', '--no-progress', oneLayer, '--rules', rules, '-o', out, '--format', 'oci-dir']).code).toBe(0);
    const bundle = path.join(work, 'bundle');
    const r = spawnSync('umoci', ['unpack', '--image', `${out}:1.0`, bundle], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const rootfs = path.join(bundle, 'rootfs');
    const all = listTree(rootfs);
    for (const name of EXPECTED_NAMES) expect(all).toContain(name);
    // Nothing is a link that leads out: every non-symlink resolves inside rootfs.
    const real = fs.realpathSync(rootfs);
    for (const p of all) {
      const abs = path.join(rootfs, p);
      if (fs.lstatSync(abs).isSymbolicLink()) continue;
      expect(fs.realpathSync(abs).startsWith(real + path.sep), p).toBe(true);
    }
    expect(fs.readdirSync(work).sort()).toEqual(['bundle', 'oci']);
    for (const t of TARGETS) expect(fs.existsSync(t), t).toBe(false);
  });

  it('reports each hostile name as a finding and shows where a runtime puts it', () => {
    const r = runCli(['analyze', '--json', oneLayer]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { findings: { code: string; message: string; path?: string }[] };
    const byPath = new Map(doc.findings.map((f) => [f.path, f]));
    expect(byPath.get('/escape-dotdot')?.code).toBe('path-escapes-root');
    expect(byPath.get('/escape-climb')?.code).toBe('path-escapes-root');
    expect(byPath.get('/tmp/whittle-hostile-absolute')?.code).toBe('path-absolute');
    expect(byPath.get('/nul\uFFFDbyte')?.code).toBe('path-nul-byte');
    expect(byPath.get('/bad\u00ff\u00fe.txt')?.code).toBe('path-not-utf8');
    expect(byPath.get('/escape-dotdot')?.message).toBe('entry name climbs above the root with ".." "../escape-dotdot" read as "/escape-dotdot"');
  });
});
