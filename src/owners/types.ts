/**
 * The owners data model: who every byte belongs to. An owner is an OS package, a UPS product build
 * (or a product version's shared files, or a product's metadata), a Spack package, or an unowned
 * directory group. Field names mirror `owners --json` (a contract; see docs/analysis.schema.json).
 */
import type { Finding } from '../findings.js';
import type { MergedTree } from '../tree/merged-tree.js';
import type { CapturedFiles } from './capture.js';
import type { UpsGraph, UpsModel } from './ups/index.js';

export type OwnerKind = 'dpkg' | 'rpm' | 'apk' | 'ups' | 'spack' | 'dir';
export const OWNER_KINDS: readonly OwnerKind[] = ['dpkg', 'rpm', 'apk', 'ups', 'spack', 'dir'];

export interface Owner {
  /** `dpkg:adduser`, `rpm:glibc`, `ups:root/v6_12_06a/Linux64bit+3.10-2.17/e17:prof`, `dir:/mu2e/Offline`. */
  id: string;
  kind: OwnerKind;
  name: string;
  version: string | null;
  /** Regular-file bytes present in the merged tree (each inode once). */
  bytes: number;
  /** Regular-file paths present in the merged tree. */
  files: number;
  /** What the package database declares, in bytes; null where none. */
  declaredBytes: number | null;
  /** Regular-file bytes stored in each layer at this owner's paths (index = layer). */
  layerBytes: number[];
  /** Bytes stored in some layer at this owner's paths but hidden by a later layer. */
  wastedBytes: number;
  /** Package managers: listed regular files not present (deleted, or docs under tsflags=nodocs). */
  missingFiles?: number;
  architecture?: string | null;
  /** rpm: the package epoch (null when none). */
  epoch?: number | null;
  /** UPS */
  product?: string;
  flavor?: string | null;
  qualifiers?: string | null;
  level?: 'build' | 'version' | 'product' | 'database';
  /** Owner ids (or `product version -q quals` text when unresolved) this owner needs at run time. */
  requires?: string[];
  chains?: string[];
  declared?: boolean;
  /** Spack */
  hash?: string;
}

/** What a collector claims: exact paths (package file lists) or whole subtrees (install prefixes). */
export interface Claims {
  owners: Omit<Owner, 'bytes' | 'files' | 'layerBytes' | 'wastedBytes'>[];
  /** Exact node claims: node → index into `owners`. Package managers claim files and symlinks. */
  exact: Map<number, number>;
  /** Subtree claims: the node starts a scope owned by `owners[i]` (nearest enclosing scope wins). */
  scopes: Map<number, number>;
  findings: Finding[];
  /** Ecosystem-specific facts for reports (UPS: unreferenced builds, build-only products). */
  report?: Record<string, unknown>;
  /** The UPS model and dependency graph, for the prune planner (UPS collector only). */
  ups?: { model: UpsModel; graph: UpsGraph };
}

export interface CollectContext {
  tree: MergedTree;
  /** Captured contents of the files this collector asked for, as visible in the merged tree. */
  files: CapturedFiles;
}

/** One package ecosystem: which files it needs while streaming, and what it claims from them. */
export interface OwnerCollector {
  readonly kind: OwnerKind;
  /** Cheap test run on every tar entry path (relative, no leading slash). */
  wants(path: string): boolean;
  /** Files larger than this are not captured for this collector (default: the capture limit). */
  readonly maxFileBytes?: number;
  collect(ctx: CollectContext): Promise<Claims>;
}
