import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isSpackSpecPath, parseSpackSpec, spackPrefixOf } from '../../../src/owners/spack/parse-spec.js';

const FIX = fileURLToPath(new URL('../../../fixtures/owners/spack/', import.meta.url));
const read = (name: string): string => readFileSync(join(FIX, name), 'utf8');
const ROOT = 'opt/spack/linux-ubuntu20.04-icelake/gcc-9.4.0';
const specAt = (prefixDir: string): string => `${ROOT}/${prefixDir}/.spack/spec.json`;

describe('parseSpackSpec on Spack\'s own specfiles', () => {
  it('reads a v3 (Spack 0.19) spec: root hdf5 with its four typed dependencies', () => {
    const src = specAt('hdf5-1.12.2-iulacrbz7o5v5sbj7njbkyank3juh6d3');
    const { spec, findings } = parseSpackSpec(read('hdf5.v019.excerpt.json'), src);
    expect(findings).toEqual([]);
    expect(spec).toEqual({
      name: 'hdf5',
      version: '1.12.2',
      hash: 'iulacrbz7o5v5sbj7njbkyank3juh6d3',
      namespace: 'builtin',
      specfileVersion: 3,
      external: false,
      nodeCount: 4,
      dependencies: [
        { name: 'cmake', hash: '4fvfntrj33eab7xfuhlxqvf2btgakkpb', types: ['build'] },
        { name: 'openmpi', hash: 's5tjtw24z4oz2rxcrb7b7jsvhrybtved', types: ['build', 'link'] },
        { name: 'pkgconf', hash: 'i4avrindvhcamhurzbfdaggbj2zgsrrh', types: ['run'] },
        { name: 'zlib', hash: 'u6syk2ltdnieczseg36cukrhbts7aoqk', types: ['build', 'link'] },
      ],
    });
  });

  it('picks the node named by the prefix directory\'s hash', () => {
    const text = read('hdf5.v019.excerpt.json');
    const cmake = parseSpackSpec(text, specAt('cmake-3.24.3-4fvfntrj33eab7xfuhlxqvf2btgakkpb')).spec!;
    expect([cmake.name, cmake.version, cmake.hash]).toEqual(['cmake', '3.24.3', '4fvfntrj33eab7xfuhlxqvf2btgakkpb']);
    expect(cmake.dependencies.map((d) => d.name)).toEqual(['ncurses', 'openssl']);
    // Projections such as {name}-{version}-{hash:7} shorten the hash.
    const ncurses = parseSpackSpec(text, specAt('ncurses-6.3-3omftyj')).spec!;
    expect([ncurses.name, ncurses.hash]).toEqual(['ncurses', '3omftyjjqapomyyexdhi7yc5ce6ju7ad']);
    const pkgconf = parseSpackSpec(text, specAt('pkgconf-1.8.0-i4avrindvhcamhurzbfdaggbj2zgsrrh')).spec!;
    expect(pkgconf.dependencies).toEqual([]);
  });

  it('falls back to the first node for a prefix without a hash, and warns when the hash matches none', () => {
    const text = read('hdf5.v019.excerpt.json');
    const plain = parseSpackSpec(text, 'opt/views/hdf5/.spack/spec.json');
    expect(plain.spec!.name).toBe('hdf5');
    expect(plain.findings).toEqual([]);
    const src = specAt('hdf5-1.12.2-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    const stray = parseSpackSpec(text, src);
    expect(stray.spec!.hash).toBe('iulacrbz7o5v5sbj7njbkyank3juh6d3');
    expect(stray.findings).toEqual([
      {
        severity: 'warning',
        code: 'spack-spec-prefix-mismatch',
        message: `${src}: prefix hdf5-1.12.2-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa names hash aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, which no node in the spec has`,
        path: src,
      },
    ]);
  });

  it('reads a v2 (Spack 0.17) spec whose dependencies carry build_hash', () => {
    const { spec, findings } = parseSpackSpec(read('hdf5.v017.excerpt.json'), specAt('hdf5-1.10.7-xqh5iyjjtrp2jw632cchacn3l7vqzf3m'));
    expect(findings).toEqual([]);
    expect(spec).toMatchObject({ name: 'hdf5', version: '1.10.7', hash: 'xqh5iyjjtrp2jw632cchacn3l7vqzf3m', specfileVersion: 2 });
    expect(spec!.dependencies).toEqual([
      { name: 'cmake', hash: 'o2axmiarbjjqvpgptaygwbho57fboh5q', types: ['build'] },
      { name: 'openmpi', hash: 'otn7dvn6ttndprabayv2eeghl5cw6yul', types: ['build', 'link'] },
      { name: 'pkgconf', hash: 'xdlqvfbqcoaym7lcmxyjmqmg476tah2g', types: ['run'] },
      { name: 'zlib', hash: 'opqb5c3tbu5c7fv2bh5mk54rbaco5zt6', types: ['build', 'link'] },
    ]);
  });

  it('reads a v1 (Spack 0.13) spec: a list of {name: node} with a dependency map', () => {
    const text = read('hdf5.v013.excerpt.json');
    const { spec, findings } = parseSpackSpec(text, specAt('hdf5-1.10.5-vglgw4reavn65vx5d4dlqn6rjywnq76d'));
    expect(findings).toEqual([]);
    expect(spec).toEqual({
      name: 'hdf5',
      version: '1.10.5',
      hash: 'vglgw4reavn65vx5d4dlqn6rjywnq76d',
      namespace: 'builtin',
      specfileVersion: 1,
      external: false,
      nodeCount: 3,
      dependencies: [
        { name: 'openmpi', hash: 'zh3vjn5ry6xnfw2un7eppb6afgj7iszi', types: ['build', 'link'] },
        { name: 'zlib', hash: 'ikd3yzdjgm2i4hc2jxpv4foy6w2ro3rr', types: ['build', 'link'] },
      ],
    });
    const hwloc = parseSpackSpec(text, specAt('hwloc-1.11.11-xmpaw5l62w7tbioaccqyafxd6pg33xlp')).spec!;
    expect(hwloc.dependencies.map((d) => `${d.name}:${d.types.join('+')}`)).toEqual([
      'libpciaccess:build+link',
      'libxml2:build+link',
      'numactl:build+link',
      'pkgconf:build',
    ]);
  });

  it('reads a v5 spec (buildcache wrapper, parameters.deptypes, an external compiler node)', () => {
    const text = read('libdwarf.v5.buildcache.spec.json');
    const { spec, findings } = parseSpackSpec(text, 'build_cache/libdwarf-20130729-u5uz3dcch5if4eve4sef67o2rf2lbfgh/.spack/spec.json');
    expect(findings).toEqual([]);
    expect(spec).toEqual({
      name: 'libdwarf',
      version: '20130729',
      hash: 'u5uz3dcch5if4eve4sef67o2rf2lbfgh',
      namespace: 'builtin.mock',
      specfileVersion: 5,
      external: false,
      nodeCount: 5,
      dependencies: [
        { name: 'compiler-wrapper', hash: 'qeehcxyvluwnihsc2qxstmpomtxo3lrc', types: ['build'] },
        { name: 'gcc', hash: 'vd7v4ssgnoqdplgxyig3orum67n4vmhq', types: ['build'] },
        { name: 'gcc-runtime', hash: 'izgzpzeljwairalfjm3k6fntbb64nt6n', types: ['link'] },
        { name: 'libelf', hash: 'jr3yipyxyjulcdvckwwwjrrumis7glpa', types: ['build', 'link'] },
      ],
    });
    const gcc = parseSpackSpec(text, 'x/gcc-10.2.1-vd7v4ssgnoqdplgxyig3orum67n4vmhq/.spack/spec.json').spec!;
    expect([gcc.name, gcc.version, gcc.external, gcc.dependencies]).toEqual(['gcc', '10.2.1', true, []]);
  });

  it('reports unreadable files as error findings', () => {
    const src = 'opt/x/.spack/spec.json';
    const bad = parseSpackSpec(read('hdf5.v019.excerpt.json').slice(0, 500), src);
    expect(bad.spec).toBeNull();
    expect(bad.findings.map((f) => [f.severity, f.code])).toEqual([['error', 'spack-spec-invalid-json']]);
    expect(bad.findings[0].message.startsWith(`${src}: not valid JSON (`)).toBe(true);
    expect(parseSpackSpec('{"spec": {}}', src).findings.map((f) => f.code)).toEqual(['spack-spec-unknown-format']);
    expect(parseSpackSpec('{"spec": {"_meta": {"version": 5}, "nodes": []}}', src).findings.map((f) => f.code)).toEqual([
      'spack-spec-empty',
    ]);
  });

  it('warns about a dependency without a hash and keeps the others', () => {
    const doc = JSON.parse(read('hdf5.v019.excerpt.json')) as { spec: { nodes: { dependencies: { hash?: string }[] }[] } };
    delete doc.spec.nodes[0].dependencies[1].hash;
    const { spec, findings } = parseSpackSpec(JSON.stringify(doc), 'a/.spack/spec.json');
    expect(spec!.dependencies.map((d) => d.name)).toEqual(['cmake', 'pkgconf', 'zlib']);
    expect(findings.map((f) => f.message)).toEqual([
      'a/.spack/spec.json: dependency "openmpi" of hdf5 has no name or hash',
    ]);
  });
});

describe('isSpackSpecPath and spackPrefixOf', () => {
  it('recognises the spec file of an install prefix', () => {
    const p = specAt('zlib-1.2.13-u6syk2ltdnieczseg36cukrhbts7aoqk');
    expect(isSpackSpecPath(p)).toBe(true);
    expect(spackPrefixOf(p)).toBe(`${ROOT}/zlib-1.2.13-u6syk2ltdnieczseg36cukrhbts7aoqk`);
    expect(isSpackSpecPath('.spack/spec.json')).toBe(true);
    expect(spackPrefixOf('.spack/spec.json')).toBe('');
  });

  it('rejects other files of the .spack directory and look-alikes', () => {
    for (const p of [
      `${ROOT}/zlib-1.2.13-x/.spack/spec.yaml`,
      `${ROOT}/zlib-1.2.13-x/.spack/install_manifest.json`,
      `${ROOT}/zlib-1.2.13-x/.spack/repos/builtin/packages/zlib/package.py`,
      `${ROOT}/zlib-1.2.13-x/spack/spec.json`,
      `${ROOT}/zlib-1.2.13-x/x.spack/spec.json`,
      'spec.json',
    ]) {
      expect(isSpackSpecPath(p), p).toBe(false);
      expect(spackPrefixOf(p), p).toBeNull();
    }
  });
});
