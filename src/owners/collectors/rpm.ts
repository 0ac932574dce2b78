/**
 * rpm: the package database in any of its three formats (Berkeley DB `Packages`, SUSE's NDB
 * `Packages.db`, `rpmdb.sqlite`) at any of rpm's locations. Files flagged %doc or %license that
 * are absent (tsflags=nodocs) and %ghost files are not counted as missing.
 */
import { claimListedPaths, conflictFinding, emptyClaims } from '../claims.js';
import { isDir, RPMFILE_DOC, RPMFILE_GHOST, RPMFILE_LICENSE } from '../rpm/header.js';
import { parseRpmDb, RPMDB_PATHS } from '../rpm/parse-rpmdb.js';
import type { Claims, CollectContext, OwnerCollector } from '../types.js';

const WANTED = new Set(RPMDB_PATHS);

export const rpmCollector: OwnerCollector = {
  kind: 'rpm',
  wants: (path) => WANTED.has(path),
  async collect({ tree, files }: CollectContext): Promise<Claims> {
    const claims = emptyClaims();
    const conflicts = { count: 0, example: null as string | null };
    const seen = new Set<string>();
    let absentDocs = 0;
    for (const dbPath of RPMDB_PATHS) {
      const bytes = files.get(dbPath);
      if (!bytes) continue;
      const r = await parseRpmDb(bytes, dbPath);
      claims.findings.push(...r.findings);
      for (const pkg of r.packages) {
        const key = `${pkg.name}-${pkg.epoch ?? 0}:${pkg.version}-${pkg.release}.${pkg.arch}`;
        if (seen.has(key)) continue; // the same package seen through two db locations
        seen.add(key);
        let id = `rpm:${pkg.name}`;
        if (claims.owners.some((o) => o.id === id)) id = `rpm:${pkg.name}.${pkg.arch}`;
        if (claims.owners.some((o) => o.id === id)) id = `rpm:${pkg.name}-${pkg.version}-${pkg.release}.${pkg.arch}`;
        const index = claims.owners.length;
        claims.owners.push({
          id,
          kind: 'rpm',
          name: pkg.name,
          // version-release, as `rpm -q` prints it; the epoch is a field of its own
          version: `${pkg.version}-${pkg.release}`,
          epoch: pkg.epoch,
          declaredBytes: pkg.size,
          architecture: pkg.arch || null,
        });
        const paths: string[] = [];
        const docs: string[] = [];
        for (const f of pkg.files) {
          if (isDir(f.mode) || f.flags & RPMFILE_GHOST) continue;
          if (f.flags & (RPMFILE_DOC | RPMFILE_LICENSE)) docs.push(f.path);
          else paths.push(f.path);
        }
        claims.owners[index]!.missingFiles = claimListedPaths(tree, claims, index, paths, conflicts);
        absentDocs += claimListedPaths(tree, claims, index, docs, conflicts);
      }
    }
    if (absentDocs > 0) {
      claims.findings.push({ severity: 'info', code: 'rpm-docs-absent', message: `${absentDocs} files rpm flags as documentation are not in the image (installed with tsflags=nodocs); they are not counted` });
    }
    claims.findings.push(...conflictFinding('rpm', conflicts));
    return claims;
  },
};
