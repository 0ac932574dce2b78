/**
 * Kept ROOT dictionaries whose headers the plan drops: a written rootmap names a header, or (with
 * headers read) a written dictionary library's payload or a header such a dictionary needs
 * includes one, that resolved in the image as it is and resolves to nothing written. cling would
 * fail to autoload the class at run time. Names that resolved to nothing before are not the
 * plan's doing and are not reported.
 */
import { DICTIONARY_LIBRARY, HEADER, ROOTMAP } from '../../analysis/include-store.js';
import { dictionaryHeaders, dictionaryNodes } from '../dictionary-headers.js';
import type { PlanFinding } from '../types.js';
import { abs, ruleDropping, type CheckContext } from './context.js';

const WHO: Record<number, string> = {
  [ROOTMAP]: 'this dictionary names',
  [DICTIONARY_LIBRARY]: "this dictionary's payload includes",
  [HEADER]: 'a header dictionaries need includes',
};

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
  // in path order, whatever order the closure was walked in
  found.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  for (const f of found) ctx.out.add(f);
  return { checked, needed: closure.count };
}
