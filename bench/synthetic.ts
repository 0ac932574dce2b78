/**
 * Benchmark inputs with many entries and few bytes: a docker save archive holding one layer of
 * `n` files (most empty, every 8th 32 bytes) in directories of 1,000, so memory and time can be
 * plotted against entries with bytes held small.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { encodeHeader, END_OF_ARCHIVE, paddingFor } from '../src/tar/write-header.js';
import { FileOut } from '../src/prune/tar-out.js';

export async function writeEntriesImage(file: string, n: number): Promise<void> {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  const out = new FileOut(fd);
  const member = (name: string, size: number) => encodeHeader({ name, typeflag: '0', mode: 0o644, uid: 0, gid: 0, size, mtime: 0 });
  // The layer: header reserved, contents hashed as written.
  const layerHeaderAt = out.position;
  out.zeros(512);
  out.beginRegion();
  const payload = Buffer.alloc(32, 0x61);
  out.write(encodeHeader({ name: 'data/', typeflag: '5', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: 0 }));
  for (let i = 0; i < n; i++) {
    if (i % 1000 === 0) out.write(encodeHeader({ name: `data/d${i / 1000}/`, typeflag: '5', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: 0 }));
    const size = i % 8 === 0 ? 32 : 0;
    out.write(encodeHeader({ name: `data/d${Math.floor(i / 1000)}/file-${i}.dat`, typeflag: '0', mode: 0o644, uid: 0, gid: 0, size, mtime: 0 }));
    if (size) {
      out.write(payload);
      out.zeros(paddingFor(size));
    }
  }
  out.write(END_OF_ARCHIVE);
  const layer = await out.endRegion();
  out.zeros(paddingFor(layer.size));
  const layerName = `${layer.digest.slice(7)}/layer.tar`;
  out.patch(layerHeaderAt, member(layerName, layer.size));
  finishArchive(out, [{ name: layerName, diffId: layer.digest, createdBy: `synthetic: ${n} files` }], `bench/entries:${n}`);
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
}

/** Writes the config, manifest.json and the end marker of a docker save archive, and flushes. */
function finishArchive(out: FileOut, layers: { name: string; diffId: string; createdBy: string }[], tag: string): void {
  const config = Buffer.from(JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: {},
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: layers.map((l) => ({ created_by: l.createdBy })),
  }));
  const configName = `${createHash('sha256').update(config).digest('hex')}.json`;
  const manifest = Buffer.from(JSON.stringify([{ Config: configName, RepoTags: [tag], Layers: layers.map((l) => l.name) }]));
  for (const [name, data] of [[configName, config], ['manifest.json', manifest]] as const) {
    out.write(encodeHeader({ name, typeflag: '0', mode: 0o644, uid: 0, gid: 0, size: data.length, mtime: 0 }));
    out.write(data);
    out.zeros(paddingFor(data.length));
  }
  out.write(END_OF_ARCHIVE);
  out.flush();
}

/**
 * A docker save archive of `layers` gzip-compressed layers of about `layerBytes` each, holding
 * text-like files (compressible about 3:1, like real software), so several layers of similar size
 * can be decompressed side by side.
 */
export async function writeGzipLayersImage(file: string, layers: number, layerBytes: number): Promise<void> {
  const { gzipSync } = await import('node:zlib');
  const words = ['const', 'return', 'struct', 'template', 'typename', 'std::vector', 'double', 'energy', 'momentum', 'track', 'hit', 'cluster', 'calorimeter', 'tracker', 'Geant4', 'art::Event', 'fhicl', 'ParameterSet', '{', '}', ';', '(', ')', '0.5', '1e-3', 'if', 'for', 'auto', 'void', 'int'];
  let x = 12345;
  const rnd = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 8);
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  const out = new FileOut(fd);
  const member = (name: string, size: number) => encodeHeader({ name, typeflag: '0', mode: 0o644, uid: 0, gid: 0, size, mtime: 0 });
  const diffIds: string[] = [];
  const names: string[] = [];
  for (let L = 0; L < layers; L++) {
    const parts: Buffer[] = [];
    let size = 0;
    for (let i = 0; size < layerBytes; i++) {
      const chunk: string[] = [];
      let n = 0;
      while (n < 100_000) {
        const w = words[rnd() % words.length]!;
        chunk.push(w);
        n += w.length + 1;
      }
      const data = Buffer.from(chunk.join(rnd() % 7 === 0 ? '\n' : ' '));
      parts.push(encodeHeader({ name: `src/layer${L}/pkg${i % 50}/file-${i}.cc`, typeflag: '0', mode: 0o644, uid: 0, gid: 0, size: data.length, mtime: 0 }), data, Buffer.alloc(paddingFor(data.length)));
      size += 512 + data.length + paddingFor(data.length);
    }
    parts.push(END_OF_ARCHIVE);
    const tar = Buffer.concat(parts);
    diffIds.push(`sha256:${createHash('sha256').update(tar).digest('hex')}`);
    const gz = gzipSync(tar, { level: 6 });
    const name = `${createHash('sha256').update(gz).digest('hex')}/layer.tar`;
    names.push(name);
    out.write(member(name, gz.length));
    out.write(gz);
    out.zeros(paddingFor(gz.length));
  }
  finishArchive(out, names.map((name, i) => ({ name, diffId: diffIds[i]!, createdBy: `synthetic gzip layer ${i}` })), 'bench/gzip:1');
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
}
