/**
 * The `--json` document of `whittle analyze` (schema: docs/analysis.schema.json). Field names here
 * are a contract other tools read: add fields freely, never rename without a compatibility path.
 */
import type { Analysis } from '../analysis/analyze.js';
import type { Finding } from '../findings.js';
import { ownerJson } from './owners-report.js';

export const SCHEMA_VERSION = 1;

export interface JsonOptions {
  /** How many largest files / directories to list. */
  top: number;
  toolVersion: string;
}

export function analysisToJson(a: Analysis, opts: JsonOptions): Record<string, unknown> {
  const img = a.image;
  const cfg = img.config;
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'whittle', version: opts.toolVersion },
    input: {
      path: img.input,
      format: img.format,
      compression: img.outerCompression,
      bytes: img.inputBytes,
      verified: img.verified,
    },
    image: {
      tags: img.tags,
      platform: img.platform,
      manifestDigest: img.manifestDigest,
      configDigest: img.configDigest,
      created: cfg?.created ?? null,
      env: cfg?.env ?? [],
      entrypoint: cfg?.entrypoint ?? null,
      cmd: cfg?.cmd ?? null,
      workingDir: cfg?.workingDir ?? null,
      user: cfg?.user ?? null,
      labels: cfg?.labels ?? {},
    },
    layers: a.layers.map((l) => ({
      index: l.index,
      digest: l.digest,
      blobDigest: l.blobDigest,
      mediaType: l.mediaType,
      compression: l.compression,
      blobSize: l.blobSize,
      tarSize: l.tarSize,
      command: l.command,
      created: l.created,
      size: l.size,
      entries: l.entries,
      counts: l.counts,
      wastedBytes: l.wastedBytes,
      waste: l.waste,
      changes: l.changes,
      diveSize: l.diveSize,
      topFiles: l.topFiles,
    })),
    totals: a.totals,
    dive: a.dive,
    largestFiles: a.tree.largestFiles(opts.top).map((f) => ({
      path: `/${a.tree.pathOf(f.node)}`,
      size: f.size,
      layer: a.tree.layerOf(f.node),
    })),
    largestDirectories: a.tree.largestDirectories(opts.top).map((d) => ({
      path: `/${a.tree.pathOf(d.node)}`,
      size: d.size,
      files: a.tree.cumulativeFiles(d.node),
    })),
    owners: a.owners
      ? {
          byKind: ownerKindTotals(a),
          top: a.owners.owners.slice(0, opts.top).map(ownerJson),
        }
      : null,
    findings: a.findings.map(findingJson),
  };
}

export function ownerKindTotals(a: Analysis): Record<string, { owners: number; bytes: number; files: number }> {
  const byKind: Record<string, { owners: number; bytes: number; files: number }> = {};
  for (const o of a.owners?.owners ?? []) {
    const k = (byKind[o.kind] ??= { owners: 0, bytes: 0, files: 0 });
    k.owners++;
    k.bytes += o.bytes;
    k.files += o.files;
  }
  return byKind;
}

export function findingJson(f: Finding): Record<string, unknown> {
  return {
    severity: f.severity,
    code: f.code,
    message: f.message,
    layer: f.layer ?? null,
    path: f.path === undefined ? null : `/${f.path}`,
  };
}
