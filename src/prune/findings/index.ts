/** The plan's safety checks, run after the decisions are made (never on the UI's quick path). */
import type { Finding } from '../../findings.js';
import type { CompiledRules } from '../compile.js';
import type { Decisions } from '../evaluate.js';
import type { PlanFinding, PlanFindingKind } from '../types.js';
import { FindingList, type CheckContext } from './context.js';
import { checkDictionaryHeaders, checkRootmapLibraries } from './dictionaries.js';
import { checkElf } from './elf.js';
import { checkPackages } from './packages.js';
import { checkSymlinks } from './symlinks.js';
import { checkUpsRequirements } from './ups.js';

export interface SafetyOptions {
  /** At most this many findings of each kind are listed (all are counted); default 200. */
  maxFindingsPerKind?: number;
  /** Library directories of the image's /etc/ld.so.conf (and its includes), searched before the defaults. */
  ldSoConfDirs?: readonly string[];
}

export interface SafetyResult {
  findings: PlanFinding[];
  counts: Partial<Record<PlanFindingKind, number>>;
  warnings: Finding[];
  elfChecked: number;
  elfUnresolvedBefore: number;
  symlinksDanglingBefore: number;
  dictionaryHeadersChecked: number;
  dictionaryHeadersNeeded: number;
  rootmapLibrariesChecked: number;
  rootmapLibrariesUnresolvedBefore: number;
}

export function checkSafety(compiled: CompiledRules, d: Decisions, opts: SafetyOptions = {}): SafetyResult {
  const out = new FindingList(opts.maxFindingsPerKind ?? 200);
  const ctx: CheckContext = { compiled, d, out };
  const warnings: Finding[] = [];
  checkUpsRequirements(ctx);
  const elf = checkElf(ctx, opts.ldSoConfDirs ?? []);
  if (!compiled.analysis.elf) {
    warnings.push({ severity: 'warning', code: 'plan-elf-not-read', message: 'ELF dynamic sections were not read, so the missing-library check did not run' });
  }
  const sym = checkSymlinks(ctx);
  checkPackages(ctx);
  const dict = checkDictionaryHeaders(ctx);
  const libs = checkRootmapLibraries(ctx);
  const incomplete = compiled.analysis.includes?.incomplete ?? null;
  if (incomplete !== null) {
    warnings.push({ severity: 'warning', code: 'plan-headers-incomplete', message: `the dictionary-header check saw only part of the headers (${incomplete})` });
  }
  return {
    findings: out.findings,
    counts: out.counts,
    warnings,
    elfChecked: elf.checked,
    elfUnresolvedBefore: elf.unresolvedBefore,
    symlinksDanglingBefore: sym.danglingBefore,
    dictionaryHeadersChecked: dict.checked,
    dictionaryHeadersNeeded: dict.needed,
    rootmapLibrariesChecked: libs.checked,
    rootmapLibrariesUnresolvedBefore: libs.unresolvedBefore,
  };
}
