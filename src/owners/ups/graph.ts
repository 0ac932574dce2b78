/**
 * The dependency graph between declared UPS builds, and the reports built on it: top-level
 * products ("roots"), builds nothing live refers to, and build-only products.
 *
 * A `setupRequired(p v -q q…)` resolves to the builds of `p` with version `v` (or, with no
 * version, those the `current` chain — or the chain the command names — points to) whose
 * qualifier set contains the required qualifiers; when the requirement names no build type
 * (`prof`/`debug`/`opt`) the requiring build's own is inherited (wirecell's `setupRequired(tbb
 * v2021_1_1 -q +c7)` from its `c7:prof` block means tbb `c7:prof` if there is one). Among the
 * matches the best flavor (exact, then same kernel/libc, then less specific, then NULL), then
 * the same database, then the fewest extra qualifiers win; equally good matches all get an edge.
 */
import type { Finding } from '../../findings.js';
import { flavorMatchRank } from './flavors.js';
import { buildTypeOf, isBuildType, qualifierSet } from './qualifiers.js';
import type { UpsBuild, UpsModel, UpsRequirement } from './types.js';

export interface UpsEdge {
  /** Build id of the requiring build. */
  from: string;
  to: string;
  optional: boolean;
  requirement: UpsRequirement;
}

export interface UpsGraph {
  edges: UpsEdge[];
  /** Requirements no declared build satisfies. */
  unresolved: { from: string; requirement: UpsRequirement }[];
  dependenciesOf(buildId: string): UpsEdge[];
  dependentsOf(buildId: string): UpsEdge[];
}

/**
 * Products that are build or development tools, not needed to run jobs, and why:
 * - cetbuildtools, cetmodules: the art suite's CMake build system; `only_for_build` in
 *   `ups/product_deps` of art and Mu2e Offline;
 * - catch: unit-test framework, `only_for_build` in art's `product_deps`;
 * - swig: generates language bindings while building; an `only_for_build` dependency;
 * - cmake, ninja, scons: build systems, run only while compiling (Mu2e builds Offline with scons;
 *   the Argo Dockerfile deletes cmake from its image);
 * - gdb, valgrind: debuggers used while developing (the Argo Dockerfile deletes both).
 */
export const BUILD_TOOLS: ReadonlyMap<string, string> = new Map([
  ['cetbuildtools', 'build system of the art suite (only_for_build in product_deps)'],
  ['cetmodules', 'build system of the art suite (only_for_build in product_deps)'],
  ['catch', 'unit-test framework (only_for_build in product_deps)'],
  ['swig', 'binding generator run while building (only_for_build)'],
  ['cmake', 'build system, runs only while compiling'],
  ['ninja', 'build system, runs only while compiling'],
  ['scons', 'build system, runs only while compiling'],
  ['gdb', 'debugger, a development tool'],
  ['valgrind', 'memory debugger, a development tool'],
]);

interface Index {
  byProduct: Map<string, UpsBuild[]>;
  byProductLower: Map<string, UpsBuild[]>;
}

function indexBuilds(builds: readonly UpsBuild[]): Index {
  const byProduct = new Map<string, UpsBuild[]>();
  const byProductLower = new Map<string, UpsBuild[]>();
  for (const b of builds) {
    for (const [map, key] of [
      [byProduct, b.product],
      [byProductLower, b.product.toLowerCase()],
    ] as const) {
      const list = map.get(key);
      if (list) list.push(b);
      else map.set(key, [b]);
    }
  }
  return { byProduct, byProductLower };
}

