/** The human summary of `whittle plan`: rules, totals, the target verdict, findings by kind, suggestions. */
import type { Analysis } from '../analysis/analyze.js';
import { imageTitle } from '../report/analysis-text.js';
import { bytes, count, percent, table, type Style } from '../report/format.js';
import type { Plan, PlanFinding, PlanFindingKind } from './types.js';

export interface PlanTextOptions {
  width: number;
  style: Style;
  /** Show rules that removed nothing too (default false: they are summarised in one line). */
  allRules?: boolean;
}

const KIND_TITLES: Record<PlanFindingKind, string> = {
  'ups-requirement-dropped': 'UPS requirements dropped',
  'elf-needed-missing': 'libraries no longer found',
  'symlink-dangling': 'symlinks left dangling',
  'dictionary-header-missing': 'ROOT dictionaries losing headers',
  'rootmap-library-missing': 'rootmaps whose libraries go',
  'package-partial': 'packages losing part of their files',
  'hardlink-repointed': 'hard links repointed',
};

export function renderPlanText(a: Analysis, plan: Plan, o: PlanTextOptions): string {
  const s = o.style;
  const out: string[] = [];
  const share = (n: number) => (plan.inputBytes > 0 ? percent(n / plan.inputBytes) : '—');
  out.push(s.bold(`whittle plan · ${imageTitle(a)}`), `rules: ${plan.ruleSets.join(' + ')}`, '');

  out.push(s.bold('Rules'));
  const rows = [['', 'rule', 'files', 'bytes', '% of input']];
  let idle = 0;
  for (const r of plan.rules) {
    const did = r.action === 'keep' ? (r.keptFiles ?? 0) > 0 : r.files > 0 || r.bytes > 0;
    if (!did && !o.allRules) {
      idle++;
      continue;
    }
    const name = r.enabled ? r.name : `${r.name} (off)`;
    if (r.action === 'drop') rows.push(['drop', name, count(r.files), bytes(r.bytes), share(r.bytes)]);
    else if (r.action === 'strip') rows.push(['strip', name, `${count(r.files)} stripped`, bytes(r.bytes), share(r.bytes)]);
    else rows.push(['keep', name, `${count(r.keptFiles ?? 0)} kept`, `${bytes(r.keptBytes ?? 0)} kept`, '']);
  }
  if (rows.length > 1) out.push(...table(rows, ['left', 'left', 'right', 'right', 'right'], o.width - 2).map((r, i) => `  ${i === 0 ? s.dim(r) : r}`));
  if (idle > 0) out.push(s.dim(`  ${idle} more rule${idle === 1 ? '' : 's'} matched nothing in this image or lost everything to earlier rules`));
  out.push('');

  out.push(s.bold('Totals'));
  const tot = [
    ['merged tree', `${bytes(plan.inputBytes)} → ${bytes(plan.projectedBytes)}  (saves ${bytes(plan.savedBytes)}, ${share(plan.savedBytes)})`],
    ['files', `${count(plan.inputFiles)} → ${count(plan.projectedFiles)}`],
    ['written layer', `≈ ${bytes(plan.projectedImageBytes)} uncompressed (the image as it is: ≈ ${bytes(plan.inputImageBytes)})`],
  ];
  out.push(...table(tot, ['left', 'left'], o.width - 2).map((r) => `  ${r}`), '');

  if (plan.target !== null && plan.gap !== null) {
    const verdict =
      plan.gap <= 0
        ? s.green(`target ${bytes(plan.target)} reached: ${bytes(plan.projectedBytes)}, ${bytes(-plan.gap)} under`)
        : s.red(`target ${bytes(plan.target)} NOT reached: ${bytes(plan.projectedBytes)}, ${bytes(plan.gap)} over`);
    out.push(s.bold('Target'), `  ${verdict}`, '');
  }

  out.push(s.bold('Safety'));
  if (!plan.findingsChecked) out.push('  not checked');
  else if (plan.findings.length === 0) {
    const n = plan.notes;
    const dict =
      (n.dictionaryHeadersChecked > 0 ? `, ${count(n.dictionaryHeadersChecked)} dictionary header names` : '') +
      (n.rootmapLibrariesChecked > 0 ? `, ${count(n.rootmapLibrariesChecked)} rootmap libraries` : '');
    out.push(s.green(`  no findings`) + s.dim(` (${count(n.elfChecked)} ELF files${dict} checked; already unresolved before: ${count(n.elfUnresolvedBefore)} libraries, ${count(n.symlinksDanglingBefore)} symlinks)`));
  } else {
    const byKind = new Map<PlanFindingKind, PlanFinding[]>();
    for (const f of plan.findings) {
      const list = byKind.get(f.kind);
      if (list) list.push(f);
      else byKind.set(f.kind, [f]);
    }
    for (const [kind, list] of byKind) {
      const total = plan.findingCounts[kind] ?? list.length;
      out.push(s.yellow(`  ${KIND_TITLES[kind]} (${count(total)})`));
      for (const f of list) out.push(`    ${f.message}`);
      if (total > list.length) out.push(s.dim(`    … and ${count(total - list.length)} more (see --json)`));
    }
  }
  out.push('');

  if (plan.suggestions.length > 0) {
    out.push(s.bold('Largest remaining (not protected by a keep rule)'));
    const sr = plan.suggestions.map((x) => [x.kind === 'owner' ? 'owner' : 'dir', bytes(x.bytes), `${count(x.files)} files`, x.id]);
    out.push(...table(sr, ['left', 'right', 'right', 'left'], o.width - 2).map((r) => `  ${r}`), '');
  }

  const n = plan.notes;
  const notes: string[] = [];
  if (n.emptiedDirs > 0) notes.push(`${count(n.emptiedDirs)} directories stay but lose all their entries`);
  if (n.strippedFiles > 0) notes.push(`${count(n.strippedFiles)} files are written without their debug information`);
  if (n.dictionaryHeadersNeeded > 0) notes.push(`${count(n.dictionaryHeadersNeeded)} headers are needed by the ROOT dictionaries that stay`);
  if (n.hardlinksRepointed > 0) notes.push(`${count(n.hardlinksRepointed)} hard-linked files lose the name their data was written under; another name carries it`);
  if (notes.length > 0) out.push(s.bold('Notes'), ...notes.map((x) => `  ${x}`), '');
  const warn = plan.warnings.filter((w) => w.severity !== 'info');
  const info = plan.warnings.length - warn.length;
  if (warn.length > 0 || info > 0) {
    out.push(s.bold('Warnings'));
    for (const w of warn) out.push(`  ${w.message}`);
    if (info > 0) out.push(s.dim(`  ${info} informational note${info === 1 ? '' : 's'} (rules or selectors that match nothing here; see --json)`));
    out.push('');
  }
  return out.join('\n');
}
