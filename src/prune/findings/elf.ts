/**
 * ELF libraries the plan makes unresolvable: for every written ELF file with a dynamic section, each
 * DT_NEEDED library is resolved as ld.so would (RPATH/RUNPATH with `$ORIGIN`, LD_LIBRARY_PATH, the
 * image's ld.so.conf directories, the default directories) once in the image as it is and once in
 * the slimmed one. Only a library found before and not after is a finding; one already missing is
 * counted (`elfUnresolvedBefore`), not blamed on the plan. LD_LIBRARY_PATH for a file of a UPS build
 * is what `setup` of that build would give: the library directories its table adds, and those of
 * every build it requires, transitively; files outside UPS builds get none.
 */
import { defaultLibraryDirs, resolveNeeded, type ElfInfo } from '../../elf/index.js';
import { PathResolver } from '../resolve-path.js';
import { abs, ruleDropping, type CheckContext } from './context.js';

export interface ElfCheckResult {
  checked: number;
  unresolvedBefore: number;
}

export function checkElf(ctx: CheckContext, ldSoConfDirs: readonly string[]): ElfCheckResult {
  const a = ctx.compiled.analysis;
  const result: ElfCheckResult = { checked: 0, unresolvedBefore: 0 };
  if (!a.elf) return result;
  const { tree, paths } = a;
  const written = ctx.d.written;
  const before = new PathResolver(tree, () => true);
  const after = new PathResolver(tree, (n) => written[n] === 1);
  const existsBefore = (p: string) => before.exists(p);
  const existsAfter = (p: string) => after.exists(p);
  const realpath = (p: string): string | null => {
    const n = before.resolve(p, true);
    return n < 0 ? null : `/${paths.pathOf(n)}`;
  };
  const owners = a.owners?.owners ?? [];
  const nodeOwner = a.owners?.nodeOwner ?? null;
  const ups = a.owners?.ups ?? null;
  const ldPathMemo = new Map<string, string[]>();
  const ldPathOf = (buildId: string): string[] => {
    let dirs = ldPathMemo.get(buildId);
    if (dirs) return dirs;
    dirs = [];
    if (ups) {
      const seen = new Set<string>([buildId]);
      const queue = [buildId];
      while (queue.length > 0) {
        const id = queue.shift()!;
        for (const d of ups.model.build(id)?.libraryDirs ?? []) if (!dirs.includes(d)) dirs.push(d);
        for (const e of ups.graph.dependenciesOf(id)) {
          if (!seen.has(e.to)) {
            seen.add(e.to);
            queue.push(e.to);
          }
        }
      }
    }
    ldPathMemo.set(buildId, dirs);
    return dirs;
  };
  const defaultsMemo = new Map<string, string[]>();
  const defaultsFor = (info: ElfInfo): string[] => {
    const key = `${info.machine}/${info.class}/${info.endian}`;
    let d = defaultsMemo.get(key);
    if (!d) defaultsMemo.set(key, (d = [...ldSoConfDirs, ...defaultLibraryDirs(info).filter((x) => !ldSoConfDirs.includes(x))]));
    return d;
  };

  for (const [node, info] of a.elf) {
    if (!written[node] || info.needed.length === 0) continue;
    result.checked++;
    const elfPath = `/${paths.pathOf(node)}`;
    const o = nodeOwner !== null ? nodeOwner[node]! : -1;
    const owner = o >= 0 ? owners[o] : undefined;
    const ldLibraryPath = owner && owner.kind === 'ups' && owner.level === 'build' ? ldPathOf(owner.id) : [];
    const opts = { elfPath, info, realpath, ldLibraryPath, defaultDirs: defaultsFor(info) };
    const was = resolveNeeded({ ...opts, exists: existsBefore });
    let changed = false;
    for (const r of was) {
      if (r.resolvedTo === null) result.unresolvedBefore++;
      else if (!existsAfter(r.resolvedTo)) changed = true;
    }
    if (!changed) continue;
    const now = resolveNeeded({ ...opts, exists: existsAfter });
    was.forEach((r, i) => {
      if (r.resolvedTo === null || now[i]!.resolvedTo !== null) return;
      const lib = before.resolve(r.resolvedTo, true);
      const rule = lib >= 0 ? ruleDropping(ctx, lib) : null;
      ctx.out.add({
        kind: 'elf-needed-missing',
        path: elfPath,
        ...(owner ? { owner: owner.id } : {}),
        message: `${elfPath} needs ${r.name}, found at ${r.resolvedTo}${lib >= 0 && abs(ctx, lib) !== r.resolvedTo ? ` (${abs(ctx, lib)})` : ''}; after the plan ld.so would not find it${rule ? ` (dropped by rule ${rule})` : ''}`,
        ...(rule ? { rule } : {}),
      });
    });
  }
  return result;
}
