/** The `--json` document of `whittle diff` (schema: docs/diff.schema.json; field names are a contract). */
import type { ImageDiff } from '../diff/types.js';

export const DIFF_SCHEMA_VERSION = 1;

export function diffToJson(d: ImageDiff, opts: { toolVersion: string; top: number }): Record<string, unknown> {
  return {
    schemaVersion: DIFF_SCHEMA_VERSION,
    tool: { name: 'whittle', version: opts.toolVersion },
    old: d.old,
    new: d.new,
    top: opts.top,
    totals: d.totals,
    layers: d.layers,
    owners: d.owners,
    directories: d.directories,
    files: d.files,
  };
}