/** Builds that satisfy `r` for `from`, best matches only (several when equally good). */
function resolveRequirement(from: UpsBuild, r: UpsRequirement, index: Index): UpsBuild[] {
  const candidates = index.byProduct.get(r.product) ?? index.byProductLower.get(r.product.toLowerCase()) ?? [];
  const wanted = qualifierSet(r.qualifiers);
  let wantedType = buildTypeOf(wanted);
  const inherited = wantedType === null ? buildTypeOf(qualifierSet(from.qualifiers)) : null;
  if (wantedType === null) wantedType = inherited;
  const optionalQuals = new Set(r.optionalQualifiers);
  const wantFlavor = r.flavor ?? from.flavor;
  const chain = r.chain ?? 'current';
  let best: UpsBuild[] = [];
  let bestScore: number[] | null = null;
  for (const c of candidates) {
    if (r.version !== null ? c.version !== r.version : !c.chains.includes(chain)) continue;
    const fr = flavorMatchRank(wantFlavor, c.flavor);
    if (fr < 0) continue;
    const have = qualifierSet(c.qualifiers);
    let ok = true;
    for (const q of wanted) if (!have.has(q)) ok = false;
    if (!ok) continue;
    const haveType = buildTypeOf(have);
    if (inherited !== null && haveType !== null && haveType !== inherited) continue;
    let extra = 0;
    let optHits = 0;
    for (const q of have) {
      if (wanted.has(q)) continue;
      if (optionalQuals.has(q)) optHits++;
      else if (!(isBuildType(q) && q === wantedType)) extra++;
    }
    const score = [fr, c.database === from.database ? 1 : 0, -extra, optHits];
    const cmp = bestScore === null ? 1 : compareScores(score, bestScore);
    if (cmp > 0) {
      best = [c];
      bestScore = score;
    } else if (cmp === 0) best.push(c);
  }
  return best;
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

export function buildUpsGraph(model: UpsModel): { graph: UpsGraph; findings: Finding[] } {
  const findings: Finding[] = [];
  const builds = model.builds();
  const index = indexBuilds(builds);
  const edges: UpsEdge[] = [];
  const unresolved: UpsGraph['unresolved'] = [];
  const out = new Map<string, UpsEdge[]>();
  const inn = new Map<string, UpsEdge[]>();
  const seen = new Set<string>();
  for (const b of builds) {
    for (const r of b.requires) {
      if (r.product === b.product) continue;
      const targets = resolveRequirement(b, r, index);
      if (targets.length === 0) {
        unresolved.push({ from: b.id, requirement: r });
        const what = `${r.product}${r.version ? ` ${r.version}` : ` (${r.chain ?? 'current'} chain)`}${r.qualifiers ? ` -q ${r.qualifiers}` : ''}`;
        findings.push({
          severity: r.optional ? 'info' : 'warning',
          code: 'ups-require-unresolved',
          message: `${b.id} requires ${what} (${r.where}) but no declared build matches`,
          path: r.table,
        });
        continue;
      }
      for (const t of targets) {
        const key = `${b.id}\u0000${t.id}\u0000${r.optional ? 1 : 0}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const e: UpsEdge = { from: b.id, to: t.id, optional: r.optional, requirement: r };
        edges.push(e);
        push(out, b.id, e);
        push(inn, t.id, e);
      }
    }
  }
  const graph: UpsGraph = {
    edges,
    unresolved,
    dependenciesOf: (id) => out.get(id) ?? [],
    dependentsOf: (id) => inn.get(id) ?? [],
  };
  return { graph, findings };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

export interface UpsReports {
  /**
   * Builds a `current` chain points to, of products that no build of another product requires
   * among the current builds and everything they need (the image's top-level products).
   */
  roots: UpsBuild[];
  /** Builds no chain points to and no chained build requires, directly or transitively. */
  unreferenced: UpsBuild[];
  /** Known build tools, and builds reachable from chained builds only through `setupOptional`. */
  buildOnly: { build: UpsBuild; reason: string }[];
}

export function upsReports(model: UpsModel, graph: UpsGraph): UpsReports {
  const builds = model.builds();
  const byId = new Map(builds.map((b) => [b.id, b]));
  const reach = (start: string[], withOptional: boolean): Set<string> => {
    const seen = new Set<string>(start);
    const stack = [...start];
    while (stack.length) {
      const id = stack.pop()!;
      for (const e of graph.dependenciesOf(id)) {
        if (e.optional && !withOptional) continue;
        if (!seen.has(e.to)) {
          seen.add(e.to);
          stack.push(e.to);
        }
      }
    }
    return seen;
  };
  // roots: current builds of products that nothing live (current, or needed by something current)
  // names in a requirement; a requirement from a stale build does not keep a product off the list
  const current = builds.filter((b) => b.chains.includes('current')).map((b) => b.id);
  const requiredByLive = new Set<string>();
  for (const id of reach(current, true)) {
    const b = byId.get(id)!;
    const self = b.product.toLowerCase();
    for (const r of b.requires) {
      const p = r.product.toLowerCase();
      if (p !== self) requiredByLive.add(p);
    }
  }
  const roots = builds.filter((b) => b.chains.includes('current') && !requiredByLive.has(b.product.toLowerCase()));

  const chained = builds.filter((b) => b.chains.length > 0).map((b) => b.id);
  const all = reach(chained, true);
  const required = reach(chained, false);
  const unreferenced = builds.filter((b) => !all.has(b.id));
  const buildOnly: UpsReports['buildOnly'] = [];
  for (const b of builds) {
    const tool = BUILD_TOOLS.get(b.product.toLowerCase());
    if (tool !== undefined) buildOnly.push({ build: b, reason: tool });
    else if (all.has(b.id) && !required.has(b.id)) {
      const via = graph.dependentsOf(b.id).filter((e) => all.has(e.from)).map((e) => e.from);
      buildOnly.push({ build: b, reason: `required only through setupOptional (by ${[...new Set(via)].join(', ')})` });
    }
  }
  return { roots, unreferenced, buildOnly };
}
