import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isUpsMetadataPath } from '../../../src/owners/ups/metadata-path.js';

export const FIXTURES = fileURLToPath(new URL('../../../fixtures/owners/ups/', import.meta.url));

export function fixtureText(rel: string): string {
  return readFileSync(join(FIXTURES, rel), 'utf8');
}

export interface TreeNode {
  path: string;
  isDir: boolean;
}

/** Every node of a fixture tree, parents before children, names sorted (like the merged-tree walk). */
export function walkTree(rel: string): TreeNode[] {
  const root = join(FIXTURES, rel);
  const out: TreeNode[] = [];
  const walk = (sub: string) => {
    for (const name of readdirSync(join(root, sub)).sort()) {
      const p = sub ? `${sub}/${name}` : name;
      const isDir = statSync(join(root, p)).isDirectory();
      out.push({ path: p, isDir });
      if (isDir) walk(p);
    }
  };
  walk('');
  return out;
}

/** What whittle's glue gives the model for a fixture tree: kept files' texts and `dirExists`. */
export function loadTree(rel: string): { nodes: TreeNode[]; files: { path: string; text: string }[]; dirs: Set<string>; dirExists: (p: string) => boolean } {
  const nodes = walkTree(rel);
  const dirs = new Set(nodes.filter((n) => n.isDir).map((n) => n.path));
  const files = nodes
    .filter((n) => !n.isDir && isUpsMetadataPath(n.path))
    .map((n) => ({ path: n.path, text: readFileSync(join(FIXTURES, rel, n.path), 'utf8') }));
  return { nodes, files, dirs, dirExists: (p) => dirs.has(p) };
}
