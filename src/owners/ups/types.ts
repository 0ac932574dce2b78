/**
 * Public shapes of the UPS model. Owner ids are a contract other code depends on:
 * - build `ups:<product>/<version>/<flavor>/<canonical quals>`, last segment and its slash omitted
 *   when the qualifier set is empty (`ups:gcc/v7_3_0/Linux64bit+3.10-2.17`, `ups:g4neutron/v4_5/NULL`);
 * - product-version common files (`include/`, `source/`, `ups/` directly in `<prod>/<ver>/`):
 *   `ups:<product>/<version>`;
 * - product-level metadata (chain files, the product dir itself): `ups:<product>`;
 * - database metadata (`.upsfiles/`, `.updfiles/`, `setup`, `setups`, `setups_layout` at a db root):
 *   `ups:/<db root>` (a leading `/`, which no product name has).
 */

export type UpsLevel = 'build' | 'version' | 'product' | 'database';

export interface UpsOwner {
  id: string;
  /** `''` for a database owner. */
  product: string;
  version: string | null;
  flavor: string | null;
  /** Canonical qualifier text (`''` for none); null above build level. */
  qualifiers: string | null;
  level: UpsLevel;
  /** False when no version file declares it (found only as a directory). */
  declared: boolean;
}

/** One requirement of a build, from its table block. */
export interface UpsRequirement {
  product: string;
  version: string | null;
  /** Canonical required qualifiers; null when the command has no `-q`. */
  qualifiers: string | null;
  optional: boolean;
  optionalQualifiers: string[];
  /** `-f` flavor, when given. */
  flavor: string | null;
  /** Chain to use when no version is given (`-c`, `-g x`); null means UPS's default, `current`. */
  chain: string | null;
  /** The table file and line the requirement comes from. */
  table: string;
  line: number;
  /** `path:line: command` for messages. */
  where: string;
}

export interface UpsDatabase {
  /** Relative path of the db root (`products`, `cvmfs/mu2e.opensciencegrid.org/artexternals`; `''` = image root). */
  path: string;
  /** Whether `.upsfiles/dbconfig` was read. */
  hasDbConfig: boolean;
  /** Base of relative PROD_DIRs, relative path. */
  prodDirPrefix: string;
}

export interface UpsBuild {
  id: string;
  owner: UpsOwner;
  product: string;
  version: string;
  flavor: string;
  /** Canonical. */
  qualifiers: string;
  /** As the version file wrote them. */
  rawQualifiers: string;
  /** Db root the build is declared in. */
  database: string;
  /** The version file (path) declaring it. */
  versionFile: string;
  /** Resolved PROD_DIR (relative path), null when the version file has none. */
  prodDir: string | null;
  prodDirExists: boolean;
  /** `<db>/<product>/<version>`. */
  versionDir: string;
  /** The fq directory found for this build (either convention, or the flavor/NULL subdir PROD_DIR names). */
  fqDir: string | null;
  /** The directory whose subtree belongs to this build alone; null when none does. */
  scopeDir: string | null;
  /** Table file used (relative path), null when not found. */
  tableFile: string | null;
  chains: string[];
  requires: UpsRequirement[];
  /** Absolute in-image paths (`/products/…`) the table prepends to LD_LIBRARY_PATH. */
  libraryDirs: string[];
}

export interface UpsModel {
  databases(): UpsDatabase[];
  builds(): UpsBuild[];
  build(id: string): UpsBuild | undefined;
  /**
   * Owner scope starting at this node of the merged tree, or undefined to inherit the parent's.
   * Called once per node, parents first; one Map lookup for files, a few for directories.
   */
  ownerOf(relPath: string, isDir: boolean): UpsOwner | undefined;
  /**
   * Every path the model claims by name (builds' fq dirs and version files, version dirs, product
   * dirs, database metadata), so a caller can resolve them to nodes without walking every path.
   * `ownerOf` also names undeclared version and fq directories, which only exist as directories.
   */
  claimedPaths(): IterableIterator<[string, UpsOwner]>;
  /** Database roots (relative paths), under which undeclared directories may start scopes. */
  roots(): string[];
}
