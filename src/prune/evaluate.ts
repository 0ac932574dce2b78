/**
 * Turns compiled rules into a plan: which nodes are written, what each rule removes, the projected
 * sizes, and (unless asked not to) the safety findings and the suggestions. Decisions, per node:
 *
 * - keep wins: a node some enabled keep rule selects is written, whatever drop rules say;
 * - a node no enabled drop rule selects is written;
 * - a directory with anything written below it is written (a dropped directory keeps its kept
 *   parts); a directory nothing selected stays even when everything in it goes (it is "emptied");
 * - every other present node is dropped, credited to the first enabled drop rule (in rule order)
 *   that selects it.
 * A regular file's bytes are saved only when every name of its inode is dropped; they are credited
 * to the first rule, in rule order, among those dropping its names.
 *
 * Strip rules: a written regular file that an enabled strip rule selects and no enabled keep rule
 * does is written without its debug information — when every written name of its inode is such a
 * file, and the analysis found debug information it can strip safely (compile.ts, `stripSize`).
 * The bytes saved are credited to the first strip rule, in rule order, selecting one of its names;
 * a dropped file is never stripped.
 *
 * The quick path (`findings: false`, what the UI runs on every toggle) is a few passes over typed
 * arrays: no strings, no globs, no maps.
 */
import type { Analysis } from '../analysis/analyze.js';
import { Kind } from '../tree/layer-index.js';
import type { CompiledRules } from './compile.js';
import { checkSafety, type SafetyOptions } from './findings/index.js';
import { suggest } from './suggestions.js';
import { END_OF_ARCHIVE, padded } from './tar-estimate.js';
import type { Plan, PlanNotes, PlanResult, PlanRule } from './types.js';

export interface EvaluateOptions extends SafetyOptions {
  /** Target size of the merged tree in bytes (null/undefined: none). */
  target?: number | null;
  /** Per rule: false switches it off (default: all on). */
  enabled?: readonly boolean[];
  /** Run the safety checks (default true). */
  findings?: boolean;
  /** Rank the largest remaining owners and directories when the target is missed (default true). */
  suggestions?: boolean;
  /** How many owners and directories to suggest (default 10 each). */
  suggestionCount?: number;
}

/**
 * Per-node decisions plus the per-inode facts the checks and suggestions reuse. Only `dropped` and
 * `droppedBy` outlive the call; the others are working arrays reused by the next evaluation.
 */
export interface Decisions {
  /** 1 = written (the root always). */
  written: Uint8Array;
  dropped: Uint8Array;
  droppedBy: Int32Array;
  /** Per node: index of the first enabled keep rule selecting it, -1 when none. */
  keptBy: Int32Array;
  /** Per inode: 1 when some name of it is written. */
  inodeWritten: Uint8Array;
  /** Per inode: the size it is written at when stripped; −1 when written as it is (or not at all). */
  inodeStrippedSize: Float64Array;
}

const HAD_CHILD = 1;
const CHILD_WRITTEN = 2;

/** Working arrays of one compiled rule set, reused by every evaluation (the UI re-evaluates a lot). */
interface Scratch {
  written: Uint8Array;
  /** Per node: HAD_CHILD | CHILD_WRITTEN. */
  flags: Uint8Array;
  keptBy: Int32Array;
  inodeWritten: Uint8Array;
  inodeFirstDropped: Uint8Array;
  inodeDropRule: Int32Array;
  inodeStripRule: Int32Array;
  /** Per inode: some written name of it is not a strip candidate. */
  inodeStripBlock: Uint8Array;
  inodeStripNames: Int32Array;
  inodeStripNode: Int32Array;
  inodeStrippedSize: Float64Array;
}

const scratches = new WeakMap<CompiledRules, Scratch>();

function scratchFor(c: CompiledRules): Scratch {
  const N = c.analysis.paths.size;
  const I = c.analysis.tree.cols.inodeSize.length;
  let sc = scratches.get(c);
  if (!sc) {
    sc = {
      written: new Uint8Array(N),
      flags: new Uint8Array(N),
      keptBy: new Int32Array(N),
      inodeWritten: new Uint8Array(I),
      inodeFirstDropped: new Uint8Array(I),
      inodeDropRule: new Int32Array(I),
      inodeStripRule: new Int32Array(I),
      inodeStripBlock: new Uint8Array(I),
      inodeStripNames: new Int32Array(I),
      inodeStripNode: new Int32Array(I),
      inodeStrippedSize: new Float64Array(I),
    };
    scratches.set(c, sc);
  } else {
    sc.written.fill(0);
    sc.flags.fill(0);
    sc.inodeWritten.fill(0);
    sc.inodeFirstDropped.fill(0);
    sc.inodeStripBlock.fill(0);
    sc.inodeStripNames.fill(0);
  }
  sc.keptBy.fill(-1);
  sc.inodeDropRule.fill(-1);
  sc.inodeStripRule.fill(-1);
  sc.inodeStrippedSize.fill(-1);
  return sc;
}

