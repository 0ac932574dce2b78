/** dpkg: `status` (or distroless `status.d/*`) for packages, `info/<pkg>[:arch].list` for files. */
import { claimListedPaths, conflictFinding, emptyClaims } from '../claims.js';
import { divertedPath, indexDpkgDiversions, parseDpkgDiversions, parseDpkgFileList, parseDpkgMd5sums } from '../dpkg/parse-file-list.js';
import { parseDpkgStatus, type DpkgPackage } from '../dpkg/parse-status.js';
import { classifyDpkgDbPath, DPKG_DIVERSIONS, DPKG_STATUS, dpkgInfoCandidates, dpkgStatusDMd5sumsPath, isDpkgDbPath } from '../dpkg/paths.js';
import type { Claims, CollectContext, OwnerCollector } from '../types.js';

export const dpkgCollector: OwnerCollector = {
  kind: 'dpkg',
  wants: isDpkgDbPath,
  async collect({ tree, files }: CollectContext): Promise<Claims> {
    const claims = emptyClaims();
    const pkgs: { pkg: DpkgPackage; statusD: string | null }[] = [];
    const status = files.text(DPKG_STATUS);
    if (status !== undefined) {
      const r = parseDpkgStatus(status, DPKG_STATUS);
      claims.findings.push(...r.findings);
      for (const pkg of r.packages) pkgs.push({ pkg, statusD: null });
    }
    for (const [path, data] of files.entries((p) => classifyDpkgDbPath(p) === 'status-d')) {
      const r = parseDpkgStatus(data.toString('utf8'), path);
      claims.findings.push(...r.findings);
      for (const pkg of r.packages) pkgs.push({ pkg, statusD: path });
    }
    if (pkgs.length === 0) return claims;
    const divText = files.text(DPKG_DIVERSIONS);
    const diversions = divText ? indexDpkgDiversions(parseDpkgDiversions(divText, DPKG_DIVERSIONS).diversions) : new Map();
    const conflicts = { count: 0, example: null as string | null };
    const seen = new Set<string>();
    for (const { pkg, statusD } of pkgs) {
      const id = `dpkg:${pkg.name}${pkg.infoKey.includes(':') && seen.has(`dpkg:${pkg.name}`) ? `:${pkg.architecture}` : ''}`;
      seen.add(id);
      const index = claims.owners.length;
      claims.owners.push({
        id,
        kind: 'dpkg',
        name: pkg.name,
        version: pkg.version || null,
        declaredBytes: pkg.installedSizeBytes,
        architecture: pkg.architecture || null,
      });
      let listed: string[] | null = null;
      for (const cand of dpkgInfoCandidates(pkg)) {
        const t = files.text(cand);
        if (t !== undefined) {
          const r = parseDpkgFileList(t, cand);
          claims.findings.push(...r.findings);
          listed = r.paths;
          break;
        }
      }
      if (listed === null) {
        // Distroless: the md5sums next to the stanza file list the regular files.
        const md5 = statusD ? files.text(dpkgStatusDMd5sumsPath(statusD)) : dpkgInfoCandidates(pkg, 'md5sums').map((c) => files.text(c)).find((t) => t !== undefined);
        if (md5 !== undefined) listed = parseDpkgMd5sums(md5).files.map((f) => f.path);
      }
      if (listed === null) {
        claims.findings.push({ severity: 'warning', code: 'dpkg-no-file-list', message: `dpkg package ${pkg.name} has no file list in the image; its files are counted as unowned` });
        continue;
      }
      const paths = diversions.size > 0 ? listed.map((p) => divertedPath(p, pkg.name, diversions)) : listed;
      claims.owners[index]!.missingFiles = claimListedPaths(tree, claims, index, paths, conflicts);
    }
    claims.findings.push(...conflictFinding('dpkg', conflicts));
    return claims;
  },
};
