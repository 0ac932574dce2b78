/** Spack: every install prefix holding `.spack/spec.json` is one package, owning its subtree. */
import { emptyClaims } from '../claims.js';
import { isSpackSpecPath, parseSpackSpec, spackPrefixOf, type SpackSpec } from '../spack/parse-spec.js';
import type { Claims, CollectContext, OwnerCollector } from '../types.js';

export const spackCollector: OwnerCollector = {
  kind: 'spack',
  wants: isSpackSpecPath,
  async collect({ tree, files }: CollectContext): Promise<Claims> {
    const claims = emptyClaims();
    const specs: SpackSpec[] = [];
    for (const [path, data] of files.entries(isSpackSpecPath)) {
      const prefix = spackPrefixOf(path);
      if (prefix === null) continue;
      const r = parseSpackSpec(data.toString('utf8'), path);
      claims.findings.push(...r.findings);
      if (!r.spec) continue;
      const node = tree.paths.lookup(prefix);
      if (node < 0) continue;
      claims.scopes.set(node, claims.owners.length);
      specs.push(r.spec);
      claims.owners.push({
        id: `spack:${r.spec.name}@${r.spec.version}/${r.spec.hash.slice(0, 7)}`,
        kind: 'spack',
        name: r.spec.name,
        version: r.spec.version,
        declaredBytes: null,
        hash: r.spec.hash,
      });
    }
    // Run-time needs (link and run dependencies), as owner ids where the dependency is installed.
    const byHash = new Map(claims.owners.map((o) => [o.hash!, o.id]));
    specs.forEach((s, i) => {
      claims.owners[i]!.requires = s.dependencies
        .filter((d) => d.types.length === 0 || d.types.includes('link') || d.types.includes('run'))
        .map((d) => byHash.get(d.hash) ?? `spack:${d.name}/${d.hash.slice(0, 7)}`);
    });
    return claims;
  },
};
