/**
 * The owner collectors, in precedence order for exact claims (see attribute.ts), and the pipeline
 * step that runs them over a merged tree. Adding an ecosystem (Conda, pip) = one more collector.
 */
import type { Finding } from '../findings.js';
import type { MergedTree } from '../tree/merged-tree.js';
import { attributeOwners, type OwnersResult } from './attribute.js';
import type { CaptureStore } from './capture.js';
import { apkCollector } from './collectors/apk.js';
import { dpkgCollector } from './collectors/dpkg.js';
import { rpmCollector } from './collectors/rpm.js';
import { spackCollector } from './collectors/spack.js';
import { upsCollector } from './collectors/ups.js';
import type { Claims, OwnerCollector } from './types.js';
import type { UpsGraph, UpsModel } from './ups/index.js';

export const COLLECTORS: readonly OwnerCollector[] = [dpkgCollector, rpmCollector, apkCollector, spackCollector, upsCollector];

/** Whether any collector wants this file's content (runs on every tar entry). */
export function ownersWant(path: string, size: number): boolean {
  for (const c of COLLECTORS) if (c.wants(path) && size <= (c.maxFileBytes ?? Infinity)) return true;
  return false;
}

export interface OwnersAnalysis extends OwnersResult {
  /** Per-ecosystem report facts (UPS roots, unreferenced builds, build-only products). */
  reports: Partial<Record<string, Record<string, unknown>>>;
  /** The UPS model and dependency graph when the image has UPS databases. */
  ups: { model: UpsModel; graph: UpsGraph } | null;
}

export async function collectOwners(tree: MergedTree, store: CaptureStore): Promise<OwnersAnalysis> {
  const files = store.visible(tree);
  const claims: Claims[] = [];
  const reports: OwnersAnalysis['reports'] = {};
  let ups: OwnersAnalysis['ups'] = null;
  const findings: Finding[] = [...store.findings];
  for (const c of COLLECTORS) {
    try {
      const r = await c.collect({ tree, files });
      claims.push(r);
      if (r.report) reports[c.kind] = r.report;
      if (r.ups) ups = r.ups;
    } catch (err) {
      // A collector failing must not lose the analysis: its bytes stay unowned, and we say so.
      findings.push({ severity: 'warning', code: `${c.kind}-failed`, message: `reading the ${c.kind} database failed: ${(err as Error).message}; its files are counted as unowned` });
    }
  }
  const result = attributeOwners(tree, claims);
  return { ...result, findings: [...findings, ...result.findings], reports, ups };
}
