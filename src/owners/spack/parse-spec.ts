/**
 * Parses the spec file Spack writes into every install prefix, `<prefix>/.spack/spec.json`
 * (Spack >= 0.17; older installs have `spec.yaml`, not read here). The file holds the installed
 * package and its whole dependency DAG; the installed package is the first node.
 *
 * Formats, as read by Spack's `SpecfileV1`..`V5` (lib/spack/spack/spec.py):
 * - v1 (Spack <= 0.16, no `_meta`): `{"spec": [{"<name>": {version, hash, dependencies:
 *   {"<dep>": {hash|build_hash, type: [...]}}}}, ...]}`.
 * - v2 (0.17): `{"spec": {"_meta": {"version": 2}, "nodes": [{name, version, hash, dependencies:
 *   [{name, build_hash, type}]}]}}`.
 * - v3 (0.18-0.20): as v2 with `hash` in dependencies.
 * - v4, v5 (0.21+): dependencies `[{name, hash, parameters: {deptypes, virtuals}}]`.
 */
import type { Finding } from '../../findings.js';

export const SPACK_SPEC_SUFFIX = '/.spack/spec.json';
const SPACK_SPEC_AT_ROOT = '.spack/spec.json';

/** True for `<prefix>/.spack/spec.json` (image-relative, no leading slash). */
export function isSpackSpecPath(relPath: string): boolean {
  return relPath.endsWith(SPACK_SPEC_SUFFIX) || relPath === SPACK_SPEC_AT_ROOT;
}

/** The install prefix that holds the spec file (`opt/spack/.../zlib-1.3-abc...`), or null. */
export function spackPrefixOf(relPath: string): string | null {
  if (relPath === SPACK_SPEC_AT_ROOT) return '';
  if (!relPath.endsWith(SPACK_SPEC_SUFFIX)) return null;
  return relPath.slice(0, relPath.length - SPACK_SPEC_SUFFIX.length);
}

export interface SpackDependency {
  name: string;
  /** The hash the file records for the edge (the dag hash; `build_hash` in v1-v2 files). */
  hash: string;
  /** Dependency types: `build`, `link`, `run`, `test`. */
  types: string[];
}

export interface SpackSpec {
  name: string;
  version: string;
  /** DAG hash of the installed package: the last part of a default `<name>-<version>-<hash>`. */
  hash: string;
  namespace: string | null;
  /** Specfile format version (1 when the file has no `_meta`). */
  specfileVersion: number;
  /** True when the node describes an external (not Spack-built) package. */
  external: boolean;
  dependencies: SpackDependency[];
  /** Number of nodes in the file (the installed package and its whole DAG). */
  nodeCount: number;
}

export interface SpackSpecResult {
  spec: SpackSpec | null;
  findings: Finding[];
}

/** Node hash keys in Spack's preference order (`ht.HASHES`). */
const HASH_KEYS = ['hash', 'process_hash', 'full_hash', 'build_hash'] as const;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

/**
 * `source` is the image-relative path of the spec file; the prefix directory name in it picks the
 * root node when it ends in one of the nodes' hashes, else the first node is the root (as Spack
 * reads it).
 */
export function parseSpackSpec(jsonText: string, source: string): SpackSpecResult {
  const findings: Finding[] = [];
  const report = (severity: Finding['severity'], code: string, message: string): void => {
    findings.push({ severity, code, message: `${source}: ${message}`, path: source });
  };
  let data: Json;
  try {
    data = JSON.parse(jsonText) as Json;
  } catch (e) {
    report('error', 'spack-spec-invalid-json', `not valid JSON (${(e as Error).message})`);
    return { spec: null, findings };
  }
  const spec = isObject(data) ? data.spec : undefined;

  // Normalise every format into (name, node) pairs.
  let nodes: { name: string; node: JsonObject }[];
  let specfileVersion: number;
  if (Array.isArray(spec)) {
    specfileVersion = 1;
    nodes = [];
    for (const entry of spec) {
      if (!isObject(entry)) continue;
      const name = Object.keys(entry)[0];
      const node = name === undefined ? undefined : entry[name];
      if (name !== undefined && isObject(node)) nodes.push({ name, node });
    }
  } else if (isObject(spec) && Array.isArray(spec.nodes)) {
    const meta = spec._meta;
    const v = isObject(meta) ? meta.version : undefined;
    specfileVersion = typeof v === 'number' ? v : 2;
    nodes = [];
    for (const node of spec.nodes) {
      if (isObject(node) && typeof node.name === 'string') nodes.push({ name: node.name, node });
    }
  } else {
    report('error', 'spack-spec-unknown-format', 'has no "spec" list or "spec.nodes" array');
    return { spec: null, findings };
  }
  if (nodes.length === 0) {
    report('error', 'spack-spec-empty', 'holds no spec nodes');
    return { spec: null, findings };
  }

  const root = pickRoot(nodes, source, report);
  const hash = nodeHash(root.node);
  if (hash === null) report('warning', 'spack-spec-missing-hash', `node ${root.name} has no hash`);
  const version = nodeVersion(root.node);
  if (version === null) report('warning', 'spack-spec-missing-version', `node ${root.name} has no version`);
  const ns = root.node.namespace;

  return {
    spec: {
      name: root.name,
      version: version ?? '',
      hash: hash ?? '',
      namespace: typeof ns === 'string' ? ns : null,
      specfileVersion,
      external: isObject(root.node.external),
      dependencies: readDependencies(root.node.dependencies, root.name, report),
      nodeCount: nodes.length,
    },
    findings,
  };
}

