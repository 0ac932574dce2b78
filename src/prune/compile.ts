/**
 * Compiles a rule set against one analysis: every rule is evaluated against every node exactly once,
 * in one depth-first walk of the merged tree, and the result is stored compactly as a "combo" per
 * node — the id of the set of rules that select it (directly or through an ancestor directory).
 * Images have few distinct sets (51 for the mu2e rules on the demo image), so `evaluatePlan`
 * decides per combo, not per rule per node, and stays a handful of typed-array passes however
 * often the UI toggles rules.
 *
 * Matching (docs/rules.md, "How rules match"): a rule selects a node when the node satisfies every
 * selector the rule has — a positive path glob matches it, its owner matches a positive owner
 * selector, its type/ELF/size predicates hold. What a rule selects, it selects with the whole
 * subtree. A node matching one of the rule's negated globs or owner selectors is carved out of that
 * rule, with its subtree, even inside a selected directory.
 *
 * The walk carries, per depth, the live glob automata (a pattern whose literal prefix a directory
 * does not share dies there) and the rule states (0 undecided, 1 selected, 2 carved out); a
 * directory whose state does not change shares its parent's row, so most nodes cost a few array
 * reads. Tar header sizes (for `projectedImageBytes`) and UPS metadata flags are computed in the
 * same walk, from incrementally kept path lengths: no path string is ever built.
 */
import type { Analysis } from '../analysis/analyze.js';
import type { IncludeScope } from '../analysis/include-store.js';
import type { Finding } from '../findings.js';
import { Kind } from '../tree/layer-index.js';
import { NO_NODE, ROOT } from '../tree/path-table.js';
import { dictionaryHeaders, dictionaryNodes, type DictionaryHeaders } from './dictionary-headers.js';
import { evaluatePlan } from './evaluate.js';
import { compileGlob, stepGlob, type CompiledGlob } from './glob.js';
import { parseOwnerSelector, selectorContext, type OwnerSelector } from './owner-selector.js';
import { stripOutcome, stripsInPlace } from './strip-policy.js';
import { BLOCK, END_OF_ARCHIVE, fitsUstar, padded, paxBlockBytes } from './tar-estimate.js';
import type { Rule, RuleSet } from './types.js';

export interface CompiledRules {
  readonly analysis: Analysis;
  readonly ruleSet: RuleSet;
  readonly rules: readonly Rule[];
  /** Per node: id of the set of rules selecting it (0 = none; absent nodes 0). */
  readonly combo: Int32Array;
  /** Rules of combo c, ascending: comboRules[comboStart[c] .. comboStart[c + 1]). */
  readonly comboStart: Int32Array;
  readonly comboRules: Int32Array;
  /** Per node: bytes of its tar header(s) in the written layer (0 for the root and absent nodes). */
  readonly headerBytes: Uint32Array;
  /** Per node: 1 for UPS metadata files (version, chain and table files). */
  readonly upsMeta: Uint8Array;
  /** Per rule: nodes it selects by itself (not through an ancestor). */
  readonly directMatches: Float64Array;
  /** The squashed layer tar of the image as it is, by the same formula as projectedImageBytes. */
  readonly inputImageBytes: number;
  /**
   * Per inode: the size a strip rule writes it at (−1: not ELF, no debug information, or it cannot
   * be stripped). All −1 when no rule strips.
   */
  readonly stripSize: Float64Array;
  /** Inodes with debug information that cannot be stripped, and why (only when some rule strips). */
  readonly stripProblem: Map<number, string>;
  readonly warnings: Finding[];
  readonly compileMs: number;
}

const ANY_TYPE = -1;
const TYPE_CODES: Record<string, number> = { file: Kind.File, dir: Kind.Dir, symlink: Kind.Symlink };

