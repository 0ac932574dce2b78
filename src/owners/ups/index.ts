/** Fermilab UPS product databases: which files to keep, the model of an image's builds, the graph. */
export { isUpsMetadataPath, UPS_METADATA_MAX_BYTES } from './metadata-path.js';
export { buildUpsModel, selectTableBlock, type UpsInputFile } from './model.js';
export { buildUpsGraph, upsReports, BUILD_TOOLS, type UpsEdge, type UpsGraph, type UpsReports } from './graph.js';
export { canonicalQualifiers, qualifierSet } from './qualifiers.js';
export { parseFqDir, fqDirCandidates, type FqDir } from './fq-dir.js';
export { parseUpsVersion, type UpsVersionFile, type UpsVersionBlock } from './parse-version.js';
export { parseUpsChain, type UpsChainFile, type UpsChainBlock } from './parse-chain.js';
export { parseUpsTable, type UpsTable, type UpsTableBlock, type UpsRequire, type UpsEnvSet, type UpsLdEntry } from './parse-table.js';
export { parseUpsDbConfig, type UpsDbConfig } from './parse-dbconfig.js';
export type { UpsOwner, UpsLevel, UpsBuild, UpsModel, UpsRequirement, UpsDatabase } from './types.js';