export function evaluatePlan(analysis: Analysis, compiled: CompiledRules, opts: EvaluateOptions = {}): PlanResult {
  if (compiled.analysis !== analysis) throw new Error('evaluatePlan: the rules were compiled against another analysis');
  const a = analysis;
  const { tree, paths } = a;
  const N = paths.size;
  const rules = compiled.rules;
  const R = rules.length;
  const enabled = rules.map((_, r) => opts.enabled?.[r] !== false);

  // ---- per combo: the first enabled drop rule and the first enabled keep rule
  const C = compiled.comboStart.length - 1;
  const comboDrop = new Int32Array(C).fill(-1);
  const comboKeep = new Int32Array(C).fill(-1);
  const comboStrip = new Int32Array(C).fill(-1);
  let anyStrip = false;
  for (let c = 0; c < C; c++) {
    for (let i = compiled.comboStart[c]!; i < compiled.comboStart[c + 1]!; i++) {
      const r = compiled.comboRules[i]!;
      if (!enabled[r]) continue;
      const action = rules[r]!.action;
      if (action === 'drop') {
        if (comboDrop[c] < 0) comboDrop[c] = r;
      } else if (action === 'strip') {
        if (comboStrip[c] < 0) comboStrip[c] = r;
        anyStrip = true;
      } else if (comboKeep[c] < 0) comboKeep[c] = r;
    }
  }

  // ---- written: own decision, then anything written makes its parent written
  const state = tree.cols.state;
  const combo = compiled.combo;
  const parent = paths.parent;
  const sc = scratchFor(compiled);
  const { written, flags } = sc;
  written[0] = 1;
  for (let n = 1; n < N; n++) {
    if (state[n] === 0) continue;
    const c = combo[n]!;
    if (comboDrop[c]! < 0 || comboKeep[c]! >= 0) written[n] = 1;
  }
  for (let n = N - 1; n > 0; n--) {
    if (state[n] === 0) continue;
    const p = parent[n]!;
    if (written[n]) {
      written[p] = 1;
      flags[p] = HAD_CHILD | CHILD_WRITTEN;
    } else flags[p]! |= HAD_CHILD;
  }

  // ---- per node figures
  const inode = tree.cols.inode;
  const inodeSize = tree.cols.inodeSize;
  const I = inodeSize.length;
  const { inodeWritten, inodeFirstDropped, inodeDropRule, keptBy, inodeStripRule, inodeStripBlock, inodeStripNames, inodeStripNode, inodeStrippedSize } = sc;
  // the per-node results belong to the caller (the writer and the UI keep them): fresh arrays
  const dropped = new Uint8Array(N);
  const droppedBy = new Int32Array(N).fill(-1);
  const files = new Float64Array(R);
  const bytes = new Float64Array(R);
  const keptFiles = new Float64Array(R);
  const keptBytes = new Float64Array(R);
  const headers = compiled.headerBytes;
  const notes: PlanNotes = {
    droppedDirs: 0,
    emptiedDirs: 0,
    droppedSymlinks: 0,
    hardlinksRepointed: 0,
    elfChecked: 0,
    elfUnresolvedBefore: 0,
    symlinksDanglingBefore: 0,
    dictionaryHeadersChecked: 0,
    dictionaryHeadersNeeded: 0,
    rootmapLibrariesChecked: 0,
    rootmapLibrariesUnresolvedBefore: 0,
    strippedFiles: 0,
    stripSkipped: 0,
  };
  let imageBytes = END_OF_ARCHIVE;
  let inputFiles = 0;
  let projectedFiles = 0;
  const FILE = Kind.File + 1;
  for (let n = 1; n < N; n++) {
    const s = state[n]!;
    if (s === 0) continue;
    const isFile = s === FILE;
    if (isFile) inputFiles++;
    const c = combo[n]!;
    const k = comboKeep[c]!;
    if (k >= 0) keptBy[n] = k;
    if (written[n]) {
      imageBytes += headers[n]!;
      if (isFile) {
        projectedFiles++;
        const ino = inode[n]!;
        if (ino >= 0 && !inodeWritten[ino]) {
          inodeWritten[ino] = 1;
          imageBytes += padded(inodeSize[ino]!);
        }
        if (k >= 0 && comboDrop[c]! >= 0) {
          keptFiles[k]!++;
          if (ino >= 0) keptBytes[k]! += tree.ownBytesOf(n);
        }
        if (anyStrip && ino >= 0) {
          const sr = k < 0 ? comboStrip[c]! : -1;
          if (sr < 0) inodeStripBlock[ino] = 1;
          else {
            const prior = inodeStripRule[ino]!;
            if (prior < 0) inodeStripNode[ino] = n;
            if (prior < 0 || sr < prior) inodeStripRule[ino] = sr;
            inodeStripNames[ino]!++;
          }
        }
      } else if (s === Kind.Dir + 1 && flags[n] === HAD_CHILD && comboDrop[c]! < 0) notes.emptiedDirs++;
      continue;
    }
    const d = comboDrop[c]!;
    dropped[n] = 1;
    droppedBy[n] = d;
    if (isFile) {
      files[d]!++;
      const ino = inode[n]!;
      if (ino >= 0) {
        const prior = inodeDropRule[ino]!;
        if (prior < 0 || d < prior) inodeDropRule[ino] = d;
        if (tree.ownBytesOf(n) > 0) inodeFirstDropped[ino] = 1;
      }
    } else if (s === Kind.Dir + 1) notes.droppedDirs++;
    else if (s === Kind.Symlink + 1) notes.droppedSymlinks++;
  }
  let savedBytes = 0;
  for (let ino = 0; ino < I; ino++) {
    const r = inodeDropRule[ino]!;
    if (r < 0) continue;
    if (inodeWritten[ino]) {
      if (inodeFirstDropped[ino]) notes.hardlinksRepointed++;
      continue;
    }
    bytes[r]! += inodeSize[ino]!;
    savedBytes += inodeSize[ino]!;
  }

  // strip: inodes all of whose written names a strip rule selects (and no keep rule)
  const skippedExamples: string[] = [];
  if (anyStrip) {
    const stripSize = compiled.stripSize;
    for (let ino = 0; ino < I; ino++) {
      const r = inodeStripRule[ino]!;
      if (r < 0 || inodeStripBlock[ino] || !inodeWritten[ino]) continue;
      const to = stripSize[ino]!;
      if (to < 0) {
        const why = compiled.stripProblem.get(ino);
        if (why !== undefined) {
          notes.stripSkipped++;
          if (skippedExamples.length < 3) skippedExamples.push(`/${paths.pathOf(inodeStripNode[ino]!)}: ${why}`);
        }
        continue;
      }
      const size = inodeSize[ino]!;
      inodeStrippedSize[ino] = to;
      bytes[r]! += size - to;
      files[r]! += inodeStripNames[ino]!;
      savedBytes += size - to;
      imageBytes += padded(to) - padded(size);
      notes.strippedFiles += inodeStripNames[ino]!;
    }
  }
  const stripped = new Uint8Array(N);
  if (notes.strippedFiles > 0) {
    for (let n = 1; n < N; n++) {
      if (state[n] !== FILE || !written[n]) continue;
      const ino = inode[n]!;
      if (ino >= 0 && inodeStrippedSize[ino]! >= 0) stripped[n] = 1;
    }
  }

  const inputBytes = a.totals.mergedBytes;
  const projectedBytes = inputBytes - savedBytes;
  const target = opts.target ?? null;
  const planRules: PlanRule[] = rules.map((rule, r) => {
    const pr: PlanRule = { name: rule.name, action: rule.action, why: rule.why ?? null, enabled: enabled[r]!, files: files[r]!, bytes: bytes[r]! };
    if (rule.action === 'keep') {
      pr.keptFiles = keptFiles[r]!;
      pr.keptBytes = keptBytes[r]!;
    }
    return pr;
  });
  const plan: Plan = {
    ruleSets: compiled.ruleSet.name.split('+'),
    inputBytes,
    projectedBytes,
    savedBytes,
    projectedImageBytes: imageBytes,
    target,
    gap: target === null ? null : projectedBytes - target,
    inputFiles,
    projectedFiles,
    rules: planRules,
    findings: [],
    suggestions: [],
    warnings: [
      ...compiled.warnings,
      ...(notes.stripSkipped > 0
        ? [{ severity: 'warning' as const, code: 'strip-skipped', message: `${notes.stripSkipped} ELF file${notes.stripSkipped === 1 ? '' : 's'} with debug information that strip rules select ${notes.stripSkipped === 1 ? 'is' : 'are'} written as ${notes.stripSkipped === 1 ? 'it is' : 'they are'}: ${skippedExamples.join('; ')}${notes.stripSkipped > skippedExamples.length ? '; …' : ''}` }]
        : []),
    ],
    inputImageBytes: compiled.inputImageBytes,
    findingsChecked: false,
    findingCounts: {},
    notes,
  };
  const decisions: Decisions = { written, dropped, droppedBy, keptBy, inodeWritten, inodeStrippedSize };
  if (opts.findings !== false) {
    const safety = checkSafety(compiled, decisions, opts);
    plan.findings = safety.findings;
    plan.findingCounts = safety.counts;
    plan.warnings.push(...safety.warnings);
    notes.elfChecked = safety.elfChecked;
    notes.elfUnresolvedBefore = safety.elfUnresolvedBefore;
    notes.symlinksDanglingBefore = safety.symlinksDanglingBefore;
    notes.dictionaryHeadersChecked = safety.dictionaryHeadersChecked;
    notes.dictionaryHeadersNeeded = safety.dictionaryHeadersNeeded;
    notes.rootmapLibrariesChecked = safety.rootmapLibrariesChecked;
    notes.rootmapLibrariesUnresolvedBefore = safety.rootmapLibrariesUnresolvedBefore;
    plan.findingsChecked = true;
  }
  if (opts.suggestions !== false && target !== null && projectedBytes > target) {
    plan.suggestions = suggest(compiled, decisions, opts.suggestionCount ?? 10);
  }
  return { plan, dropped, droppedBy, stripped };
}
