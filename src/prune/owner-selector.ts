/**
 * Owner selectors: which owners (packages, UPS product builds, directory groups) a rule's `owners`
 * entries pick. Parsed once, then evaluated once per owner into a per-rule table, so the tree walk
 * only does an array lookup per node.
 *
 * Syntax (docs/rules.md, "Owner selectors"), `!` in front negates:
 *   dpkg:<name glob>   rpm:<name glob>   apk:<name glob>
 *   spack:<name glob>[@<version glob>]
 *   dir:<glob>                                  the unowned directory group, e.g. `dir:/opt/*`
 *   ups[<tags>]:<product>[/<version>[/<flavor>[/<qualifiers>]]]
 *   ups[<tags>]:/<db root glob>                 a UPS database's own files (`.upsfiles`, `setup`…)
 * UPS: each segment is a glob; with one segment the selector takes every owner of the product
 * (its metadata, each version's shared files, each build), with two a version's shared files and
 * its builds, with three or four builds only. The qualifier segment is a set expression: terms
 * joined by `:`, each a glob that some qualifier must match, or `!glob` that none may match;
 * `=e17:prof` asks for exactly that set. Tags (comma-separated, all must hold):
 *   unreferenced  no chain points to the build and no chained build requires it (or it is
 *                 undeclared); a version or product qualifies when every build of it does
 *   build-only    a build tool or reached only through setupOptional (see ups/graph.ts BUILD_TOOLS)
 *   unchained     no chain points to it;   chained: some chain does
 *   undeclared    found only as a directory: no version file declares it
 *   foreign-flavor  built for a flavor UPS on this image's platform never picks (an SL6
 *                 `Linux64bit+2.6-2.12` build on an SL7 image); the image's flavor is the flavor of
 *                 the `ups` product's own build, else the commonest flavor among declared builds.
 *                 NULL-flavored builds are never foreign.
 */
import type Micromatch from 'micromatch';
import { lazyRequire } from '../util/lazy-require.js';
import type { Owner, OwnerKind } from '../owners/types.js';
import { upsReports, type UpsGraph, type UpsModel } from '../owners/ups/index.js';
import { flavorMatchRank } from '../owners/ups/flavors.js';
import { qualifierList, canonicalQualifiers } from '../owners/ups/qualifiers.js';

const micromatch = lazyRequire<typeof Micromatch>('micromatch');

export const UPS_TAGS = ['unreferenced', 'build-only', 'unchained', 'chained', 'undeclared', 'foreign-flavor'] as const;
export type UpsTag = (typeof UPS_TAGS)[number];
const SELECTOR_KINDS: readonly OwnerKind[] = ['dpkg', 'rpm', 'apk', 'spack', 'dir', 'ups'];

export interface OwnerSelector {
  source: string;
  negated: boolean;
  kind: OwnerKind;
  /** Evaluated per owner. */
  test: (o: Owner, ctx: SelectorContext) => boolean;
}

/** Facts about the image's UPS builds that tags need, computed once per analysis. */
export interface SelectorContext {
  unreferenced: Set<string>;
  buildOnly: Set<string>;
  /** Build ids per `product` and per `product/version`. */
  buildsOf: Map<string, string[]>;
  chained: Set<string>;
  /** The flavor UPS runs with on this image (see `foreign-flavor`); null without UPS builds. */
  hostFlavor: string | null;
}

export function selectorContext(ups: { model: UpsModel; graph: UpsGraph } | null): SelectorContext {
  const ctx: SelectorContext = { unreferenced: new Set(), buildOnly: new Set(), buildsOf: new Map(), chained: new Set(), hostFlavor: null };
  if (!ups) return ctx;
  ctx.hostFlavor = hostFlavor(ups.model);
  const r = upsReports(ups.model, ups.graph);
  for (const b of r.unreferenced) ctx.unreferenced.add(b.id);
  for (const x of r.buildOnly) ctx.buildOnly.add(x.build.id);
  for (const b of ups.model.builds()) {
    for (const key of [b.product, `${b.product}/${b.version}`]) {
      const list = ctx.buildsOf.get(key);
      if (list) list.push(b.id);
      else ctx.buildsOf.set(key, [b.id]);
    }
    if (b.chains.length > 0) ctx.chained.add(b.id);
  }
  return ctx;
}

