/**
 * The UPS model of an image: every database root, every declared build (product, version,
 * flavor, qualifier set) with its resolved PROD_DIR, fq directory, table, chains, requirements and
 * library directories, and `ownerOf`, which the tree walk asks once per node.
 *
 * Inputs are the texts of the files `isUpsMetadataPath` kept and `dirExists` over the merged tree;
 * nothing is assumed about where a PROD_DIR or fq directory is: every candidate is checked.
 */
import type { Finding } from '../../findings.js';
import { cetSubdirsOfFlavor, flavorMatchRank } from './flavors.js';
import { fqDirCandidates, parseFqDir } from './fq-dir.js';
import { buildOwnerId, OwnerTable } from './owner-ids.js';
import { parseUpsChain, type UpsChainFile } from './parse-chain.js';
import { parseUpsDbConfig } from './parse-dbconfig.js';
import { parseUpsTable, type UpsTable, type UpsTableBlock } from './parse-table.js';
import { parseUpsVersion, type UpsVersionBlock, type UpsVersionFile } from './parse-version.js';
import { baseName, isWithin, joinPath, normalizePath, parentPath } from './paths.js';
import { expandTableValue, type ExpandContext } from './table-vars.js';
import type { UpsBuild, UpsDatabase, UpsModel, UpsOwner, UpsRequirement } from './types.js';

export interface UpsInputFile {
  /** Relative path in the merged tree (a leading `/` is tolerated). */
  path: string;
  text: string;
}

/**
 * Names directly in a db root that are the database's own files: the DUNE-DAQ daq-release db
 * (`.upsfiles/`, `.updfiles/`, `setup`, `setups`, `setups_layout`) and what ups's own table
 * `current` action writes there (`setups.sh`, `setups.csh`, `setups.p*` copies, `.old/`).
 */
/** Directories directly in `<prod>/<ver>/` that belong to the version as a whole. */
const VERSION_SHARED_DIRS = ['include', 'source', 'ups'];
const DB_META_NAMES = ['.upsfiles', '.updfiles', 'setup', 'setups', 'setups_layout', 'setups.sh', 'setups.csh', 'setups.pl', 'setups.py', '.old'];

interface VersionFileEntry {
  path: string;
  root: string;
  product: string;
  version: string;
  record: UpsVersionFile;
}

interface ChainFileEntry {
  path: string;
  root: string;
  product: string;
  chain: string;
  record: UpsChainFile;
}

interface Draft extends UpsBuild {
  block: UpsVersionBlock;
  tableBlock: UpsTableBlock | null;
  tablePath: string | null;
  ctx: ExpandContext | null;
  /** PROD_DIR is the version dir and no fq dir was found: may own the version dir. */
  tentative: boolean;
  fqTried: string[];
}

/** Version dir known to the model (declared by a version file). */
interface VersionDirInfo {
  root: string;
  product: string;
  version: string;
}

interface ProductDirInfo {
  root: string;
  product: string;
}

function stripSlashes(p: string): string {
  let s = 0;
  let e = p.length;
  while (s < e && p.charCodeAt(s) === 47) s++;
  while (e > s && p.charCodeAt(e - 1) === 47) e--;
  return p.slice(s, e);
}

/** `v1_2_3`-like and not a `.version`/`.chain` entry. */
function looksLikeVersion(name: string): boolean {
  const c = name.charCodeAt(1);
  return name.charCodeAt(0) === 118 /* v */ && c >= 48 && c <= 57 && !name.endsWith('.version') && !name.endsWith('.chain');
}

function abs(rel: string): string {
  return `/${rel}`;
}

