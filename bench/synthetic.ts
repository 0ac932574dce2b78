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
  const layer = out.endRegion();
  out.zeros(paddingFor(layer.size));
  const layerName = `${layer.digest.slice(7)}/layer.tar`;
  out.patch(layerHeaderAt, member(layerName, layer.size));
  const config = Buffer.from(JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: {},
    rootfs: { type: 'layers', diff_ids: [layer.digest] },
    history: [{ created_by: `synthetic: ${n} files` }],
  }));
  const configName = `${createHash('sha256').update(config).digest('hex')}.json`;
  const manifest = Buffer.from(JSON.stringify([{ Config: configName, RepoTags: [`bench/entries:${n}`], Layers: [layerName] }]));
  for (const [name, data] of [[configName, config], ['manifest.json', manifest]] as const) {
    out.write(member(name, data.length));
    out.write(data);
    out.zeros(paddingFor(data.length));
  }
  out.write(END_OF_ARCHIVE);
  out.flush();
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
}
