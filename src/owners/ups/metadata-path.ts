/**
 * Which tar entries the UPS collector reads. Runs on every entry of every layer (a million and
 * more), so it is plain string tests, no regex and no allocation. False positives are fine (the
 * parsers drop files that are not UPS files); false negatives are not.
 * Kept: `.upsfiles/dbconfig`; files inside `<x>.version/` and old single `<x>.version` files;
 * files inside `<x>.chain/` and `<x>.chain` files; every `*.table` (`ups/<x>.table`, and tables
 * living in a db's product dir or a TABLE_DIR).
 */
export function isUpsMetadataPath(relPath: string): boolean {
  return (
    relPath.endsWith('.table') ||
    relPath.endsWith('.version') ||
    relPath.endsWith('.chain') ||
    relPath.indexOf('.version/') >= 0 ||
    relPath.indexOf('.chain/') >= 0 ||
    relPath.endsWith('.upsfiles/dbconfig')
  );
}

/**
 * Largest file worth reading as UPS metadata. Real version, chain and table files are a few KB
 * (wirecell's table, one of the longest, is 4.7 KB); `*.table` also matches data tables that can be
 * huge, so the glue should skip kept files above this size instead of buffering them.
 */
export const UPS_METADATA_MAX_BYTES = 1 << 20;