interface RuleTables {
  globs: CompiledGlob[];
  globRule: Int32Array;
  globNeg: Uint8Array;
  hasPathPos: Uint8Array;
  ownerPos: (Uint8Array | null)[];
  ownerNeg: (Uint8Array | null)[];
  /** Per owner: rules without positive globs whose positive owner selectors pick this owner. */
  ownerRules: Int32Array[];
  /** Rules without positive globs or positive owner selectors (only negations): candidates everywhere. */
  anywhere: Int32Array;
  negOwnerRules: Int32Array;
  type: Int8Array;
  elf: Int8Array;
  minSize: Float64Array;
  dictHeader: Int8Array;
}

function buildTables(a: Analysis, rules: readonly Rule[], warnings: Finding[]): RuleTables {
  const R = rules.length;
  const globs: CompiledGlob[] = [];
  const globRule: number[] = [];
  const globNeg: number[] = [];
  const hasPathPos = new Uint8Array(R);
  const owners = a.owners?.owners ?? [];
  const O = owners.length;
  const ctx = selectorContext(a.owners?.ups ?? null);
  const ownerPos: (Uint8Array | null)[] = [];
  const ownerNeg: (Uint8Array | null)[] = [];
  const perOwner: number[][] = Array.from({ length: O }, () => []);
  const anywhere: number[] = [];
  const negOwnerRules: number[] = [];
  const type = new Int8Array(R);
  const elf = new Int8Array(R);
  const minSize = new Float64Array(R);
  const dictHeader = new Int8Array(R);
  rules.forEach((rule, r) => {
    for (const p of rule.paths ?? []) {
      const neg = p.startsWith('!');
      for (const g of compileGlob(neg ? p.slice(1) : p)) {
        globs.push(g);
        globRule.push(r);
        globNeg.push(neg ? 1 : 0);
        if (!neg) hasPathPos[r] = 1;
      }
    }
    let pos: Uint8Array | null = null;
    let neg: Uint8Array | null = null;
    const selectors: OwnerSelector[] = (rule.owners ?? []).map(parseOwnerSelector);
    for (const s of selectors) {
      const table = s.negated ? (neg ??= new Uint8Array(O)) : (pos ??= new Uint8Array(O));
      let hits = 0;
      for (let o = 0; o < O; o++) {
        if (s.test(owners[o]!, ctx)) {
          table[o] = 1;
          hits++;
        }
      }
      if (hits === 0 && !s.negated) {
        warnings.push({ severity: 'info', code: 'rule-owner-unmatched', message: `rule ${rule.name}: owner selector ${s.source} matches no owner in this image${a.owners ? '' : ' (owners were not read)'}` });
      }
    }
    ownerPos.push(pos);
    ownerNeg.push(neg);
    if (neg) negOwnerRules.push(r);
    if (!hasPathPos[r]) {
      if (pos) {
        for (let o = 0; o < O; o++) if (pos[o]) perOwner[o]!.push(r);
      } else anywhere.push(r);
    }
    type[r] = rule.type && rule.type !== 'any' ? TYPE_CODES[rule.type]! : ANY_TYPE;
    elf[r] = rule.elf === undefined ? -1 : rule.elf ? 1 : 0;
    minSize[r] = rule.minSize === undefined ? -1 : rule.minSize;
    dictHeader[r] = rule.dictionaryHeader === undefined ? -1 : rule.dictionaryHeader ? 1 : 0;
    if (rule.dictionaryHeader !== undefined && a.includes?.scope !== 'headers') {
      warnings.push({ severity: 'warning', code: 'rule-headers-unknown', message: `rule ${rule.name} asks which headers ROOT dictionaries need, but the analysis did not read headers' #include lines; it selects nothing` });
    }
    if (rule.elf !== undefined && a.elf === null) {
      warnings.push({ severity: 'warning', code: 'rule-elf-unknown', message: `rule ${rule.name} asks whether files are ELF, but the analysis did not read ELF headers; it selects nothing` });
    } else if (rule.action === 'strip' && a.elf === null) {
      warnings.push({ severity: 'warning', code: 'rule-elf-unknown', message: `rule ${rule.name} strips ELF files, but the analysis did not read ELF headers; it strips nothing` });
    }
  });
  return {
    globs,
    globRule: Int32Array.from(globRule),
    globNeg: Uint8Array.from(globNeg),
    hasPathPos,
    ownerPos,
    ownerNeg,
    ownerRules: perOwner.map((l) => Int32Array.from(l)),
    anywhere: Int32Array.from(anywhere),
    negOwnerRules: Int32Array.from(negOwnerRules),
    type,
    elf,
    minSize,
    dictHeader,
  };
}

