/** apk (Alpine): `lib/apk/db/installed` lists packages and their files. */
import { claimListedPaths, conflictFinding, emptyClaims } from '../claims.js';
import { APK_INSTALLED, APK_INSTALLED_USR, isApkDbPath, parseApkInstalled } from '../apk/parse-installed.js';
import type { Claims, CollectContext, OwnerCollector } from '../types.js';

export const apkCollector: OwnerCollector = {
  kind: 'apk',
  wants: isApkDbPath,
  async collect({ tree, files }: CollectContext): Promise<Claims> {
    const claims = emptyClaims();
    const path = files.has(APK_INSTALLED) ? APK_INSTALLED : APK_INSTALLED_USR;
    const text = files.text(path);
    if (text === undefined) return claims;
    const r = parseApkInstalled(text, path);
    claims.findings.push(...r.findings);
    const conflicts = { count: 0, example: null as string | null };
    for (const pkg of r.packages) {
      const index = claims.owners.length;
      claims.owners.push({
        id: `apk:${pkg.name}`,
        kind: 'apk',
        name: pkg.name,
        version: pkg.version || null,
        declaredBytes: pkg.installedSizeBytes,
        architecture: pkg.architecture,
      });
      claims.owners[index]!.missingFiles = claimListedPaths(tree, claims, index, pkg.files, conflicts);
    }
    claims.findings.push(...conflictFinding('apk', conflicts));
    return claims;
  },
};
