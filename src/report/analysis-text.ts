/** The human summary of `whittle analyze`: layers with commands, totals, waste, largest items. */
import type { Analysis } from '../analysis/analyze.js';
import { bytes, count, oneLine, percent, table, type Style } from './format.js';

export interface TextOptions {
  width: number;
  top: number;
  style: Style;
}

export function imageTitle(a: Analysis): string {
  const img = a.image;
  const name = img.tags[0] ?? (img.format === 'layer-tar' ? 'layer tar' : img.configDigest?.slice(0, 19) ?? 'image');
  const parts = [name];
  if (img.platform) parts.push(img.platform);
  parts.push(img.format + (img.outerCompression !== 'none' ? `+${img.outerCompression}` : ''));
  parts.push(`${bytes(img.inputBytes)} read`);
  return parts.join(' · ');
}

/** Docker's history prefixes; shown without them. */
export function displayCommand(cmd: string | null): string {
  return oneLine(cmd).replace(/^\/bin\/sh -c #\(nop\)\s*/, '').replace(/^\/bin\/sh -c /, 'RUN ') || '—';
}

export function renderAnalysisText(a: Analysis, o: TextOptions): string {
  const s = o.style;
  const out: string[] = [];
  out.push(s.bold(`whittle · ${imageTitle(a)}`), '');

  out.push(s.bold('Layers'));
  const rows = [['#', 'size', 'wasted', 'entries', 'command']];
  for (const l of a.layers) {
    rows.push([String(l.index), bytes(l.size), l.wastedBytes > 0 ? bytes(l.wastedBytes) : '—', count(l.entries), displayCommand(l.command)]);
  }
  out.push(...table(rows, ['right', 'right', 'right', 'right', 'left'], o.width - 2).map((r, i) => `  ${i === 0 ? s.dim(r) : r}`), '');

  const t = a.totals;
  const wastedShare = t.layerBytes > 0 ? t.wastedBytes / t.layerBytes : 0;
  out.push(s.bold('Totals'));
  const tot = [
    ['layers', `${bytes(t.layerBytes)} of files in ${count(t.layers)} layer${t.layers === 1 ? '' : 's'} (${bytes(t.blobBytes)} stored)`],
    ['merged', `${bytes(t.mergedBytes)} in ${count(t.mergedFiles)} files, ${count(t.mergedDirs)} dirs, ${count(t.mergedSymlinks)} symlinks`],
    ['wasted', t.wastedBytes > 0
      ? `${bytes(t.wastedBytes)} (${percent(wastedShare)}): ${bytes(t.overwrittenBytes)} overwritten, ${bytes(t.deletedBytes)} deleted by later layers`
      : 'none'],
    ['dive', `efficiency ${percent(a.dive.efficiency)}, wasted ${bytes(a.dive.wastedBytes)}, user wasted ${a.dive.wastedUserPercent === null ? 'n/a' : percent(a.dive.wastedUserPercent)}`],
  ];
  out.push(...table(tot, ['left', 'left'], o.width - 2).map((r) => `  ${r}`), '');

  if (a.owners && a.owners.owners.length > 0) {
    out.push(s.bold('Top owners'));
    const orows = a.owners.owners.slice(0, o.top).map((x) => [bytes(x.bytes), percent(t.mergedBytes > 0 ? x.bytes / t.mergedBytes : 0), x.id + (x.version && x.kind !== 'ups' ? ` ${x.version}` : '')]);
    out.push(...table(orows, ['right', 'right', 'left'], o.width - 2).map((r) => `  ${r}`), s.dim('  (whittle owners IMAGE for all of them)'), '');
  }
  const dirs = a.tree.largestDirectories(o.top);
  if (dirs.length > 0) {
    out.push(s.bold('Largest directories'));
    const dr = dirs.map((d) => [bytes(d.size), plural(a.tree.cumulativeFiles(d.node), 'file'), `/${a.tree.pathOf(d.node)}`]);
    out.push(...table(dr, ['right', 'right', 'left'], o.width - 2).map((r) => `  ${r}`), '');
  }
  const files = a.tree.largestFiles(o.top);
  if (files.length > 0) {
    out.push(s.bold('Largest files'));
    const fr = files.map((f) => [bytes(f.size), `layer ${a.tree.layerOf(f.node)}`, `/${a.tree.pathOf(f.node)}`]);
    out.push(...table(fr, ['right', 'right', 'left'], o.width - 2).map((r) => `  ${r}`), '');
  }
  const warnings = a.findings.filter((f) => f.severity !== 'info');
  if (warnings.length > 0) {
    out.push(s.bold(`Findings (${warnings.length})`));
    for (const f of warnings.slice(0, 10)) {
      out.push(`  ${f.severity === 'error' ? s.red('error') : s.yellow('warning')} ${f.layer !== undefined ? `layer ${f.layer}: ` : ''}${f.message}`);
    }
    if (warnings.length > 10) out.push(s.dim(`  … ${warnings.length - 10} more (see --json)`));
    out.push('');
  }
  return out.join('\n');
}

function plural(n: number, word: string): string {
  return `${count(n)} ${word}${n === 1 ? '' : 's'}`;
}