/** What the analysis must read for these rules: every header's includes when a rule asks about them. */
export function includeScopeFor(rules: readonly Rule[]): IncludeScope {
  return rules.some((r) => r.dictionaryHeader !== undefined) ? 'headers' : 'rootmaps';
}

/**
 * Compiles a rule set. Rules with `dictionaryHeader` need to know which dictionaries stay, which
 * the other rules decide: the set is first compiled and evaluated with those rules selecting
 * nothing, the rootmaps written then seed the closure (dictionary-headers.ts), and the set is
 * compiled again with it. (The UI's rule toggles re-evaluate without recomputing the closure.)
 */
export function compileRules(analysis: Analysis, ruleSet: RuleSet): CompiledRules {
  const t0 = performance.now();
  const asks = ruleSet.rules.some((r) => r.dictionaryHeader !== undefined);
  if (!asks || analysis.includes?.scope !== 'headers') return compileWith(analysis, ruleSet, null, t0);
  if (analysis.includes.incomplete !== null) {
    // Not every header was read: every file counts as needed (true holds everywhere, false nowhere).
    const all = new Uint8Array(analysis.paths.size).fill(1);
    const c = compileWith(analysis, ruleSet, { needed: all, edges: [], unresolved: 0, count: 0 }, t0);
    c.warnings.push({ severity: 'warning', code: 'rule-headers-incomplete', message: `not every header's #include lines were read (${analysis.includes.incomplete}): rules with dictionaryHeader treat every file as needed by a dictionary` });
    return c;
  }
  const first = compileWith(analysis, ruleSet, null, t0);
  const { dropped } = evaluatePlan(analysis, first, { findings: false, suggestions: false });
  const { tree } = analysis;
  const seeds = dictionaryNodes(analysis.includes, (n) => tree.isFile(n) && dropped[n] === 0);
  return compileWith(analysis, ruleSet, dictionaryHeaders(analysis, seeds), t0);
}

