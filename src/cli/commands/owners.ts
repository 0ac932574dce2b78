import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { OWNER_KINDS, type OwnerKind } from '../../owners/types.js';
import { colorEnabled, style } from '../../report/format.js';
import { ownersToJson, renderOwnersText } from '../../report/owners-report.js';
import { addImageOptions, loadAnalysis, parseIntOption, type ImageCliOptions } from '../common.js';
import { outputWidth, writeJson, writeStdout } from '../output.js';
import { toolVersion } from '../version.js';

interface OwnersOptions extends ImageCliOptions {
  kind?: string[];
  json?: boolean;
  top: number;
}

export function parseKinds(list: string[] | undefined): OwnerKind[] | null {
  if (!list || list.length === 0) return null;
  const kinds = list.flatMap((k) => k.split(',')).map((k) => k.trim()).filter(Boolean);
  for (const k of kinds) {
    if (!OWNER_KINDS.includes(k as OwnerKind)) throw new UsageError(`unknown --kind "${k}"; use one of ${OWNER_KINDS.join(', ')}`);
  }
  return kinds as OwnerKind[];
}

export function registerOwners(program: Command): void {
  addImageOptions(
    program
      .command('owners')
      .description('who the bytes belong to: OS packages, UPS products, Spack packages, unowned directories')
      .argument('<image>', 'docker save archive, OCI layout (directory or tar), layer tar, or - for stdin')
      .option('--kind <kind...>', `only these kinds: ${OWNER_KINDS.join(', ')}`)
      .option('--top <n>', 'owners per kind in the text output', parseIntOption('--top'), 20)
      .option('--json', 'print every owner as JSON'),
  ).action(async (input: string, o: OwnersOptions) => {
    const kinds = parseKinds(o.kind);
    const a = await loadAnalysis(input, o);
    if (o.json) writeJson(ownersToJson(a, kinds, toolVersion()));
    else writeStdout(renderOwnersText(a, { width: outputWidth(), top: o.top, kinds, style: style(colorEnabled(process.stdout)) }));
  });
}
