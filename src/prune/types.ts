/**
 * The prune data model shared by the rule compiler, the planner, the writer, `whittle plan`, budgets
 * and the UI. Field names of `Plan` mirror `plan --json` (a contract: see README).
 */
import type { Finding } from '../findings.js';

/**
 * `drop` removes what a rule selects; `keep` protects it from every other rule; `strip` writes the
 * ELF files it selects without their debug information (src/elf/strip.ts).
 */
export type RuleAction = 'drop' | 'keep' | 'strip';

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
  /**
   * true: only regular files some kept ROOT dictionary needs (the headers its rootmap names and what
   * they include, src/prune/dictionary-headers.ts); false: only regular files none needs.
   */
  dictionaryHeader?: boolean;
  /**
   * Files this rule drops never make a `package-partial` finding: the rule author says packages work
   * without them (documentation, man pages, locales: what dpkg `path-exclude` and rpm `nodocs` omit).
   */
  allowPartial?: boolean;
  /** Name of the rule set (file) the rule comes from. */
  set?: string;
}

export interface RuleSet {
  name: string;
  description: string;
  /** Rule set files this one was composed from, in order. */
  sources: string[];
  rules: Rule[];
}

/** Per-node decisions of a plan, for the writer and the UI. */
export interface PlanResult {
  plan: Plan;
  /** Per node: 1 = present in the merged tree but not written to the slimmed image. */
  dropped: Uint8Array;
  /** Per node: index (into `plan.rules`) of the drop rule a dropped node is credited to; -1 otherwise. */
  droppedBy: Int32Array;
  /** Per node: 1 = a regular file written without its debug information (a strip rule's doing). */
  stripped: Uint8Array;
}

/**
 * Per-rule outcome: files and bytes it removes (each byte credited once, to the first rule). For a
 * strip rule: the files it writes stripped and the bytes stripping them saves.
 */
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
  | 'dictionary-header-missing'
  | 'rootmap-library-missing'
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
  /** The drop rule that causes it, when one does. */
  rule?: string;
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
  /** Estimated size of the squashed layer tar of the image as it is (same formula as projectedImageBytes). */
  inputImageBytes: number;
  /** Whether the safety checks ran (false for the UI's quick re-evaluations). */
  findingsChecked: boolean;
  /** Findings per kind (all of them, also when `findings` lists only the first ones of a kind). */
  findingCounts: Partial<Record<PlanFindingKind, number>>;
  /** Facts about the slimmed tree that are not safety findings. */
  notes: PlanNotes;
}

export interface PlanNotes {
  /** Directories not written at all. */
  droppedDirs: number;
  /** Directories that stay but lose every entry they had. */
  emptiedDirs: number;
  /** Symlinks dropped along with what they point to, or by a rule. */
  droppedSymlinks: number;
  /** Hard-linked inodes that keep some names and lose the one written first: the writer stores the data under a kept name. */
  hardlinksRepointed: number;
  /** ELF files checked (kept, with a dynamic section). */
  elfChecked: number;
  /** DT_NEEDED entries that do not resolve in the image as it is (not the plan's doing). */
  elfUnresolvedBefore: number;
  /** Header names kept dictionaries and headers use, checked against the slimmed tree. */
  dictionaryHeadersChecked: number;
  /** Files some kept dictionary needs (headers named by rootmaps, and with headers read, what they include). */
  dictionaryHeadersNeeded: number;
  /** Libraries kept rootmaps map classes to, checked against the slimmed tree. */
  rootmapLibrariesChecked: number;
  /** Libraries kept rootmaps name that are not next to them in the image as it is (not the plan's doing). */
  rootmapLibrariesUnresolvedBefore: number;
  /** Symlinks that already dangle in the image as it is. */
  symlinksDanglingBefore: number;
  /** Regular files (names) written without their debug information. */
  strippedFiles: number;
  /** ELF files with debug information that strip rules select but that stay as they are (see warnings for why). */
  stripSkipped: number;
}
