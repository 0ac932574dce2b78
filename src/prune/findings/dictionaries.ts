/**
 * Kept ROOT dictionaries whose headers the plan drops: a written rootmap names a header, or (with
 * headers read) a written dictionary library's payload or a header such a dictionary needs
 * includes one, that resolved in the image as it is and resolves to nothing written. cling would
 * fail to autoload the class at run time. Names that resolved to nothing before are not the
 * plan's doing and are not reported.
 */
import { DICTIONARY_LIBRARY, HEADER, ROOTMAP } from '../../analysis/include-store.js';
import { NO_NODE } from '../../tree/path-table.js';
import { dictionaryHeaders, dictionaryNodes } from '../dictionary-headers.js';
import { PathResolver } from '../resolve-path.js';
import type { PlanFinding } from '../types.js';
import { abs, ruleDropping, type CheckContext } from './context.js';

const WHO: Record<number, string> = {
  [ROOTMAP]: 'this dictionary names',
  [DICTIONARY_LIBRARY]: "this dictionary's payload includes",
  [HEADER]: 'a header dictionaries need includes',
};

/** Findings in path order, whatever order the graph was walked in. */
function addInPathOrder(ctx: CheckContext, found: PlanFinding[]): void {
  found.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  for (const f of found) ctx.out.add(f);
}

export function checkDictionaryHeaders(ctx: CheckContext): { checked: number; needed: number } {
  const a = ctx.compiled.analysis;
  if (!a.includes) return { checked: 0, needed: 0 };
  const written = ctx.d.written;
  const closure = dictionaryHeaders(a, dictionaryNodes(a.includes, (n) => written[n] === 1));
  let checked = 0;
  const found: PlanFinding[] = [];
  for (const e of closure.edges) {
    if (!written[e.from]) continue;
    checked++;
    if (e.targets.some((t) => written[t] === 1)) continue;
    const name = a.includes.names.get(e.name);
    const target = e.targets[0]!;
    const rule = ruleDropping(ctx, target);
    const what = WHO[a.includes.kind[a.includes.fileOf.get(e.from)!]!];
    found.push({
      kind: 'dictionary-header-missing',
      path: abs(ctx, e.from),
      message: `${abs(ctx, e.from)}: header ${name}, which ${what}, is dropped (${abs(ctx, target)}${e.targets.length > 1 ? ` and ${e.targets.length - 1} more` : ''})${rule ? ` by rule ${rule}` : ''}; ROOT cannot autoload its classes`,
      ...(rule ? { rule } : {}),
    });
  }
  addInPathOrder(ctx, found);
  return { checked, needed: closure.count };
}

/**
 * Kept rootmaps whose libraries the plan drops: ROOT's autoloader loads the library a rootmap maps
 * a class to (`[ libHist.so ]`) when the class is first used. Libraries are looked for next to the
 * rootmap (where rootcling puts it), symlinks followed; one not there in the image as it is is not
 * the plan's doing and is only counted.
 */
export function checkRootmapLibraries(ctx: CheckContext): { checked: number; unresolvedBefore: number } {
  const a = ctx.compiled.analysis;
  const g = a.includes;
  if (!g) return { checked: 0, unresolvedBefore: 0 };
  const written = ctx.d.written;
  const before = new PathResolver(a.tree, () => true);
  const after = new PathResolver(a.tree, (n) => written[n] === 1);
  let checked = 0;
  let unresolvedBefore = 0;
  const found: PlanFinding[] = [];
  for (let f = 0; f < g.node.length; f++) {
    const node = g.node[f]!;
    if (g.kind[f] !== ROOTMAP || !written[node]) continue;
    const dir = a.paths.pathOf(a.paths.parent[node]!);
    for (const id of g.libs.view(f)) {
      const name = g.names.get(id);
      const path = dir === '' ? name : `${dir}/${name}`;
      const target = before.resolve(path, true);
      if (target === NO_NODE) {
        unresolvedBefore++;
        continue;
      }
      checked++;
      if (after.resolve(path, true) !== NO_NODE) continue;
      const rule = ruleDropping(ctx, target);
      found.push({
        kind: 'rootmap-library-missing',
        path: abs(ctx, node),
        message: `${abs(ctx, node)} maps classes to ${name}, which is dropped (${abs(ctx, target)})${rule ? ` by rule ${rule}` : ''}; ROOT's autoloader would fail to load it`,
        ...(rule ? { rule } : {}),
      });
    }
  }
  addInPathOrder(ctx, found);
  return { checked, unresolvedBefore };
}