export function buildUpsModel(files: UpsInputFile[], dirExists: (relPath: string) => boolean): { model: UpsModel; findings: Finding[] } {
  const findings: Finding[] = [];
  const owners = new OwnerTable();
  const sorted = files.map((f) => ({ path: stripSlashes(f.path), text: f.text })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  // ---- 1. classify and parse the kept files
  const tableTexts = new Map<string, string>();
  const dbconfigs = new Map<string, string | null>(); // root → PROD_DIR_PREFIX as written
  const versionFiles: VersionFileEntry[] = [];
  const chainFiles: ChainFileEntry[] = [];
  for (const f of sorted) {
    const p = f.path;
    if (p === '.upsfiles/dbconfig' || p.endsWith('/.upsfiles/dbconfig')) {
      const root = p.length === 18 ? '' : p.slice(0, -19);
      const r = parseUpsDbConfig(f.text, p);
      findings.push(...r.findings);
      dbconfigs.set(root, r.record.prodDirPrefix);
      continue;
    }
    if (p.endsWith('.table')) tableTexts.set(p, f.text);
    const segs = p.split('/');
    const n = segs.length;
    const dirName = n >= 2 ? segs[n - 2] : '';
    const name = segs[n - 1];
    if (n >= 3 && dirName.length > 8 && dirName.endsWith('.version')) {
      const r = parseUpsVersion(f.text, p);
      findings.push(...r.findings);
      if (r.record) versionFiles.push({ path: p, root: segs.slice(0, n - 3).join('/'), product: segs[n - 3], version: dirName.slice(0, -8), record: r.record });
    } else if (n >= 2 && name.length > 8 && name.endsWith('.version')) {
      const r = parseUpsVersion(f.text, p);
      findings.push(...r.findings);
      if (r.record) versionFiles.push({ path: p, root: segs.slice(0, n - 2).join('/'), product: dirName, version: name.slice(0, -8), record: r.record }); // old single-file form
    } else if (n >= 3 && dirName.length > 6 && dirName.endsWith('.chain')) {
      const r = parseUpsChain(f.text, p);
      findings.push(...r.findings);
      if (r.record) chainFiles.push({ path: p, root: segs.slice(0, n - 3).join('/'), product: segs[n - 3], chain: r.record.chain ?? dirName.slice(0, -6), record: r.record });
    } else if (n >= 2 && name.length > 6 && name.endsWith('.chain')) {
      const r = parseUpsChain(f.text, p);
      findings.push(...r.findings);
      if (r.record) chainFiles.push({ path: p, root: segs.slice(0, n - 2).join('/'), product: dirName, chain: r.record.chain ?? name.slice(0, -6), record: r.record });
    }
  }

  // ---- 2. database roots
  const databases = new Map<string, UpsDatabase>();
  const addDb = (root: string) => {
    if (databases.has(root)) return;
    const written = dbconfigs.get(root);
    let prefix = root;
    if (written) {
      const s = written.split('${UPS_THIS_DB}').join(abs(root));
      if (s.includes('${') || s.includes('$')) {
        findings.push({ severity: 'info', code: 'ups-dbconfig-prefix', message: `reading UPS dbconfig ${joinPath(root, '.upsfiles/dbconfig')}: PROD_DIR_PREFIX ${JSON.stringify(written)} cannot be resolved; using the db root`, path: joinPath(root, '.upsfiles/dbconfig') });
      } else prefix = s.startsWith('/') ? normalizePath(s) : joinPath(root, s);
    }
    databases.set(root, { path: root, hasDbConfig: dbconfigs.has(root), prodDirPrefix: prefix });
  };
  for (const root of dbconfigs.keys()) addDb(root);
  for (const v of versionFiles) addDb(v.root);
  for (const c of chainFiles) addDb(c.root);

  const resolveDbPath = (root: string, written: string, where: string): string | null => {
    const db = databases.get(root)!;
    const s = written.split('${UPS_THIS_DB}').join(abs(root)).split('${PROD_DIR_PREFIX}').join(abs(db.prodDirPrefix));
    if (s.includes('${')) {
      findings.push({ severity: 'warning', code: 'ups-path-unresolved', message: `reading UPS version file ${where}: path ${JSON.stringify(written)} names an unknown variable`, path: where });
      return null;
    }
    return s.startsWith('/') ? normalizePath(s) : joinPath(db.prodDirPrefix, s);
  };

  // ---- 3. builds from version files
  const drafts = new Map<string, Draft>(); // root \0 id → build
  const versionFileOwner = new Map<string, UpsOwner>();
  const versionDirs = new Map<string, VersionDirInfo>();
  const productDirs = new Map<string, ProductDirInfo>();
  const exact = new Map<string, UpsOwner>();

  for (const vf of versionFiles) {
    const { record } = vf;
    if (record.product !== null && record.product !== vf.product) {
      findings.push({ severity: 'info', code: 'ups-version-name-mismatch', message: `reading UPS version file ${vf.path}: PRODUCT ${JSON.stringify(record.product)} differs from its directory ${JSON.stringify(vf.product)}; using the directory`, path: vf.path });
    }
    if (record.version !== null && record.version !== vf.version) {
      findings.push({ severity: 'info', code: 'ups-version-name-mismatch', message: `reading UPS version file ${vf.path}: VERSION ${JSON.stringify(record.version)} differs from its file name ${JSON.stringify(vf.version)}; using the file name`, path: vf.path });
    }
    const versionDir = joinPath(vf.root, vf.product, vf.version);
    versionDirs.set(versionDir, { root: vf.root, product: vf.product, version: vf.version });
    productDirs.set(joinPath(vf.root, vf.product), { root: vf.root, product: vf.product });
    for (const block of record.blocks) {
      const id = buildOwnerId(vf.product, vf.version, block.flavor, block.qualifiers);
      const key = `${vf.root}\u0000${id}`;
      const prior = drafts.get(key);
      if (prior) {
        findings.push({ severity: 'warning', code: 'ups-build-duplicate', message: `reading UPS version file ${vf.path}: line ${block.line} declares ${id} again (first in ${prior.versionFile}); keeping the first`, path: vf.path });
        continue;
      }
      drafts.set(key, {
        id,
        owner: owners.build(vf.product, vf.version, block.flavor, block.qualifiers),
        product: vf.product,
        version: vf.version,
        flavor: block.flavor,
        qualifiers: block.qualifiers,
        rawQualifiers: block.rawQualifiers,
        database: vf.root,
        versionFile: vf.path,
        prodDir: null,
        prodDirExists: false,
        versionDir,
        fqDir: null,
        scopeDir: null,
        tableFile: null,
        chains: [],
        requires: [],
        libraryDirs: [],
        block,
        tableBlock: null,
        tablePath: null,
        ctx: null,
        tentative: false,
        fqTried: [],
      });
    }
    const blocks = record.blocks;
    const owner =
      blocks.length === 1
        ? owners.build(vf.product, vf.version, blocks[0].flavor, blocks[0].qualifiers)
        : owners.version(vf.product, vf.version);
    versionFileOwner.set(vf.path, owner);
  }
  for (const c of chainFiles) productDirs.set(joinPath(c.root, c.product), { root: c.root, product: c.product });

  // ---- 4. per build: PROD_DIR, table, variables, fq dir
  const tableCache = new Map<string, UpsTable | null>();
  const readTable = (path: string): UpsTable | null | undefined => {
    if (tableCache.has(path)) return tableCache.get(path);
    const text = tableTexts.get(path);
    if (text === undefined) return undefined;
    const r = parseUpsTable(text, path);
    findings.push(...r.findings);
    tableCache.set(path, r.record);
    return r.record;
  };
  const allDrafts = [...drafts.values()];
  for (const b of allDrafts) {
    const blk = b.block;
    if (blk.prodDir !== null) {
      b.prodDir = resolveDbPath(b.database, blk.prodDir, b.versionFile);
      b.prodDirExists = b.prodDir !== null && dirExists(b.prodDir);
      if (b.prodDir !== null && !b.prodDirExists) {
        findings.push({ severity: 'warning', code: 'ups-prod-dir-missing', message: `${b.id}: PROD_DIR ${b.prodDir} declared in ${b.versionFile} does not exist in the image`, path: b.prodDir });
      }
    }
    // table: TABLE_DIR, then <PROD_DIR>/<UPS_DIR>, then the db's product dir (coups afs)
    if (blk.tableFile !== null) {
      const tried: string[] = [];
      const tf = blk.tableFile;
      if (tf.startsWith('/')) tried.push(normalizePath(tf));
      else {
        if (blk.tableDir !== null) {
          if (blk.tableDir.startsWith('/')) tried.push(joinPath(blk.tableDir, tf));
          else if (b.prodDir !== null) tried.push(joinPath(b.prodDir, blk.tableDir, tf));
        }
        if (b.prodDir !== null) tried.push(joinPath(b.prodDir, blk.upsDir ?? 'ups', tf));
        tried.push(joinPath(b.database, b.product, tf));
      }
      for (const t of tried) {
        const table = readTable(t);
        if (table) {
          b.tablePath = t;
          b.tableFile = t;
          b.tableBlock = selectTableBlock(table, b.flavor, b.qualifiers);
          if (!b.tableBlock) {
            findings.push({ severity: 'warning', code: 'ups-table-block-missing', message: `${b.id}: table ${t} has no block for flavor ${b.flavor} qualifiers ${JSON.stringify(b.qualifiers)}`, path: t });
          }
          break;
        }
      }
      if (b.tablePath === null && (b.prodDir === null || b.prodDirExists)) {
        findings.push({ severity: 'warning', code: 'ups-table-missing', message: `${b.id}: table ${tf} declared in ${b.versionFile} not found (looked at ${[...new Set(tried)].join(', ')})`, path: b.versionFile });
      }
    }
    b.ctx = expandContext(b);
    // fq dir: the table's <PROD>_FQ_DIR, then both naming conventions, inside PROD_DIR
    if (b.prodDir !== null && b.prodDirExists) {
      const pd = b.prodDir;
      const fqVar = `${b.product.toUpperCase()}_FQ_DIR`;
      if (b.ctx.defs.has(fqVar)) {
        const r = expandTableValue(`\${${fqVar}}`, b.ctx);
        for (const v of r.values ?? []) {
          const rel = normalizePath(v);
          if (rel !== pd && isWithin(rel, pd)) {
            b.fqTried.push(rel);
            if (dirExists(rel)) {
              b.fqDir = rel;
              break;
            }
          }
        }
      }
      if (b.fqDir === null) {
        for (const name of fqDirCandidates(b.flavor, b.rawQualifiers)) {
          const rel = joinPath(pd, name);
          if (!b.fqTried.includes(rel)) b.fqTried.push(rel);
          if (dirExists(rel)) {
            b.fqDir = rel;
            break;
          }
        }
      }
      if (b.fqDir !== null) b.scopeDir = b.fqDir;
      else if (pd !== b.versionDir) {
        b.scopeDir = pd; // a flavor or NULL subdir (ups, kx509), or a PROD_DIR elsewhere
        if (parentPath(pd) === b.versionDir) b.fqDir = pd;
      } else b.tentative = true;
    }
  }

  // ---- 5. who owns a version dir that is also a PROD_DIR without fq dirs
  const byVersionDir = new Map<string, Draft[]>();
  for (const b of allDrafts) {
    const list = byVersionDir.get(b.versionDir);
    if (list) list.push(b);
    else byVersionDir.set(b.versionDir, [b]);
  }
  for (const [vdir, list] of byVersionDir) {
    const tentative = list.filter((b) => b.tentative);
    if (tentative.length === 0) continue;
    const withOwnDir = list.some((b) => b.scopeDir !== null && b.scopeDir !== vdir && isWithin(b.scopeDir, vdir));
    if (tentative.length === 1 && !withOwnDir) {
      tentative[0].scopeDir = vdir; // e.g. g4emlow/v7_3 holding G4EMLOW7.3 directly (NOvA layout)
      continue;
    }
    for (const b of tentative) {
      if (withOwnDir) {
        findings.push({ severity: 'warning', code: 'ups-fq-dir-missing', message: `${b.id}: no fq directory under ${vdir} (looked for ${b.fqTried.map(baseName).join(', ')}) while other builds of ${b.product} ${b.version} have one`, path: vdir });
      } else {
        findings.push({ severity: 'info', code: 'ups-build-dir-shared', message: `${b.id}: shares ${vdir} with ${tentative.length - 1} other build(s) and has no directory of its own`, path: vdir });
      }
    }
  }

  // ---- 6. chains
  const findDraft = (root: string, product: string, version: string, flavor: string, quals: string) => drafts.get(`${root}\u0000${buildOwnerId(product, version, flavor, quals)}`);
  for (const c of chainFiles) {
    for (const blk of c.record.blocks) {
      const b = findDraft(c.root, c.product, blk.version, blk.flavor, blk.qualifiers);
      if (b) {
        if (!b.chains.includes(c.chain)) b.chains.push(c.chain);
      } else {
        findings.push({ severity: 'warning', code: 'ups-chain-dangling', message: `reading UPS chain file ${c.path}: chain ${c.chain} points to ${buildOwnerId(c.product, blk.version, blk.flavor, blk.qualifiers)}, which no version file declares`, path: c.path });
      }
    }
  }

  // ---- 7. requirements and library dirs from the table block
  for (const b of allDrafts) {
    const tb = b.tableBlock;
    if (!tb || !b.ctx) continue;
    b.requires = tb.requires.map(
      (r): UpsRequirement => ({
        product: r.product,
        version: r.version,
        qualifiers: r.qualifiers,
        optional: r.optional,
        optionalQualifiers: r.optionalQualifiers,
        flavor: r.flavor,
        chain: r.chain,
        table: b.tablePath!,
        line: r.line,
        where: `${b.tablePath}:${r.line}: ${r.text}`,
      }),
    );
    for (const entry of tb.ldLibraryPath) {
      const r = expandTableValue(entry.path, b.ctx);
      const values = r.values?.filter((v) => v.startsWith('/'));
      if (!values || values.length === 0) {
        findings.push({ severity: 'info', code: 'ups-libdir-unresolved', message: `${b.id}: LD_LIBRARY_PATH entry ${entry.path} in ${b.tablePath} cannot be resolved (${r.unresolved ?? 'not an absolute path'})`, path: b.tablePath ?? undefined });
        continue;
      }
      let dirs = values.map((v) => normalizePath(v));
      // several candidate values (a variable set in if-branches), or an entry inside an if-branch:
      // keep what exists in the image; an unconditional single value is kept even when missing
      if (dirs.length > 1 || entry.conditional) {
        const present = dirs.filter((d) => dirExists(d));
        if (present.length > 0 || entry.conditional) dirs = present;
      }
      for (const d of dirs) if (!b.libraryDirs.includes(abs(d))) b.libraryDirs.push(abs(d));
    }
  }

  // ---- 8. exact owner map, lowest level first so builds override version-level claims
  const claim = (path: string, owner: UpsOwner) => {
    const prior = exact.get(path);
    if (prior === undefined || prior === owner || levelRank(owner) > levelRank(prior)) {
      exact.set(path, owner);
      return;
    }
    if (levelRank(owner) < levelRank(prior)) return;
    // two different owners of one level: fall back to what they have in common
    const common = prior.product === owner.product ? (prior.version !== null && prior.version === owner.version ? owners.version(owner.product, owner.version) : owners.product(owner.product)) : prior;
    findings.push({ severity: 'info', code: 'ups-dir-claimed-twice', message: `${path} belongs to both ${prior.id} and ${owner.id}; attributing it to ${common.id}`, path });
    exact.set(path, common);
  };
  for (const db of databases.values()) {
    const owner = owners.database(db.path);
    for (const n of DB_META_NAMES) claim(joinPath(db.path, n), owner);
  }
  for (const [dir, info] of productDirs) claim(dir, owners.product(info.product));
  for (const [dir, info] of versionDirs) {
    const owner = owners.version(info.product, info.version);
    claim(dir, owner);
    claim(joinPath(info.root, info.product, `${info.version}.version`), owner);
  }
  for (const [path, owner] of versionFileOwner) claim(path, owner);
  for (const b of allDrafts) {
    if (b.scopeDir !== null) claim(b.scopeDir, b.owner);
    // A build that owns its whole version dir (no fq dir of its own) still leaves the version's
    // shared dirs to the version, as every other layout does.
    if (b.scopeDir !== null && b.scopeDir === b.versionDir) {
      for (const d of VERSION_SHARED_DIRS) claim(joinPath(b.versionDir, d), owners.version(b.product, b.version));
    }
    // a PROD_DIR outside the version dir holding fq dirs is the version's common part
    if (b.prodDir !== null && b.prodDirExists && b.fqDir !== null && b.prodDir !== b.versionDir && b.fqDir !== b.prodDir && !isWithin(b.prodDir, b.versionDir)) {
      claim(b.prodDir, owners.version(b.product, b.version));
    }
  }
  // tables outside every user's scope (TABLE_DIR, or the db product dir like coups afs)
  const tableUsers = new Map<string, Draft[]>();
  for (const b of allDrafts) {
    if (b.tablePath === null) continue;
    const list = tableUsers.get(b.tablePath);
    if (list) list.push(b);
    else tableUsers.set(b.tablePath, [b]);
  }
  for (const [path, users] of tableUsers) {
    if (users.every((b) => (b.scopeDir !== null && isWithin(path, b.scopeDir)) || isWithin(path, b.versionDir))) continue;
    const first = users[0];
    const owner =
      users.every((b) => b.id === first.id)
        ? first.owner
        : users.every((b) => b.product === first.product && b.version === first.version)
          ? owners.version(first.product, first.version)
          : owners.product(first.product);
    claim(path, owner);
  }

  // ---- 9. the model
  const builds: UpsBuild[] = allDrafts
    .map((d) => {
      const { block: _b, tableBlock: _t, tablePath: _p, ctx: _c, tentative: _x, fqTried: _f, ...pub } = d;
      return Object.freeze(pub) as UpsBuild;
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.database < b.database ? -1 : 1));
  const byId = new Map<string, UpsBuild>();
  const seenIds = new Map<string, string>();
  for (const b of builds) {
    const other = seenIds.get(b.id);
    if (other !== undefined && other !== b.database) {
      findings.push({ severity: 'info', code: 'ups-build-in-several-databases', message: `${b.id} is declared in both ${other || '/'} and ${b.database || '/'}`, path: b.versionFile });
    }
    seenIds.set(b.id, b.database);
    if (!byId.has(b.id)) byId.set(b.id, b);
  }
  // flavors declared per product, to name undeclared cet-style fq dirs (`slf7.x86_64…` → flavor)
  const flavorsByProduct = new Map<string, string[]>();
  for (const b of builds) {
    const k = `${b.database}\u0000${b.product}`;
    const list = flavorsByProduct.get(k);
    if (!list) flavorsByProduct.set(k, [b.flavor]);
    else if (!list.includes(b.flavor)) list.push(b.flavor);
  }

  const fqChild = (info: VersionDirInfo, name: string, declaredVersion: boolean): UpsOwner | undefined => {
    const fq = parseFqDir(name);
    if (fq === null) return undefined;
    let flavor = fq.flavor;
    if (fq.cetSubdir !== undefined && fq.cetSubdir !== 'noarch') {
      const declared = flavorsByProduct.get(`${info.root}\u0000${info.product}`) ?? [];
      const match = declared.find((f) => cetSubdirsOfFlavor(f).includes(fq.cetSubdir!));
      if (match !== undefined) flavor = match;
    }
    if (declaredVersion) {
      const d = findDraft(info.root, info.product, info.version, flavor, fq.qualifiers);
      if (d) return d.owner;
    }
    return owners.build(info.product, info.version, flavor, fq.qualifiers, false);
  };

  const rootPrefixes = [...new Set([...productDirs.values()].map((p) => (p.root === '' ? '' : `${p.root}/`)))];
  const ownerOf = (relPath: string, isDir: boolean): UpsOwner | undefined => {
    if (relPath.charCodeAt(0) === 47) relPath = stripSlashes(relPath); // tolerated, not expected
    const hit = exact.get(relPath);
    if (hit !== undefined) return hit;
    if (!isDir) return undefined;
    // undeclared version and fq dirs exist only inside a database root
    let inRoot = false;
    for (let i = 0; i < rootPrefixes.length; i++) {
      if (relPath.startsWith(rootPrefixes[i])) {
        inRoot = true;
        break;
      }
    }
    if (!inRoot) return undefined;
    const slash = relPath.lastIndexOf('/');
    if (slash < 0) return undefined;
    const parent = relPath.slice(0, slash);
    const name = relPath.slice(slash + 1);
    const vinfo = versionDirs.get(parent);
    if (vinfo !== undefined) return fqChild(vinfo, name, true);
    const pinfo = productDirs.get(parent);
    if (pinfo !== undefined) {
      // a version directory no version file declares (its .version was deleted or never written)
      return looksLikeVersion(name) ? owners.version(pinfo.product, name, false) : undefined;
    }
    const s2 = parent.lastIndexOf('/');
    if (s2 < 0) return undefined;
    const grand = parent.slice(0, s2);
    const ginfo = productDirs.get(grand);
    if (ginfo !== undefined) {
      const vname = parent.slice(s2 + 1);
      if (looksLikeVersion(vname)) return fqChild({ root: ginfo.root, product: ginfo.product, version: vname }, name, false);
    }
    return undefined;
  };

  const dbList = [...databases.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
  const model: UpsModel = {
    databases: () => dbList,
    builds: () => builds,
    build: (id) => byId.get(id),
    ownerOf,
    claimedPaths: () => exact.entries(),
    roots: () => [...new Set([...productDirs.values()].map((p) => p.root))],
  };
  return { model, findings };
}

function levelRank(o: UpsOwner): number {
  return o.level === 'build' ? 3 : o.level === 'version' ? 2 : o.level === 'product' ? 1 : 0;
}

/**
 * The table block a build uses: same qualifiers and flavor (exact beats `ANY`), else the
 * no-qualifier block for its flavor.
 */
export function selectTableBlock(table: UpsTable, flavor: string, qualifiers: string): UpsTableBlock | null {
  let best: UpsTableBlock | null = null;
  let bestRank = -1;
  for (const blk of table.blocks) {
    const f = blk.flavor;
    const fr = f === flavor ? 2 : f.toUpperCase() === 'ANY' || flavorMatchRank(flavor, f) >= 1 ? 1 : -1;
    if (fr < 0) continue;
    const qr = blk.qualifiers === qualifiers ? 2 : blk.qualifiers === '' ? 1 : -1;
    if (qr < 0) continue;
    const rank = qr * 3 + fr;
    if (rank > bestRank) {
      best = blk;
      bestRank = rank;
    }
  }
  return best;
}

/** Variables `setup` of this build would see (see `table-vars.ts`). */
function expandContext(b: Draft): ExpandContext {
  const known = new Map<string, string[]>();
  const uc = b.product.toUpperCase();
  known.set('UPS_PROD_NAME', [b.product]);
  known.set('UPS_PROD_NAME_UC', [uc]);
  known.set('UPS_PROD_VERSION', [b.version]);
  known.set('UPS_PROD_FLAVOR', [b.flavor]);
  known.set('UPS_PROD_QUALIFIERS', [b.rawQualifiers]);
  known.set('UPS_THIS_DB', [abs(b.database)]);
  if (b.prodDir !== null) {
    known.set('UPS_PROD_DIR', [abs(b.prodDir)]);
    known.set(`${uc}_DIR`, [abs(b.prodDir)]);
    const upsDir = abs(joinPath(b.prodDir, b.block.upsDir ?? 'ups'));
    known.set('UPS_UPS_DIR', [upsDir]);
    known.set(`${uc}_UPS_DIR`, [upsDir]);
  }
  const ctx: ExpandContext = { known, defs: new Map(), cetSubdirs: cetSubdirsOfFlavor(b.flavor) };
  const nameCtx: ExpandContext = { known, defs: new Map(), cetSubdirs: [] };
  for (const e of b.tableBlock?.envSets ?? []) {
    const n = expandTableValue(e.name, nameCtx);
    if (n.values?.length !== 1) continue;
    const name = n.values[0];
    const list = ctx.defs.get(name);
    if (list) {
      if (!list.includes(e.value)) list.push(e.value);
    } else ctx.defs.set(name, [e.value]);
  }
  return ctx;
}
