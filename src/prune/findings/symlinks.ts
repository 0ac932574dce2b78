/**
 * Symlinks the plan leaves dangling: a written symlink that resolved in the image as it is and no
 * longer does (its target, or a directory on the way, is dropped). A symlink that already dangled
 * is not the plan's doing and is only counted.
 */
import { Kind } from '../../tree/layer-index.js';
import { PathResolver } from '../resolve-path.js';
import { abs, ruleDropping, type CheckContext } from './context.js';

export function checkSymlinks(ctx: CheckContext): { danglingBefore: number } {
  const { tree, paths } = ctx.compiled.analysis;
  const written = ctx.d.written;
  const before = new PathResolver(tree, () => true);
  const after = new PathResolver(tree, (n) => written[n] === 1);
  const state = tree.cols.state;
  const SYMLINK = Kind.Symlink + 1;
  let danglingBefore = 0;
  for (let n = 1; n < paths.size; n++) {
    if (state[n] !== SYMLINK || !written[n]) continue;
    const path = paths.pathOf(n);
    const target = before.resolve(path, true);
    if (target < 0) {
      danglingBefore++;
      continue;
    }
    if (after.resolve(path, true) >= 0) continue;
    const rule = ruleDropping(ctx, target);
    const to = tree.symlinkTarget(n) ?? '';
    const resolved = abs(ctx, target);
    ctx.out.add({
      kind: 'symlink-dangling',
      path: `/${path}`,
      message: `symlink /${path} -> ${to} would dangle: ${resolved === `/${to}` || to.startsWith('/') ? resolved : `${to} (${resolved})`} is dropped${rule ? ` by rule ${rule}` : ''}`,
      ...(rule ? { rule } : {}),
    });
  }
  return { danglingBefore };
}