function compileWith(analysis: Analysis, ruleSet: RuleSet, dict: DictionaryHeaders | null, t0: number): CompiledRules {
  const { paths, tree } = analysis;
  const rules = ruleSet.rules;
  const R = rules.length;
  const N = paths.size;
  const warnings: Finding[] = [];
  const T = buildTables(analysis, rules, warnings);
  const P = T.globs.length;

  const state = tree.cols.state;
  const inode = tree.cols.inode;
  const inodeSize = tree.cols.inodeSize;
  const fc = paths.firstChild;
  const ns = paths.nextSibling;
  const nameId = paths.nameId;
  const names = paths.names;
  const nodeOwner = analysis.owners?.nodeOwner ?? null;
  const elfMap = analysis.elf;
  const needed = dict?.needed ?? null;

  let maxDepth = 0;
  for (let n = 0; n < N; n++) if (paths.depth[n]! > maxDepth) maxDepth = paths.depth[n]!;
  const D = maxDepth + 2;

  // per depth: live globs, rule-state row, path length in bytes, ASCII-ness, metadata dir
  const listId = Array.from({ length: D }, () => new Int32Array(P));
  const listMask = Array.from({ length: D }, () => new Int32Array(P));
  const listLen = new Int32Array(D);
  const rows = new Uint8Array(D * R);
  const rowOf = new Int32Array(D);
  const plen = new Float64Array(D);
  const ascii = new Uint8Array(D);
  const metaDir = new Uint8Array(D);
  ascii[0] = 1;
  for (let i = 0; i < P; i++) {
    listId[0]![i] = i;
    listMask[0]![i] = T.globs[i]!.start;
  }
  listLen[0] = P;

  // A rule with both globs and owner selectors can only select nodes of its owners: mark, per such
  // rule, the nodes with one of them at or below, so its globs die in subtrees without any. The
  // marks are bits of one per-node word array (one read per node, not one per rule).
  const slotOf = new Int32Array(R).fill(-1);
  let slots = 0;
  if (nodeOwner !== null) for (let r = 0; r < R; r++) if (T.hasPathPos[r] && T.ownerPos[r] !== null) slotOf[r] = slots++;
  const words = Math.ceil(slots / 32);
  const within = new Int32Array(words === 0 ? 0 : N * words);
  if (words > 0) {
    for (let r = 0; r < R; r++) {
      const k = slotOf[r]!;
      if (k < 0) continue;
      const pos = T.ownerPos[r]!;
      const bit = 1 << (k & 31);
      const off = k >> 5;
      for (let n = N - 1; n > 0; n--) {
        if (state[n] === 0) continue;
        const o = nodeOwner![n]!;
        const at = n * words + off;
        if (within[at]! & bit || (o >= 0 && pos[o])) {
          within[at]! |= bit;
          within[paths.parent[n]! * words + off]! |= bit;
        }
      }
    }
  }

  const combo = new Int32Array(N);
  const comboLists: number[][] = [[]];
  const comboIds = new Map<string, number>([['', 0]]);
  const headerBytes = new Uint32Array(N);
  const upsMeta = new Uint8Array(N);
  const directMatches = new Float64Array(R);

  const posStamp = new Int32Array(R);
  const negStamp = new Int32Array(R);
  const exclStamp = new Int32Array(R);
  const matchStamp = new Int32Array(R);
  const posList = new Int32Array(Math.max(1, P));
  const negList = new Int32Array(Math.max(1, P + R));
  const matchList = new Int32Array(Math.max(1, R));
  const exclList = new Int32Array(Math.max(1, R));
  const slashes: number[] = [];
  let visit = 0;

  const ruleHolds = (r: number, node: number, kind: number, owner: number): boolean => {
    const pos = T.ownerPos[r];
    if (pos !== null && (owner < 0 || pos[owner] === 0)) return false;
    const ty = T.type[r]!;
    if (ty !== ANY_TYPE && ty !== kind) return false;
    const e = T.elf[r]!;
    if (e >= 0) {
      if (kind !== Kind.File || elfMap === null) return false;
      if ((elfMap.has(node) ? 1 : 0) !== e) return false;
    }
    const min = T.minSize[r]!;
    if (min >= 0 && (kind !== Kind.File || tree.sizeOf(node) < min)) return false;
    const dh = T.dictHeader[r]!;
    if (dh >= 0 && (kind !== Kind.File || needed === null || needed[node] !== dh)) return false;
    return true;
  };

  // the node being decided, for `consider` (one function for the whole walk, not one per node)
  let curRow = 0;
  let curNode = 0;
  let curKind = 0;
  let curOwner = -1;
  let nMatch = 0;
  const consider = (r: number): void => {
    if (rows[curRow + r] !== 0 || exclStamp[r] === visit || matchStamp[r] === visit) return;
    if (!ruleHolds(r, curNode, curKind, curOwner)) return;
    matchStamp[r] = visit;
    matchList[nMatch++] = r;
    directMatches[r]!++;
  };

  const frameNext = new Int32Array(D);
  frameNext[0] = fc[ROOT]!;
  let depth = 0;
  while (depth >= 0) {
    const c = frameNext[depth]!;
    if (c === NO_NODE) {
      depth--;
      continue;
    }
    frameNext[depth] = ns[c]!;
    const s = state[c]!;
    if (s === 0) continue;
    const kind = s - 1;
    const d = depth;
    const cd = d + 1;
    const parent = paths.parent[c]!;
    const name = names.get(nameId[c]!);
    const isDir = kind === Kind.Dir;
    const descend = isDir && fc[c] !== NO_NODE;
    visit++;

    // ---- tar header size and metadata flags
    const nameBytes = Buffer.byteLength(name);
    plen[cd] = d === 0 ? nameBytes : plen[d]! + 1 + nameBytes;
    ascii[cd] = ascii[d]! && nameBytes === name.length ? 1 : 0;
    let linkBytes = 0;
    let linkAscii = true;
    if (kind === Kind.Symlink) {
      const target = tree.symlinkTarget(c) ?? '';
      linkBytes = Buffer.byteLength(target);
      linkAscii = linkBytes === target.length;
    }
    const full = plen[cd]! + (isDir ? 1 : 0);
    let fits: boolean;
    if (full <= 100 && linkBytes <= 100 && ascii[cd] && linkAscii) fits = true;
    else {
      slashes.length = 0;
      for (let j = 1; j < cd; j++) slashes.push(plen[j]!);
      if (isDir) slashes.push(plen[cd]!);
      fits = fitsUstar(full, slashes, ascii[cd] === 1, linkBytes, linkAscii);
    }
    headerBytes[c] = BLOCK + (fits ? 0 : paxBlockBytes(full, linkBytes));
    if (isDir) metaDir[cd] = name.endsWith('.version') || name.endsWith('.chain') ? 1 : 0;
    else if (kind === Kind.File && (metaDir[d] || name.endsWith('.table') || name.endsWith('.version') || name.endsWith('.chain'))) upsMeta[c] = 1;

    // ---- globs
    const pRow = rowOf[d]! * R;
    const ids = listId[d]!;
    const masks = listMask[d]!;
    const L = listLen[d]!;
    const outIds = listId[cd]!;
    const outMasks = listMask[cd]!;
    let out = 0;
    let nPos = 0;
    let nNeg = 0;
    for (let i = 0; i < L; i++) {
      const g = ids[i]!;
      const r = T.globRule[g]!;
      const st = rows[pRow + r]!;
      if (st === 2) continue;
      const neg = T.globNeg[g]!;
      if (st === 1 && !neg) continue;
      const k = slotOf[r]!;
      if (k >= 0 && (within[c * words + (k >> 5)]! & (1 << (k & 31))) === 0) continue;
      const glob = T.globs[g]!;
      const m = stepGlob(glob, masks[i]!, name);
      if (m === 0) continue;
      if (m & glob.accept) {
        if (neg) {
          if (negStamp[r] !== visit) {
            negStamp[r] = visit;
            negList[nNeg++] = r;
          }
        } else if (posStamp[r] !== visit) {
          posStamp[r] = visit;
          posList[nPos++] = r;
        }
      }
      if (descend) {
        outIds[out] = g;
        outMasks[out++] = m;
      }
    }
    if (descend) listLen[cd] = out;

    // ---- carve-outs, then new selections
    const owner = nodeOwner !== null ? nodeOwner[c]! : -1;
    if (owner >= 0) {
      for (let i = 0; i < T.negOwnerRules.length; i++) {
        const r = T.negOwnerRules[i]!;
        if (T.ownerNeg[r]![owner] && negStamp[r] !== visit) {
          negStamp[r] = visit;
          negList[nNeg++] = r;
        }
      }
    }
    let nExcl = 0;
    let comboChanged = false;
    for (let i = 0; i < nNeg; i++) {
      const r = negList[i]!;
      const st = rows[pRow + r]!;
      if (st === 2) continue;
      exclStamp[r] = visit;
      exclList[nExcl++] = r;
      if (st === 1) comboChanged = true;
    }
    nMatch = 0;
    curRow = pRow;
    curNode = c;
    curKind = kind;
    curOwner = owner;
    for (let i = 0; i < nPos; i++) consider(posList[i]!);
    if (owner >= 0) {
      const list = T.ownerRules[owner]!;
      for (let i = 0; i < list.length; i++) consider(list[i]!);
    }
    for (let i = 0; i < T.anywhere.length; i++) consider(T.anywhere[i]!);
    if (nMatch > 0) comboChanged = true;

    // ---- combo and state row
    if (!comboChanged) combo[c] = combo[parent]!;
    else {
      const list: number[] = [];
      for (const r of comboLists[combo[parent]!]!) if (exclStamp[r] !== visit) list.push(r);
      for (let i = 0; i < nMatch; i++) list.push(matchList[i]!);
      list.sort((x, y) => x - y);
      const key = list.join(',');
      let id = comboIds.get(key);
      if (id === undefined) {
        id = comboLists.length;
        comboLists.push(list);
        comboIds.set(key, id);
      }
      combo[c] = id;
    }
    if (descend) {
      if (nExcl === 0 && nMatch === 0) rowOf[cd] = rowOf[d]!;
      else {
        const base = cd * R;
        rows.copyWithin(base, pRow, pRow + R);
        for (let i = 0; i < nExcl; i++) rows[base + exclList[i]!] = 2;
        for (let i = 0; i < nMatch; i++) rows[base + matchList[i]!] = 1;
        rowOf[cd] = cd;
      }
      depth = cd;
      frameNext[cd] = fc[c]!;
    }
  }

  // combos, flat
  const comboStart = new Int32Array(comboLists.length + 1);
  for (let i = 0; i < comboLists.length; i++) comboStart[i + 1] = comboStart[i]! + comboLists[i]!.length;
  const comboRules = new Int32Array(comboStart[comboLists.length]!);
  comboLists.forEach((l, i) => comboRules.set(l, comboStart[i]!));

  // the image as it is, by the same formula the plan uses
  let inputImageBytes = END_OF_ARCHIVE;
  const seen = new Uint8Array(inodeSize.length);
  for (let n = 1; n < N; n++) {
    if (state[n] === 0) continue;
    inputImageBytes += headerBytes[n]!;
    if (state[n] === Kind.File + 1) {
      const ino = inode[n]!;
      if (ino >= 0 && !seen[ino]) {
        seen[ino] = 1;
        inputImageBytes += padded(inodeSize[ino]!);
      }
    }
  }

  // what strip rules could save, per inode (the ELF map is by node; hard-link names share info)
  const stripSize = new Float64Array(inodeSize.length).fill(-1);
  const stripProblem = new Map<number, string>();
  if (elfMap !== null && rules.some((r) => r.action === 'strip')) {
    for (const [node, info] of elfMap) {
      if (state[node] !== Kind.File + 1) continue;
      const ino = inode[node]!;
      if (ino < 0 || stripSize[ino]! >= 0 || stripProblem.has(ino)) continue;
      const o = stripOutcome(info, inodeSize[ino]!, stripsInPlace(analysis.layers[tree.layerOf(node)]?.compression ?? 'none'));
      if (o === null) continue;
      if ('size' in o) stripSize[ino] = o.size;
      else stripProblem.set(ino, o.problem);
    }
  }

  rules.forEach((rule, r) => {
    if (directMatches[r] === 0) warnings.push({ severity: 'info', code: 'rule-unmatched', message: `rule ${rule.name} selects nothing in this image` });
  });

  return {
    analysis,
    ruleSet,
    rules,
    combo,
    comboStart,
    comboRules,
    headerBytes,
    upsMeta,
    directMatches,
    inputImageBytes,
    stripSize,
    stripProblem,
    warnings,
    compileMs: performance.now() - t0,
  };
}
