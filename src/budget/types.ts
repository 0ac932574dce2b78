/**
 * The budget data model: what `whittle check` is asked to hold (BudgetSpec), what it found
 * (BudgetResult) and the whole verdict (CheckResult). Budget names and the fields of BudgetResult
 * are a contract: they appear in `check --json` (docs/check.schema.json), as JUnit test case names
 * and in GitHub annotations. Add fields freely; never rename.
 */
import type { Finding } from '../findings.js';

/**
 * Budget kinds. For every kind but `owner`, `path` and `plan` the budget name is the kind itself;
 * those three are named `owner:<selector>`, `path:<glob>` and `plan:<rule set>`.
 */
export type BudgetKind =
  | 'max-size'
  | 'max-merged-size'
  | 'max-compressed-size'
  | 'max-layers'
  | 'max-layer-size'
  | 'max-wasted'
  | 'max-wasted-percent'
  | 'min-efficiency'
  | 'dive-wasted-bytes'
  | 'dive-user-wasted-percent'
  | 'owner'
  | 'path'
  | 'baseline'
  | 'plan';

export type BudgetUnit = 'bytes' | 'count' | 'ratio';

/** Where a budget came from, so reports (and GitHub annotations) can point at it. */
export interface BudgetSource {
  kind: 'flag' | 'config' | 'dive-ci' | 'dive-default';
  /** Config file path as found (relative to the working directory when inside it). */
  file?: string;
  /** The key as written: `budgets.max-size`, `rules.lowest-efficiency`, `--max-size`. */
  key?: string;
  /** 1-based line of the key in the file, when found. */
  line?: number;
}

export interface BudgetSpec {
  /** Stable id: `max-size`, `owner:ups:geant4`, `path:/products/root/**`, `baseline`, `plan:mu2e`. */
  name: string;
  kind: BudgetKind;
  /** Bytes, a count, or a ratio in [0, 1]; for `baseline` with `limitIsFraction`, a fraction of the baseline size. */
  limit: number;
  /** `baseline` only: the limit is a fraction of the baseline's size (`--max-growth 5%`). */
  limitIsFraction?: boolean;
  /** The limit as the user wrote it (`500MB`, `90%`, `0.9`). */
  limitText: string;
  /** Owner selector (`ups:geant4`), path glob (`/products/root/**`) or rule set name (`mu2e`). */
  selector?: string;
  source: BudgetSource;
}

export type BudgetStatus = 'pass' | 'fail' | 'skip';

export type ContributorKind = 'layer' | 'owner' | 'path' | 'directory' | 'file' | 'rule' | 'suggestion';

/** Something that adds to a measured value: a layer, an owner, a directory, a file, a plan suggestion. */
export interface Contributor {
  kind: ContributorKind;
  /** Layer digest (or `layer-<index>`), owner id, in-image path (leading slash), rule name. */
  id: string;
  /** Bytes it contributes to the measured value (for `baseline`, its growth; may be negative). */
  bytes: number;
  /** Layer index, for layers. */
  index?: number;
  /** One line of context: a layer's command, an owner's level, a wasted path's reason. */
  detail?: string;
}

export interface BudgetResult {
  name: string;
  kind: BudgetKind;
  /** What is measured, in words: "Σ layer sizes (uncompressed)". */
  description: string;
  status: BudgetStatus;
  unit: BudgetUnit;
  /** `max`: fails when measured > limit; `min`: fails when measured < limit. */
  comparison: 'max' | 'min';
  /** null when skipped. */
  measured: number | null;
  /** In `unit` (a baseline percent is resolved to bytes); null when it cannot be (a percent baseline budget without a baseline). */
  limit: number | null;
  limitText: string;
  /** How far past the limit (> 0 when failing, ≤ 0 when holding); null when skipped. */
  excess: number | null;
  /** One line naming the budget, the measured value, the limit and the largest contributors. */
  message: string;
  /** Largest contributors, largest first. */
  contributors: Contributor[];
  /** Why a budget was skipped, or a caveat. */
  note: string | null;
  source: BudgetSource;
}

export interface CheckCounts {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
}

export interface CheckResult {
  passed: boolean;
  counts: CheckCounts;
  budgets: BudgetResult[];
  /** Selectors that match nothing, deprecated config keys, and the like. */
  warnings: Finding[];
}
