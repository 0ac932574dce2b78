/**
 * Pruning: rule sets (data, `rules/*.json`) compiled against an analysis, evaluated into a plan with
 * per-rule savings, projected sizes, safety findings and suggestions, and per-node decisions the
 * writer follows. See docs/rules.md.
 */
export { compileRules, includeScopeFor, type CompiledRules } from './compile.js';
export { evaluatePlan, type EvaluateOptions, type Decisions } from './evaluate.js';
export { loadRuleSet, readRuleFile, ruleSetFromObject, builtinRuleSets, builtinRulesDir } from './load-rules.js';
export { tarEntryBytes, padded, END_OF_ARCHIVE, type TarEntryShape } from './tar-estimate.js';
export { parseOwnerSelector, qualifierTest, UPS_TAGS } from './owner-selector.js';
export { planToJson, PLAN_JSON_VERSION } from './plan-json.js';
export { renderPlanText } from './plan-text.js';
export type * from './types.js';
