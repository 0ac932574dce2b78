/**
 * Owner selectors for budgets: the same language as the `owners` of prune rules
 * (src/prune/owner-selector.ts, docs/rules.md "Owner selectors"), so one selector means the same
 * thing in a rule file and in a budget. What a budget adds is the aggregation: the budget measures
 * the Σ merged-tree bytes of every owner the selector picks, for example
 *
 *  - `ups:geant4`: the product's metadata owner, each version's shared files and every build
 *    (all versions, flavors and qualifiers);  `ups:geant4/v4_10_4b`: that version and its builds;
 *    `ups:geant4/*\/*\/debug`: debug builds only;  `ups:geant4*`: geant4 and geant4_data…;
 *  - `rpm:*-devel`, `dpkg:lib*-dev`, `spack:gcc@12*`: packages by name (and version);
 *  - `dir:/opt/*`: the unowned directory groups under /opt.
 * Negated selectors (`!…`) are not budgets.
 */
import type { Analysis } from '../analysis/analyze.js';
import type { Owner } from '../owners/types.js';
import { parseOwnerSelector, selectorContext, type OwnerSelector, type SelectorContext } from '../prune/owner-selector.js';

/** Why a selector cannot be a budget (lowercase, no period), or null when it can. */
export function ownerSelectorProblem(selector: string): string | null {
  if (selector.trim().startsWith('!')) return 'a budget cannot use a negated selector';
  try {
    parseOwnerSelector(selector.trim());
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

const contexts = new WeakMap<Analysis, SelectorContext>();

function contextOf(a: Analysis): SelectorContext {
  let ctx = contexts.get(a);
  if (!ctx) {
    ctx = selectorContext(a.owners?.ups ?? null);
    contexts.set(a, ctx);
  }
  return ctx;
}

/** Owners a selector picks, largest first (ties by id). Throws on a malformed selector. */
export function selectOwners(a: Analysis, selector: string): Owner[] {
  const owners = a.owners?.owners ?? [];
  const sel: OwnerSelector = parseOwnerSelector(selector.trim());
  const ctx = contextOf(a);
  return owners.filter((o) => sel.test(o, ctx)).sort((x, y) => y.bytes - x.bytes || (x.id < y.id ? -1 : 1));
}
