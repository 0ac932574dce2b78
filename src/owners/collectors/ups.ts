/**
 * Fermilab UPS: every product database in the image (`.upsfiles/dbconfig`, `<prod>/<ver>.version/`),
 * its builds (product, version, flavor, qualifier set), their dependencies from table files, and
 * the scopes that attribute each path to a build, a product version's shared files, or a product.
 */
import { NO_NODE } from '../../tree/path-table.js';
import { emptyClaims } from '../claims.js';
import { buildUpsGraph, buildUpsModel, isUpsMetadataPath, UPS_METADATA_MAX_BYTES, upsReports, type UpsOwner } from '../ups/index.js';

import type { Claims, CollectContext, OwnerCollector } from '../types.js';

export const upsCollector: OwnerCollector = {
  kind: 'ups',
  wants: isUpsMetadataPath,
  // `*.table` also matches data tables; real UPS metadata files are a few KB.
  maxFileBytes: UPS_METADATA_MAX_BYTES,
  async collect({ tree, files }: CollectContext): Promise<Claims> {
    const claims = emptyClaims();
    const inputs = [...files.entries(isUpsMetadataPath)].map(([path, data]) => ({ path, text: data.toString('latin1') }));
    if (inputs.length === 0) return claims;
    const dirExists = (rel: string) => {
      const node = tree.paths.lookup(rel);
      return node !== NO_NODE && (tree.isDir(node) || (!tree.isPresent(node) && tree.paths.firstChild[node] !== NO_NODE));
    };
    const { model, findings } = buildUpsModel(inputs, dirExists);
    claims.findings.push(...findings);
    if (model.builds().length === 0 && model.databases().length === 0) return claims;
    const { graph, findings: gf } = buildUpsGraph(model);
    claims.findings.push(...gf);
    const reports = upsReports(model, graph);

    const requiresOf = new Map<string, string[]>();
    for (const b of model.builds()) {
      const resolved = graph.dependenciesOf(b.id).filter((e) => !e.optional).map((e) => e.to);
      const unresolved = graph.unresolved.filter((u) => u.from === b.id && !u.requirement.optional).map((u) => {
        const r = u.requirement;
        return `${r.product}${r.version ? ` ${r.version}` : ''}${r.qualifiers ? ` -q ${r.qualifiers}` : ''}`;
      });
      requiresOf.set(b.id, [...new Set([...resolved, ...unresolved])]);
    }
    const toDraft = (o: UpsOwner): Claims['owners'][number] => {
      const build = o.level === 'build' ? model.build(o.id) : undefined;
      return {
        id: o.id,
        kind: 'ups',
        name: o.product || o.id.slice(4),
        version: o.version,
        declaredBytes: null,
        product: o.product,
        flavor: o.flavor,
        qualifiers: o.qualifiers,
        level: o.level,
        declared: o.declared,
        ...(o.level === 'build' ? { requires: requiresOf.get(o.id) ?? [], chains: build?.chains ?? [] } : {}),
      };
    };
    // Scopes by node: the paths the model claims by name, then every directory under a database
    // root (undeclared version and fq dirs are recognised by name). Files are never walked: on a
    // Mu2e image they are most of the million paths, and only claimed ones start a scope.
    const index = new Map<string, number>();
    const ownerIndex = (o: UpsOwner): number => {
      let i = index.get(o.id);
      if (i === undefined) {
        i = claims.owners.length;
        index.set(o.id, i);
        claims.owners.push(toDraft(o));
      }
      return i;
    };
    const paths = tree.paths;
    for (const [path, owner] of model.claimedPaths()) {
      const node = paths.lookup(path);
      if (node !== NO_NODE) claims.scopes.set(node, ownerIndex(owner));
    }
    for (const root of model.roots()) {
      const start = paths.lookup(root);
      if (start === NO_NODE) continue;
      const stack: [number, string][] = [[start, root]];
      while (stack.length > 0) {
        const [node, path] = stack.pop()!;
        for (let c = paths.firstChild[node]!; c !== NO_NODE; c = paths.nextSibling[c]!) {
          const isDir = tree.isPresent(c) ? tree.isDir(c) : paths.firstChild[c] !== NO_NODE;
          if (!isDir) continue;
          const p = path === '' ? paths.nameOf(c) : `${path}/${paths.nameOf(c)}`;
          if (!claims.scopes.has(c)) {
            const o = model.ownerOf(p, true);
            if (o) claims.scopes.set(c, ownerIndex(o));
          }
          stack.push([c, p]);
        }
      }
    }
    claims.ups = { model, graph };
    claims.report = {
      databases: model.databases().map((d) => `/${d.path}`),
      builds: model.builds().length,
      roots: reports.roots.map((b) => b.id),
      unreferenced: reports.unreferenced.map((b) => b.id),
      buildOnly: reports.buildOnly.map((x) => ({ id: x.build.id, reason: x.reason })),
    };
    return claims;
  },
};
