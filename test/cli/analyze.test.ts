import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../fixtures/images/index.js';
import { REPO, runCli } from '../helpers/cli.js';

const schema = (name: string) => JSON.parse(fs.readFileSync(path.join(REPO, 'docs', name), 'utf8'));

function validator() {
  const ajv = new Ajv2020.default({ allErrors: true, strict: false });
  ajv.addSchema(schema('analysis.schema.json'), 'analysis.schema.json');
  ajv.addSchema(schema('owners.schema.json'), 'owners.schema.json');
  return ajv;
}

describe('whittle analyze', () => {
  it('--json follows docs/analysis.schema.json and carries the contract fields', async () => {
    const r = runCli(['analyze', await fixturePath('basic', 'docker-legacy'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const validate = validator().getSchema('analysis.schema.json')!;
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.layers.map((l: { index: number }) => l.index)).toEqual([0, 1, 2]);
    expect(doc.totals.layerBytes).toBe(doc.layers.reduce((s: number, l: { size: number }) => s + l.size, 0));
    expect(doc.totals.layerBytes - doc.totals.wastedBytes).toBe(doc.totals.mergedBytes);
    expect(doc.layers[0].digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(r.stderr).toBe('');
  });

  it('reads an image from stdin with -', async () => {
    const input = fs.readFileSync(await fixturePath('basic', 'docker-25+gzip'));
    const fromStdin = runCli(['analyze', '-', '--json'], { input });
    const fromFile = runCli(['analyze', await fixturePath('basic', 'docker-25+gzip'), '--json']);
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    const a = JSON.parse(fromStdin.stdout);
    const b = JSON.parse(fromFile.stdout);
    expect(a.input.path).toBe('-');
    expect(a.totals).toEqual(b.totals);
    expect(a.layers).toEqual(b.layers);
  });

  it('prints a readable summary with layer commands, totals and largest files', async () => {
    const r = runCli(['analyze', await fixturePath('basic', 'oci-dir')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Layers$/m);
    expect(r.stdout).toMatch(/^Totals$/m);
    expect(r.stdout).toMatch(/merged\s+\S+ (B|kB|MB) in \d+ files/);
    expect(r.stdout).toMatch(/^Largest files$/m);
    expect(r.stdout).not.toMatch(/\u001b\[/); // no colour when not a terminal
    const colored = runCli(['analyze', await fixturePath('basic', 'oci-dir')], { env: { FORCE_COLOR: '1' } });
    expect(colored.stdout).toMatch(/\u001b\[1m/);
    const noColor = runCli(['analyze', await fixturePath('basic', 'oci-dir')], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(noColor.stdout).not.toMatch(/\u001b\[/);
  });

  it('asks which image to use when an archive holds several, and uses --image', async () => {
    const input = await fixturePath('multi-image', 'docker-legacy');
    const r = runCli(['analyze', input]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds 2 images; choose one with --image/);
    expect(r.stderr).toContain('whittle/app-a:1.0');
    expect(r.stderr).toContain('whittle/app-b:2.0');
    const ok = runCli(['analyze', input, '--image', 'whittle/app-b:2.0', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).image.tags).toContain('whittle/app-b:2.0');
  });

  it('picks a platform from a multi-platform index with --platform, listing choices otherwise', async () => {
    const input = await fixturePath('multi-platform', 'oci-dir');
    const arm = runCli(['analyze', input, '--platform', 'linux/arm64/v8', '--json']);
    expect(arm.code, arm.stderr).toBe(0);
    expect(JSON.parse(arm.stdout).image.platform).toMatch(/^linux\/arm64/);
    const none = runCli(['analyze', input, '--platform', 'linux/s390x']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no image for platform linux\/s390x.*linux\/amd64.*linux\/arm64/);
  });

  it.each([
    ['not-image-random', 'raw', /not an image/],
    ['truncated-layer', 'docker-legacy', /unexpected end of data/],
    ['gzip-bad-crc', 'oci-dir', /gzip data is corrupt/],
    ['missing-layer', 'oci-tar', /missing/],
    ['diffid-mismatch', 'docker-25', /does not match the config's diff_id/],
    ['manifest-invalid-json', 'docker-legacy', /not valid JSON/],
  ] as const)('fails on %s with exit code 3 and one line, no stack trace', async (name, format, pattern) => {
    const r = runCli(['analyze', await fixturePath(name, format), ...(name === 'diffid-mismatch' ? ['--verify'] : [])]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^whittle: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('names a missing input and returns 3; an unknown option returns 2', () => {
    const r = runCli(['analyze', '/no/such/image.tar']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/\/no\/such\/image\.tar: no such file or directory/);
    expect(runCli(['analyze', '--no-such-flag', 'x']).code).toBe(2);
  });

  it('never modifies its input', async () => {
    const input = await fixturePath('basic', 'docker-legacy');
    const before = fs.readFileSync(input);
    const mtime = fs.statSync(input).mtimeMs;
    runCli(['analyze', input, '--json']);
    expect(fs.readFileSync(input).equals(before)).toBe(true);
    expect(fs.statSync(input).mtimeMs).toBe(mtime);
  });
});

describe('whittle ls', () => {
  it('lists the merged tree with cumulative sizes, largest first', async () => {
    const r = runCli(['ls', await fixturePath('basic', 'docker-legacy'), '/', '--depth', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const l = JSON.parse(r.stdout);
    expect(l.entries[0].path).toBe('/');
    const children = l.entries.filter((e: { depth: number }) => e.depth === 1);
    const sizes = children.map((e: { size: number }) => e.size);
    expect(sizes).toEqual([...sizes].sort((x: number, y: number) => y - x));
    expect(l.entries[0].size).toBe(children.filter((e: { type: string }) => e.type === 'dir' || e.type === 'file').reduce((s: number, e: { size: number }) => s + e.size, 0));
  });

  it('lists one layer, whiteouts included, and rejects a layer that does not exist', async () => {
    const input = await fixturePath('whiteouts', 'docker-legacy');
    const all = runCli(['ls', input, '/', '--layer', '1', '--depth', '9', '--json']);
    expect(all.code, all.stderr).toBe(0);
    expect(JSON.parse(all.stdout).entries.some((e: { type: string }) => e.type === 'whiteout')).toBe(true);
    const bad = runCli(['ls', input, '--layer', '42']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--layer 42: the image has \d+ layers/);
  });
});
