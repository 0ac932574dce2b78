/**
 * `.upsfiles/dbconfig` marks a directory as a UPS database (DUNE-DAQ daq-release:
 * `FILE = DBCONFIG / AUTHORIZED_NODES = * / VERSION_SUBDIR = 1 / PROD_DIR_PREFIX = ${UPS_THIS_DB} / …`).
 * whittle needs only PROD_DIR_PREFIX, the base of relative PROD_DIRs.
 */
import type { Finding } from '../../findings.js';
import { parseKvBlocks } from './kv-blocks.js';

export interface UpsDbConfig {
  /** As written, e.g. `${UPS_THIS_DB}`; null when absent. */
  prodDirPrefix: string | null;
  versionSubdir: boolean;
}

export function parseUpsDbConfig(text: string, source: string): { record: UpsDbConfig; findings: Finding[] } {
  const { file, findings } = parseKvBlocks(text, 'UPS dbconfig', source, '\u0000no-blocks');
  const h = file.header;
  if ((h.get('file') ?? '').toLowerCase() !== 'dbconfig') {
    findings.push({ severity: 'info', code: 'ups-dbconfig-malformed', message: `reading UPS dbconfig ${source}: no FILE = DBCONFIG line`, path: source });
  }
  return { record: { prodDirPrefix: h.get('prod_dir_prefix') || null, versionSubdir: h.get('version_subdir') === '1' }, findings };
}
