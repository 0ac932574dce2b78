/**
 * What the Prune pane needs from a planner: the rules of a rule set, and a plan for any choice of
 * rules switched on. The UI only reads plans; the planner in src/prune/ builds them (see
 * cli/commands/inspect.ts for the wiring), and tests build providers over plans made in code.
 */
import type { Plan } from '../prune/types.js';

export interface PlanEvaluation {
  plan: Plan;
  /** Per node: non-zero when the plan removes the path; null when the provider cannot tell. */
  dropped: ArrayLike<number> | null;
}

export interface PlanProvider {
  /** Names of the rule sets in use, for the pane title. */
  readonly ruleSets: readonly string[];
  /** Rule names in rule-set order; `enabled[i]` switches rule i. */
  readonly ruleNames: readonly string[];
  readonly target: number | null;
  /**
   * The plan with the given rules on. `findings: true` also runs the safety checks (slower: the UI
   * asks for them when the plan is first shown and when the user re-checks after toggling).
   */
  evaluate(enabled: readonly boolean[], opts: { findings: boolean }): PlanEvaluation;
}
