/**
 * The prune data model shared by the rule compiler, the planner, the writer, `whittle plan`, budgets
 * and the UI. Field names of `Plan` mirror `plan --json` (a contract: see README).
 */
import type { Finding } from '../findings.js';

export type RuleAction = 'drop' | 'keep';

/** A rule as written in a rule file (rules/*.json), after `extends` are resolved. */
export interface Rule {
  /** Unique within the resolved rule set, e.g. `generic/docs`. */
  name: string;
  action: RuleAction;
  /** Why the rule is safe, or when it is not: shown in plans and the UI. */
  why?: string;
  /** Path globs (micromatch: `**`, braces, `!negation`), absolute-style (`/usr/share/doc/**`). */
  paths?: string[];
  /** Owner selectors, e.g. `ups:root`, `ups:*\/*\/*\/*debug*`, `rpm:*-devel`, `dpkg:lib*-dev`, `dir:/opt/*`. */
  owners?: string[];
  /** Predicates: file type, ELF or not, minimum size. */
  type?: 'file' | 'dir' | 'symlink' | 'any';
  elf?: boolean;
  minSize?: number;
}

export interface RuleSet {
  name: string;
  description: string;
  /** Rule set files this one was composed from, in order. */
  sources: string[];
  rules: Rule[];
}

/** Per-rule outcome: files and bytes it removes (each byte credited once, to the first rule). */
export interface PlanRule {
  name: string;
  action: RuleAction;
  why: string | null;
  /** False when the rule is switched off (UI toggles); it then removes nothing. */
  enabled: boolean;
  files: number;
  bytes: number;
  /** keep rules: files and bytes they saved from some drop rule. */
  keptFiles?: number;
  keptBytes?: number;
}

export type PlanFindingKind =
  | 'ups-requirement-dropped'
  | 'elf-needed-missing'
  | 'symlink-dangling'
  | 'package-partial'
  | 'hardlink-repointed';

export interface PlanFinding {
  kind: PlanFindingKind;
  /** In-image path (leading slash) of what breaks. */
  path: string;
  message: string;
  /** The owner affected, when one is. */
  owner?: string;
}

export interface PlanSuggestion {
  kind: 'owner' | 'dir';
  /** Owner id or directory path. */
  id: string;
  bytes: number;
  files: number;
}

export interface Plan {
  ruleSets: string[];
  /** Merged-tree bytes before pruning. */
  inputBytes: number;
  /** Merged-tree bytes after pruning. */
  projectedBytes: number;
  savedBytes: number;
  /** Estimated size of the written (squashed, uncompressed) layer tar, headers and padding included. */
  projectedImageBytes: number;
  /** Bytes; null without a target. */
  target: number | null;
  /** projectedBytes − target (negative = under target); null without a target. */
  gap: number | null;
  inputFiles: number;
  projectedFiles: number;
  rules: PlanRule[];
  findings: PlanFinding[];
  /** When the target is not reached: the largest remaining owners and directories. */
  suggestions: PlanSuggestion[];
  /** Planner warnings (bad globs, unknown owners in selectors…). */
  warnings: Finding[];
}
