/**
 * The Prune pane's plan provider over whittle's planner (src/prune): the rule set is compiled
 * against the analysis once, then each toggle re-evaluates the compiled rules (the quick path
 * without safety checks; the checks run when the plan is first shown and on re-check).
 * The planner is imported when first needed, so the rest of the UI never loads it.
 */
import type { Analysis } from '../analysis/analyze.js';
import type { RuleSet } from '../prune/types.js';
import type { PlanProvider } from './plan-provider.js';

export async function plannerProvider(analysis: Analysis, ruleSet: RuleSet, target: number | null): Promise<PlanProvider> {
  const [{ compileRules }, { evaluatePlan }] = await Promise.all([import('../prune/compile.js'), import('../prune/evaluate.js')]);
  const compiled = compileRules(analysis, ruleSet);
  return {
    ruleSets: ruleSet.name.split('+'),
    ruleNames: compiled.rules.map((r) => r.name),
    target,
    evaluate(enabled, opts) {
      const r = evaluatePlan(analysis, compiled, { target, enabled, findings: opts.findings, suggestions: opts.findings });
      return { plan: r.plan, dropped: r.dropped };
    },
  };
}

/** Loads `--rules` names or files (throws UsageError for unknown names and bad files). */
export async function loadRules(specs: readonly string[]): Promise<RuleSet> {
  const { loadRuleSet } = await import('../prune/load-rules.js');
  return loadRuleSet(specs);
}

/** What the Prune pane says when no rule set was given. */
export async function noRulesNote(): Promise<string[]> {
  let names: string[] = [];
  try {
    const { builtinRuleSets } = await import('../prune/load-rules.js');
    names = builtinRuleSets();
  } catch {
    // no built-in rule sets to list
  }
  return ['no rule set given', 'run: whittle inspect IMAGE --rules NAME… [--target SIZE]', ...(names.length > 0 ? [`built-in rule sets: ${names.join(', ')}`] : [])];
}