const globTest = (glob: string, dot = false): ((s: string) => boolean) => {
  if (glob === '*' || glob === '**') return () => true;
  const m = micromatch().matcher(glob, { dot });
  return (s) => m(s);
};

/** Parses one selector; throws an Error with a lowercase reason when it is malformed. */
export function parseOwnerSelector(source: string): OwnerSelector {
  const negated = source.startsWith('!');
  const body = negated ? source.slice(1) : source;
  const colon = body.indexOf(':');
  if (colon <= 0) throw new Error(`expected "<kind>:<pattern>" with a kind of ${SELECTOR_KINDS.join(', ')}`);
  let head = body.slice(0, colon);
  const pattern = body.slice(colon + 1);
  if (pattern === '') throw new Error('empty pattern after the kind');
  let tags: UpsTag[] = [];
  const bracket = head.indexOf('[');
  if (bracket >= 0) {
    if (!head.endsWith(']')) throw new Error('unclosed "[" in the tags');
    const raw = head.slice(bracket + 1, -1).split(',').map((t) => t.trim()).filter((t) => t !== '');
    for (const t of raw) if (!(UPS_TAGS as readonly string[]).includes(t)) throw new Error(`unknown tag "${t}" (known: ${UPS_TAGS.join(', ')})`);
    tags = raw as UpsTag[];
    head = head.slice(0, bracket);
  }
  if (!(SELECTOR_KINDS as readonly string[]).includes(head)) throw new Error(`unknown owner kind "${head}" (known: ${SELECTOR_KINDS.join(', ')})`);
  const kind = head as OwnerKind;
  if (tags.length > 0 && kind !== 'ups') throw new Error('tags are for ups selectors only');
  let test: OwnerSelector['test'];
  switch (kind) {
    case 'dpkg':
    case 'rpm':
    case 'apk': {
      const t = globTest(pattern);
      test = (o) => o.kind === kind && t(o.name);
      break;
    }
    case 'spack': {
      const at = pattern.indexOf('@');
      const tn = globTest(at < 0 ? pattern : pattern.slice(0, at));
      const tv = at < 0 ? () => true : globTest(pattern.slice(at + 1));
      test = (o) => o.kind === 'spack' && tn(o.name) && tv(o.version ?? '');
      break;
    }
    case 'dir': {
      const t = globTest(pattern, true);
      test = (o) => o.kind === 'dir' && t(o.name);
      break;
    }
    default:
      test = upsTest(pattern, tags);
  }
  return { source, negated, kind, test };
}

function upsTest(pattern: string, tags: UpsTag[]): OwnerSelector['test'] {
  const tagTest = (o: Owner, ctx: SelectorContext): boolean => {
    for (const tag of tags) if (!hasTag(o, tag, ctx)) return false;
    return true;
  };
  if (pattern.startsWith('/')) {
    const t = globTest(pattern.slice(1), true);
    return (o, ctx) => o.kind === 'ups' && o.level === 'database' && t(o.id.slice(5)) && tagTest(o, ctx);
  }
  const segs = pattern.split('/');
  if (segs.length > 4) throw new Error('a ups selector has at most 4 segments: product/version/flavor/qualifiers');
  if (segs.some((s) => s === '')) throw new Error('empty segment in a ups selector');
  const [tp, tv, tf] = segs.slice(0, 3).map((s) => globTest(s));
  const tq = segs.length === 4 ? qualifierTest(segs[3]!) : () => true;
  const n = segs.length;
  return (o, ctx) => {
    if (o.kind !== 'ups' || o.level === undefined || o.level === 'database') return false;
    if (!tp!(o.product ?? '')) return false;
    if (o.level === 'product') {
      if (n > 1) return false;
    } else if (o.level === 'version') {
      if (n > 2 || (n === 2 && !tv!(o.version ?? ''))) return false;
    } else {
      if (n >= 2 && !tv!(o.version ?? '')) return false;
      if (n >= 3 && !tf!(o.flavor ?? '')) return false;
      if (n === 4 && !tq(o.qualifiers ?? '')) return false;
    }
    return tagTest(o, ctx);
  };
}

