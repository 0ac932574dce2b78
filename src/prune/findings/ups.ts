/**
 * UPS requirements the plan breaks: a build that stays (some of its files other than version,
 * chain and table files are written) whose table `setupRequired`s a build (a product, or one
 * qualifier build of it) that loses every such file. `setup` of the kept build would then fail.
 * Optional requirements (`setupOptional`) and requirements of builds that go are not checked.
 */
import { Kind } from '../../tree/layer-index.js';
import { abs, ruleDropping, type CheckContext } from './context.js';

export function checkUpsRequirements(ctx: CheckContext): void {
  const a = ctx.compiled.analysis;
  const ups = a.owners?.ups;
  const owners = a.owners?.owners;
  const nodeOwner = a.owners?.nodeOwner;
  if (!ups || !owners || !nodeOwner) return;
  const index = new Map<string, number>();
  owners.forEach((o, i) => {
    if (o.kind === 'ups' && o.level === 'build') index.set(o.id, i);
  });
  const O = owners.length;
  const dataFiles = new Float64Array(O);
  const keptFiles = new Float64Array(O);
  const firstDropped = new Int32Array(O).fill(-1);
  const state = a.tree.cols.state;
  const meta = ctx.compiled.upsMeta;
  for (let n = 1; n < a.paths.size; n++) {
    if (state[n] !== Kind.File + 1 || meta[n]) continue;
    const o = nodeOwner[n]!;
    if (o < 0 || owners[o]!.kind !== 'ups') continue;
    dataFiles[o]!++;
    if (ctx.d.written[n]) keptFiles[o]!++;
    else if (firstDropped[o]! < 0) firstDropped[o] = n;
  }
  for (const b of ups.model.builds()) {
    const from = index.get(b.id);
    if (from === undefined || keptFiles[from] === 0) continue;
    for (const e of ups.graph.dependenciesOf(b.id)) {
      if (e.optional) continue;
      const to = index.get(e.to);
      if (to === undefined || dataFiles[to] === 0 || keptFiles[to]! > 0) continue;
      const target = ups.model.build(e.to);
      const scope = target?.scopeDir ?? null;
      const scopeNode = scope !== null ? a.paths.lookup(scope) : -1;
      const where = scopeNode >= 0 ? scopeNode : firstDropped[to]!;
      const rule = ruleDropping(ctx, where);
      ctx.out.add({
        kind: 'ups-requirement-dropped',
        path: abs(ctx, where),
        owner: b.id,
        message: `${b.id} stays but requires ${e.to} (${e.requirement.where}), whose ${dataFiles[to]} files are all dropped${rule ? ` by rule ${rule}` : ''}`,
        ...(rule ? { rule } : {}),
      });
    }
  }
}
