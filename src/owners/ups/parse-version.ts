/**
 * UPS version files: `<db>/<prod>/<ver>.version/<FLAVOR>_<QUALS>` (one build each, cetmodules
 * `Ups.cmake` naming) or the older single `<db>/<prod>/<ver>.version` file; both may hold several
 * FLAVOR blocks. Example (DUNE-DAQ daq-release `pugixml/v1_11.version/Linux64bit+3.10-2.17_e19`):
 * `FILE = version / PRODUCT = pugixml / VERSION = v1_11 / FLAVOR = … / QUALIFIERS = "e19" /
 * PROD_DIR = pugixml/v1_11 / UPS_DIR = ups / TABLE_FILE = pugixml.table`.
 */
import type { Finding } from '../../findings.js';
import { parseKvBlocks } from './kv-blocks.js';
import { canonicalQualifiers } from './qualifiers.js';

export interface UpsVersionBlock {
  flavor: string;
  /** Qualifiers as written, quotes removed (`e17:prof`, `prof:e17`, `''`). */
  rawQualifiers: string;
  /** Canonical qualifier text (see `qualifiers.ts`). */
  qualifiers: string;
  /** As written; relative to the db's PROD_DIR_PREFIX unless absolute; null when absent. */
  prodDir: string | null;
  /** Relative to PROD_DIR unless absolute. */
  upsDir: string | null;
  tableFile: string | null;
  tableDir: string | null;
  /** 1-based line of the FLAVOR key. */
  line: number;
}

export interface UpsVersionFile {
  product: string | null;
  version: string | null;
  blocks: UpsVersionBlock[];
}

/** True when the first meaningful line is `FILE = <kind>` (any case, any spacing). */
export function hasFileHeader(text: string, kind: string): boolean {
  let i = 0;
  const n = text.length;
  while (i < n) {
    let end = text.indexOf('\n', i);
    if (end < 0) end = n;
    const line = text.slice(i, end).trim();
    i = end + 1;
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) return false;
    return line.slice(0, eq).trim().toLowerCase() === 'file' && line.slice(eq + 1).trim().replace(/^"|"$/g, '').toLowerCase() === kind;
  }
  return false;
}

function opt(v: string | undefined): string | null {
  return v === undefined || v === '' ? null : v;
}

/**
 * Parse a version file. `record` is null (with no findings) when the text is not a UPS version
 * file at all: `isUpsMetadataPath` keeps any `*.version` path and most of them are something else.
 */
export function parseUpsVersion(text: string, source: string): { record: UpsVersionFile | null; findings: Finding[] } {
  if (!hasFileHeader(text, 'version')) return { record: null, findings: [] };
  const { file, findings } = parseKvBlocks(text, 'UPS version file', source);
  const blocks: UpsVersionBlock[] = [];
  for (const b of file.blocks) {
    const flavor = b.fields.get('flavor') ?? '';
    if (flavor === '') {
      findings.push({ severity: 'warning', code: 'ups-version-malformed', message: `reading UPS version file ${source}: line ${b.line} has an empty FLAVOR`, path: source });
      continue;
    }
    const rawQualifiers = b.fields.get('qualifiers') ?? '';
    blocks.push({
      flavor,
      rawQualifiers,
      qualifiers: canonicalQualifiers(rawQualifiers),
      prodDir: opt(b.fields.get('prod_dir')),
      upsDir: opt(b.fields.get('ups_dir')),
      tableFile: opt(b.fields.get('table_file')),
      tableDir: opt(b.fields.get('table_dir')),
      line: b.line,
    });
  }
  const product = opt(file.header.get('product'));
  const version = opt(file.header.get('version'));
  if (product === null || version === null) {
    findings.push({ severity: 'warning', code: 'ups-version-malformed', message: `reading UPS version file ${source}: no ${product === null ? 'PRODUCT' : 'VERSION'} line`, path: source });
  }
  if (blocks.length === 0) {
    findings.push({ severity: 'warning', code: 'ups-version-malformed', message: `reading UPS version file ${source}: no FLAVOR block`, path: source });
  }
  return { record: { product, version, blocks }, findings };
}