/** `debug`, `e17:prof`, `e1*:!debug`, `=e17:prof`. */
export function qualifierTest(expr: string): (quals: string) => boolean {
  if (expr === '*') return () => true;
  if (expr.startsWith('=')) {
    const want = canonicalQualifiers(expr.slice(1));
    return (q) => canonicalQualifiers(q) === want;
  }
  const terms = expr.split(':').map((t) => t.trim()).filter((t) => t !== '');
  const pos = terms.filter((t) => !t.startsWith('!')).map((t) => globTest(t));
  const neg = terms.filter((t) => t.startsWith('!')).map((t) => globTest(t.slice(1)));
  return (q) => {
    const members = qualifierList(q);
    for (const t of pos) if (!members.some(t)) return false;
    for (const t of neg) if (members.some(t)) return false;
    return true;
  };
}

/** The `ups` product's own flavor, else the commonest non-NULL flavor among declared builds. */
export function hostFlavor(model: UpsModel): string | null {
  const counts = new Map<string, number>();
  for (const b of model.builds()) {
    if (b.product === 'ups' && b.flavor !== 'NULL') return b.flavor;
    if (b.flavor !== 'NULL') counts.set(b.flavor, (counts.get(b.flavor) ?? 0) + 1);
  }
  let best: string | null = null;
  for (const [f, n] of counts) if (best === null || n > counts.get(best)! || (n === counts.get(best)! && f < best)) best = f;
  return best;
}

function isForeign(flavor: string | null | undefined, ctx: SelectorContext): boolean {
  if (!flavor || ctx.hostFlavor === null || flavor === 'NULL') return false;
  return flavorMatchRank(ctx.hostFlavor, flavor) < 0;
}

function hasTag(o: Owner, tag: UpsTag, ctx: SelectorContext): boolean {
  if (tag === 'undeclared') return o.declared === false;
  if (o.level === 'build') {
    switch (tag) {
      case 'unreferenced':
        return o.declared === false || ctx.unreferenced.has(o.id);
      case 'build-only':
        return ctx.buildOnly.has(o.id);
      case 'unchained':
        return !ctx.chained.has(o.id);
      case 'chained':
        return ctx.chained.has(o.id);
      case 'foreign-flavor':
        return isForeign(o.flavor, ctx);
    }
  }
  // a version's shared files or a product's metadata: when every build of it has the tag
  const key = o.level === 'version' ? `${o.product}/${o.version}` : (o.product ?? '');
  const builds = ctx.buildsOf.get(key) ?? [];
  switch (tag) {
    case 'unreferenced':
      // nothing declared at all (an undeclared version dir): nothing can set it up
      return builds.every((id) => ctx.unreferenced.has(id));
    case 'build-only':
      return builds.length > 0 && builds.every((id) => ctx.buildOnly.has(id));
    case 'unchained':
      return builds.every((id) => !ctx.chained.has(id));
    case 'chained':
      return builds.some((id) => ctx.chained.has(id));
    case 'foreign-flavor':
      return builds.length > 0 && builds.every((id) => isForeign(flavorOfId(id, o), ctx));
  }
  return false;
}

/** The flavor segment of a build id `ups:<product>/<version>/<flavor>[/<quals>]`. */
function flavorOfId(id: string, o: Owner): string | null {
  const rest = id.slice(`ups:${o.product}/`.length);
  const parts = rest.split('/');
  return parts.length >= 2 ? parts[1]! : null;
}
