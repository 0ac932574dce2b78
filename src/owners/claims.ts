/** Helpers collectors share to turn package file lists into node claims. */
import type { Finding } from '../findings.js';
import { NO_NODE } from '../tree/path-table.js';
import type { MergedTree } from '../tree/merged-tree.js';
import type { Claims, Owner } from './types.js';

export function emptyClaims(): Claims {
  return { owners: [], exact: new Map(), scopes: new Map(), findings: [] };
}

/**
 * The node a package's listed path names. Present paths resolve through symlinked directories the
 * image has (Debian's merged /usr: /bin/bash is /usr/bin/bash); paths no longer present (deleted by
 * a later layer) are looked up as written, so their wasted bytes still find their package.
 */
export function nodeForListedPath(tree: MergedTree, absPath: string): number {
  const resolved = tree.resolve(absPath, false);
  if (resolved !== NO_NODE) return resolved;
  return tree.paths.lookup(absPath.replace(/^\/+/, '').replace(/\/+$/, ''));
}

/**
 * Claims each listed path that is (or was) a non-directory for owner `ownerIndex`; a path already
 * claimed by an earlier package stays with it (the database order decides) and is counted.
 * Returns how many listed regular files are absent from the merged tree.
 */
export function claimListedPaths(tree: MergedTree, claims: Claims, ownerIndex: number, paths: Iterable<string>, conflicts: { count: number; example: string | null }): number {
  let missing = 0;
  for (const p of paths) {
    const node = nodeForListedPath(tree, p);
    if (node === NO_NODE) {
      missing++;
      continue;
    }
    // Directories (also ones a later layer deleted) are shared by many packages and hold no bytes;
    // claiming one would make everything under it look owned.
    if (tree.isDir(node) || (!tree.isPresent(node) && tree.paths.firstChild[node] !== NO_NODE)) continue;
    if (!tree.isPresent(node)) missing++;
    const prev = claims.exact.get(node);
    if (prev === undefined) claims.exact.set(node, ownerIndex);
    else if (prev !== ownerIndex) {
      conflicts.count++;
      conflicts.example ??= p;
    }
  }
  return missing;
}

export function conflictFinding(kind: string, conflicts: { count: number; example: string | null }): Finding[] {
  if (conflicts.count === 0) return [];
  return [{
    severity: 'info',
    code: `${kind}-shared-paths`,
    message: `${conflicts.count} paths are listed by more than one ${kind} package (e.g. ${conflicts.example}); each counts for the first package in database order`,
  }];
}

export type OwnerDraft = Claims['owners'][number];

export function draft(o: Omit<Owner, 'bytes' | 'files' | 'layerBytes' | 'wastedBytes'>): OwnerDraft {
  return o;
}