function pickRoot(
  nodes: { name: string; node: JsonObject }[],
  source: string,
  report: (severity: Finding['severity'], code: string, message: string) => void,
): { name: string; node: JsonObject } {
  const prefix = spackPrefixOf(source) ?? '';
  const dirName = prefix.slice(prefix.lastIndexOf('/') + 1);
  const dash = dirName.lastIndexOf('-');
  const tail = dash === -1 ? '' : dirName.slice(dash + 1);
  // Projections may shorten the hash (`{hash:7}`); accept any prefix of 7+ characters.
  if (tail.length >= 7) {
    for (const n of nodes) {
      const h = nodeHash(n.node);
      if (h !== null && h.startsWith(tail) && dirName.startsWith(`${n.name}-`)) return n;
    }
    if (tail.length === 32 && /^[a-z2-7]{32}$/.test(tail)) {
      report('warning', 'spack-spec-prefix-mismatch', `prefix ${dirName} names hash ${tail}, which no node in the spec has`);
    }
  }
  return nodes[0];
}

function nodeHash(node: JsonObject): string | null {
  for (const k of HASH_KEYS) {
    const h = node[k];
    if (typeof h === 'string' && h !== '') return h;
  }
  return null;
}

function nodeVersion(node: JsonObject): string | null {
  const v = node.version;
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  // Very old specs: "versions": ["1.2.3"] or {"versions": [...]} (a VersionList).
  const vs = node.versions;
  const list = Array.isArray(vs) ? vs : isObject(vs) && Array.isArray(vs.versions) ? vs.versions : null;
  if (list !== null && list.length > 0 && (typeof list[0] === 'string' || typeof list[0] === 'number')) {
    return String(list[0]);
  }
  return null;
}

function readDependencies(
  raw: Json | undefined,
  owner: string,
  report: (severity: Finding['severity'], code: string, message: string) => void,
): SpackDependency[] {
  if (raw === undefined || raw === null) return [];
  const entries: { name: string; elt: Json }[] = [];
  if (Array.isArray(raw)) {
    for (const elt of raw) entries.push({ name: isObject(elt) && typeof elt.name === 'string' ? elt.name : '', elt });
  } else if (isObject(raw)) {
    for (const [name, elt] of Object.entries(raw)) entries.push({ name, elt });
  } else {
    report('warning', 'spack-spec-bad-dependency', `dependencies of ${owner} are neither a list nor a map`);
    return [];
  }
  const out: SpackDependency[] = [];
  for (const { name, elt } of entries) {
    const hash = isObject(elt) ? nodeHash(elt) : null;
    if (!isObject(elt) || name === '' || hash === null) {
      report('warning', 'spack-spec-bad-dependency', `dependency ${JSON.stringify(name)} of ${owner} has no name or hash`);
      continue;
    }
    const params = elt.parameters;
    const rawTypes = isObject(params) && params.deptypes !== undefined ? params.deptypes : elt.type;
    const types = typeof rawTypes === 'string' ? [rawTypes] : Array.isArray(rawTypes) ? rawTypes.filter((t): t is string => typeof t === 'string') : [];
    out.push({ name, hash, types });
  }
  return out;
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
