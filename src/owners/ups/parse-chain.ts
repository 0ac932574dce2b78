/**
 * UPS chain files: `<db>/<prod>/<chain>.chain/<FLAVOR>_<QUALS>` or a single `<chain>.chain` file
 * with several FLAVOR blocks (coups `test/cigetcert.chain` has five). Each block names the
 * version (and qualifiers) the chain points to for that flavor.
 */
import type { Finding } from '../../findings.js';
import { parseKvBlocks } from './kv-blocks.js';
import { hasFileHeader } from './parse-version.js';
import { canonicalQualifiers } from './qualifiers.js';

export interface UpsChainBlock {
  flavor: string;
  version: string;
  rawQualifiers: string;
  qualifiers: string;
  line: number;
}

export interface UpsChainFile {
  product: string | null;
  /** `current`, `test`, … (from `CHAIN =`; null when absent). */
  chain: string | null;
  blocks: UpsChainBlock[];
}

/** Parse a chain file; `record` is null (no findings) when the text is not a UPS chain file. */
export function parseUpsChain(text: string, source: string): { record: UpsChainFile | null; findings: Finding[] } {
  if (!hasFileHeader(text, 'chain')) return { record: null, findings: [] };
  const { file, findings } = parseKvBlocks(text, 'UPS chain file', source);
  const blocks: UpsChainBlock[] = [];
  for (const b of file.blocks) {
    const flavor = b.fields.get('flavor') ?? '';
    const version = b.fields.get('version') ?? '';
    if (flavor === '' || version === '') {
      findings.push({ severity: 'warning', code: 'ups-chain-malformed', message: `reading UPS chain file ${source}: block at line ${b.line} has no ${flavor === '' ? 'FLAVOR' : 'VERSION'}`, path: source });
      continue;
    }
    const rawQualifiers = b.fields.get('qualifiers') ?? '';
    blocks.push({ flavor, version, rawQualifiers, qualifiers: canonicalQualifiers(rawQualifiers), line: b.line });
  }
  const product = file.header.get('product') || null;
  const chain = file.header.get('chain') || null;
  if (blocks.length === 0) {
    findings.push({ severity: 'warning', code: 'ups-chain-malformed', message: `reading UPS chain file ${source}: no FLAVOR block`, path: source });
  }
  return { record: { product, chain, blocks }, findings };
}
