import { describe, expect, it } from 'vitest';
import { RpmFormatError } from '../../../src/owners/rpm/errors.js';
import { parseRpmHeader } from '../../../src/owners/rpm/header.js';
import { readNdbBlobs } from '../../../src/owners/rpm/ndb.js';
import { fixture, fixtureText } from './oracle.js';

const DB = 'go-rpmdb/sle15-bci-Packages.db';

interface PeerPackage {
  epoch: number | null;
  name: string;
  version: string;
  release: string;
  arch: string;
  size: number;
}

const peer = (): PeerPackage[] => JSON.parse(fixtureText('go-rpmdb/sle15-bci-packages.json'));

describe('readNdbBlobs on SUSE\'s Packages.db (SLE 15 BCI, go-rpmdb test data)', () => {
  it('returns the 35 packages go-rpmdb asserts, in the same order, with the same sizes', () => {
    const { values, findings } = readNdbBlobs(fixture(DB));
    expect(findings).toEqual([]);
    const packages = values.map(parseRpmHeader);
    expect(packages.map(({ epoch, name, version, release, arch, size }) => ({ epoch, name, version, release, arch, size }))).toEqual(
      peer().map(({ epoch, name, version, release, arch, size }) => ({ epoch, name, version, release, arch, size })),
    );
    expect(packages.reduce((a, p) => a + p.size, 0)).toBe(39_681_521);
    expect(packages.find((p) => p.name === 'glibc')).toMatchObject({ version: '2.31', release: '9.3.2', size: 6_183_407 });
    expect(packages.find((p) => p.name === 'coreutils')).toMatchObject({ version: '8.32', release: '3.2.1', size: 6_488_992 });
    expect(packages.find((p) => p.name === 'bash')?.files.map((f) => f.path)).toContain('/bin/bash');
  });
});

describe('readNdbBlobs on damaged input', () => {
  /** Used slots in slot order (the order of the 35 packages): package index and blob bytes. */
  const slots = (file: Uint8Array) => {
    const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
    const used = [];
    for (let slot = 32; slot < 4096; slot += 16) {
      const pkgIdx = view.getUint32(slot + 4, true);
      const start = view.getUint32(slot + 8, true) * 16;
      if (pkgIdx) used.push({ pkgIdx, start, end: start + view.getUint32(slot + 12, true) * 16 });
    }
    return used;
  };

  it('drops a blob that fails its adler32 checksum, names it, keeps the other 34', () => {
    const file = fixture(DB);
    const { pkgIdx, start } = slots(file)[2]; // glibc
    file[start + 16 + 500] ^= 0xff;
    const { values, findings } = readNdbBlobs(file, 'usr/lib/sysimage/rpm/Packages.db');
    expect(findings).toEqual([
      {
        severity: 'warning',
        code: 'rpmdb-corrupt',
        message: `usr/lib/sysimage/rpm/Packages.db: blob of package ${pkgIdx} fails its adler32 checksum`,
      },
    ]);
    expect(values.map((v) => parseRpmHeader(v).name)).toEqual(peer().map((p) => p.name).filter((n) => n !== 'glibc'));
  });

  it('reports a truncated file and returns the blobs before the cut', () => {
    const file = fixture(DB);
    const cut = slots(file)[20].start + 100;
    const { values, findings } = readNdbBlobs(file.subarray(0, cut));
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.code === 'rpmdb-truncated')).toBe(true);
    expect(findings[0].message).toMatch(/^Packages\.db: blob of package \d+ ends at byte \d+, past the end of the file/);
    const survivors = peer().filter((_, i) => slots(file)[i].end <= cut);
    expect(survivors.length).toBeGreaterThan(5);
    expect(values.map((v) => parseRpmHeader(v).name)).toEqual(survivors.map((p) => p.name));
  });

  it('skips slots without their magic and says how many', () => {
    const file = fixture(DB);
    file.fill(0, 32 + 16 * 5, 32 + 16 * 7); // wipe slots 5 and 6
    const { values, findings } = readNdbBlobs(file);
    expect(values).toHaveLength(33);
    expect(findings.map((f) => f.message)).toEqual(["Packages.db: 2 slots without the 'Slot' magic were skipped"]);
  });

  it('rejects a file that is not ndb, or of another ndb version', () => {
    expect(() => readNdbBlobs(fixture('Packages'))).toThrow(RpmFormatError);
    expect(() => readNdbBlobs(new Uint8Array(10))).toThrow(/too short/);
    const v1 = fixture(DB);
    v1[4] = 1;
    expect(() => readNdbBlobs(v1)).toThrow(/unsupported ndb version 1/);
  });

  it('survives 300 random corruptions of the slot area and the first blobs', () => {
    const good = fixture(DB);
    let seed = 7;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < 300; i++) {
      const b = good.slice();
      for (let k = 0; k < 3; k++) b[Math.floor(rand() * 4096 * 2)] = Math.floor(rand() * 256);
      try {
        const { values } = readNdbBlobs(b);
        expect(values.length).toBeLessThanOrEqual(35);
      } catch (e) {
        if (!(e instanceof RpmFormatError)) throw e;
      }
    }
  });
});
