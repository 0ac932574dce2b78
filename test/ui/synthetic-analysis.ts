/**
 * A large analysis built in memory through whittle's own tree and owner code (no tar), shaped like
 * a Mu2e image: UPS-style products/<p>/<v>/<build>/{lib,include} with hundreds of files per build,
 * one flat directory of 100,000 files (the worst case for sorting children), a layer that
 * overwrites files and a layer that deletes product versions. Used to measure the UI at scale.
 */
import type { Analysis } from '../../src/analysis/analyze.js';
import { buildAnalysis } from '../../src/analysis/analyze.js';
import type { ImageLayer, ResolvedImage } from '../../src/image/types.js';
import { attributeOwners } from '../../src/owners/attribute.js';
import type { Claims } from '../../src/owners/types.js';
import { Kind, LayerIndex } from '../../src/tree/layer-index.js';
import { PathTable } from '../../src/tree/path-table.js';

export interface SyntheticShape {
  products: number;
  versions: number;
  builds: number;
  libFiles: number;
  headers: number;
  flatFiles: number;
}

/** About 1,000,000 entries: 180 × 5 × 2 × 500 product files + 100,000 flat files + directories. */
export const MILLION: SyntheticShape = { products: 180, versions: 5, builds: 2, libFiles: 400, headers: 100, flatFiles: 100_000 };

export function entriesOf(s: SyntheticShape): number {
  return s.products * s.versions * s.builds * (s.libFiles + s.headers) + s.flatFiles;
}

export function syntheticAnalysis(shape: SyntheticShape = MILLION): Analysis {
  const paths = new PathTable();
  let seed = 12345;
  const rand = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const size = () => Math.floor(rand() * rand() * 2_000_000) + 1;

  const l0 = new LayerIndex();
  const dir = (li: LayerIndex, p: string) => li.add(paths.intern(p), Kind.Dir, 0, 0o755, -1, 0, 0);
  const file = (li: LayerIndex, p: string, n = size()) => li.add(paths.intern(p), Kind.File, n, 0o644, -1, 0, 0);
  dir(l0, 'usr');
  dir(l0, 'usr/share');
  dir(l0, 'usr/share/big');
  for (let i = 0; i < shape.flatFiles; i++) file(l0, `usr/share/big/file-${i}.dat`);
  dir(l0, 'products');
  const builds: { dir: string; product: string; version: string; flavor: string }[] = [];
  for (let p = 0; p < shape.products; p++) {
    const product = `prod${p}`;
    dir(l0, `products/${product}`);
    for (let v = 0; v < shape.versions; v++) {
      const version = `v${v}_0_${p % 7}`;
      dir(l0, `products/${product}/${version}`);
      for (let b = 0; b < shape.builds; b++) {
        const flavor = b === 0 ? 'slf7.x86_64.e17.prof' : 'slf7.x86_64.e17.debug';
        const base = `products/${product}/${version}/${flavor}`;
        builds.push({ dir: base, product, version, flavor });
        dir(l0, base);
        dir(l0, `${base}/lib`);
        for (let f = 0; f < shape.libFiles; f++) file(l0, `${base}/lib/lib${product}_${f}.so`);
        dir(l0, `${base}/include`);
        for (let f = 0; f < shape.headers; f++) file(l0, `${base}/include/h${f}.hpp`, 2000 + f);
      }
    }
  }
  // Layer 1 overwrites the libraries of the first products; layer 2 deletes some versions.
  const l1 = new LayerIndex();
  for (let i = 0; i < Math.min(20, builds.length); i++) for (let f = 0; f < shape.libFiles; f += 4) file(l1, `${builds[i]!.dir}/lib/lib${builds[i]!.product}_${f}.so`);
  const l2 = new LayerIndex();
  for (let p = 0; p < shape.products; p += 9) l2.add(paths.lookup(`products/prod${p}/v0_0_${p % 7}`), Kind.Whiteout, 0, 0, -1, 0, 0);

  const trees = [l0, l1, l2];
  for (const t of trees) t.compact();
  paths.compact();
  // Asserted, not annotated: the image types may grow fields this in-memory image has no use for.
  const layers = trees.map((tree, index) => ({
    index,
    digest: `sha256:${String(index).repeat(64)}`,
    blobDigest: null,
    mediaType: null,
    compression: 'none',
    blobSize: 0,
    tarSize: 0,
    entries: tree.count,
    command: ['ADD base.tar /', 'RUN rebuild first products', 'RUN rm -rf old versions'][index]!,
    created: null,
    comment: null,
    source: `layer${index}.tar`,
    location: null,
    tree,
  })) as ImageLayer[];
  const image = {
    input: 'synthetic',
    format: 'docker-archive',
    outerCompression: 'none',
    inputBytes: 0,
    tags: ['synthetic/million:1'],
    platform: 'linux/amd64',
    manifestDigest: null,
    configDigest: null,
    config: null,
    rawConfig: null,
    rawManifest: null,
    layers,
    verified: false,
    findings: [],
  } as ResolvedImage;
  const a = buildAnalysis(image, paths);

  // One UPS build owner per build directory (a scope claim), as the UPS collector would make.
  const claims: Claims = { owners: [], exact: new Map(), scopes: new Map(), findings: [] };
  for (const b of builds) {
    const node = paths.lookup(b.dir);
    const quals = b.flavor.endsWith('prof') ? 'e17:prof' : 'e17:debug';
    claims.scopes.set(node, claims.owners.length);
    claims.owners.push({
      id: `ups:${b.product}/${b.version}/Linux64bit+3.10-2.17/${quals}`,
      kind: 'ups',
      name: b.product,
      version: b.version,
      declaredBytes: null,
      product: b.product,
      flavor: 'Linux64bit+3.10-2.17',
      qualifiers: quals,
      level: 'build',
      declared: true,
    });
  }
  const owners = attributeOwners(a.tree, [claims]);
  a.owners = { ...owners, reports: {}, ups: null };
  return a;
}
