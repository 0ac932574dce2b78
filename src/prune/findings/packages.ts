/**
 * OS packages (dpkg, rpm, apk) and Spack packages that lose some but not all of their files: the
 * package manager still lists the package as installed, but part of it is gone. Files dropped by a
 * rule marked `allowPartial` (documentation, man pages, locales: what dpkg `path-exclude` and rpm
 * `nodocs` leave out) do not count; a package that loses everything is not partial. UPS builds are
 * not checked here: dropping part of an install prefix (docs, static libraries, sources) is normal,
 * and what breaks them is caught by the UPS requirement and ELF library checks.
 */
import { bytes as fmtBytes } from '../../report/format.js';
import { Kind } from '../../tree/layer-index.js';
import { abs, type CheckContext } from './context.js';

const PACKAGE_KINDS = new Set(['dpkg', 'rpm', 'apk', 'spack']);

export function checkPackages(ctx: CheckContext): void {
  const a = ctx.compiled.analysis;
  const owners = a.owners?.owners;
  const nodeOwner = a.owners?.nodeOwner;
  if (!owners || !nodeOwner) return;
  const O = owners.length;
  const isPackage = new Uint8Array(O);
  owners.forEach((o, i) => (isPackage[i] = PACKAGE_KINDS.has(o.kind) ? 1 : 0));
  const total = new Float64Array(O);
  const kept = new Float64Array(O);
  const lost = new Float64Array(O);
  const lostBytes = new Float64Array(O);
  const firstLost = new Int32Array(O).fill(-1);
  const firstKept = new Int32Array(O).fill(-1);
  const lostRules = new Map<number, Set<number>>();
  const { tree, paths } = a;
  const state = tree.cols.state;
  const rules = ctx.compiled.rules;
  for (let n = 1; n < paths.size; n++) {
    const s = state[n]!;
    if (s !== Kind.File + 1 && s !== Kind.Symlink + 1) continue;
    const o = nodeOwner[n]!;
    if (o < 0 || !isPackage[o]) continue;
    total[o]!++;
    if (ctx.d.written[n]) {
      kept[o]!++;
      if (firstKept[o]! < 0) firstKept[o] = n;
      continue;
    }
    const r = ctx.d.droppedBy[n]!;
    if (r >= 0 && rules[r]!.allowPartial) continue;
    lost[o]!++;
    lostBytes[o]! += s === Kind.File + 1 ? tree.sizeOf(n) : 0;
    if (firstLost[o]! < 0) firstLost[o] = n;
    if (r >= 0) {
      let set = lostRules.get(o);
      if (!set) lostRules.set(o, (set = new Set()));
      set.add(r);
    }
  }
  for (let o = 0; o < O; o++) {
    if (lost[o] === 0 || kept[o] === 0) continue;
    const owner = owners[o]!;
    const ruleNames = [...(lostRules.get(o) ?? [])].sort((x, y) => x - y).map((r) => rules[r]!.name);
    ctx.out.add({
      kind: 'package-partial',
      path: abs(ctx, firstLost[o]!),
      owner: owner.id,
      message: `${owner.id} would lose ${lost[o]} of its ${total[o]} files (${fmtBytes(lostBytes[o]!)}), e.g. ${abs(ctx, firstLost[o]!)}, to ${ruleNames.length === 1 ? 'rule' : 'rules'} ${ruleNames.join(', ')}; ${kept[o]} stay, e.g. ${abs(ctx, firstKept[o]!)}`,
      ...(ruleNames.length > 0 ? { rule: ruleNames[0]! } : {}),
    });
  }
}
