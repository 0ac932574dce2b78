/** CI budgets: specs in, verdict out (pure; reports live in src/report/check-*.ts). */
export { evaluateBudgets, evaluateOne, DEFAULT_TOP, type EvaluateOptions } from './evaluate.js';
export { measure, type Measurement, type MeasureContext } from './measure.js';
export { KINDS, SCALAR_KINDS, budgetName, formatValue, type ScalarKind } from './catalog.js';
export { selectOwners, ownerSelectorProblem } from './owner-select.js';
export { sumPaths, normalizePattern, type PathSum } from './path-sum.js';
export type * from './types.js';
