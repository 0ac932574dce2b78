/**
 * `whittle owners`: who the bytes belong to, as JSON (a contract: docs/analysis.schema.json
 * `owners`) and as text, with UPS shown as product → version → build.
 */
import type { Analysis } from '../analysis/analyze.js';
import type { Owner, OwnerKind } from '../owners/types.js';
import { OWNER_KINDS } from '../owners/types.js';
import { findingJson, ownerKindTotals } from './analysis-json.js';
import { bytes, count, percent, table, type Style } from './format.js';

export function ownerJson(o: Owner): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: o.id,
    kind: o.kind,
    name: o.name,
    version: o.version,
    bytes: o.bytes,
    files: o.files,
    declaredBytes: o.declaredBytes,
    layerBytes: o.layerBytes,
    wastedBytes: o.wastedBytes,
  };
  if (o.architecture !== undefined) out.architecture = o.architecture;
  if (o.epoch !== undefined) out.epoch = o.epoch;
  if (o.missingFiles !== undefined) out.missingFiles = o.missingFiles;
  if (o.kind === 'ups') {
    out.product = o.product ?? o.name;
    out.flavor = o.flavor ?? null;
    out.qualifiers = o.qualifiers ?? null;
    out.level = o.level ?? null;
    out.requires = o.requires ?? [];
    out.chains = o.chains ?? [];
    out.declared = o.declared ?? true;
  }
  if (o.kind === 'spack') {
    out.hash = o.hash ?? null;
    out.requires = o.requires ?? [];
  }
  return out;
}

export function ownersToJson(a: Analysis, kinds: OwnerKind[] | null, toolVersion: string): Record<string, unknown> {
  const owners = (a.owners?.owners ?? []).filter((o) => !kinds || kinds.includes(o.kind));
  const byKind = ownerKindTotals(a);
  return {
    schemaVersion: 1,
    tool: { name: 'whittle', version: toolVersion },
    input: { path: a.image.input, format: a.image.format },
    image: { tags: a.image.tags, platform: a.image.platform },
    totals: { mergedBytes: a.totals.mergedBytes, mergedFiles: a.totals.mergedFiles, layerBytes: a.totals.layerBytes, wastedBytes: a.totals.wastedBytes },
    byKind,
    owners: owners.map(ownerJson),
    ups: a.owners?.reports.ups ?? null,
    findings: (a.owners?.findings ?? []).map(findingJson),
  };
}

const KIND_TITLES: Record<OwnerKind, string> = {
  dpkg: 'Debian packages (dpkg)',
  rpm: 'RPM packages',
  apk: 'Alpine packages (apk)',
  ups: 'UPS products (product → version → build)',
  spack: 'Spack packages',
  dir: 'Unowned, by directory',
};

export interface OwnersTextOptions {
  width: number;
  top: number;
  kinds: OwnerKind[] | null;
  style: Style;
}

export function renderOwnersText(a: Analysis, o: OwnersTextOptions): string {
  const s = o.style;
  const all = a.owners?.owners ?? [];
  const total = a.totals.mergedBytes;
  const out: string[] = [];
  for (const kind of OWNER_KINDS) {
    if (o.kinds && !o.kinds.includes(kind)) continue;
    const list = all.filter((x) => x.kind === kind);
    if (list.length === 0) continue;
    const sum = list.reduce((t, x) => t + x.bytes, 0);
    out.push(s.bold(`${KIND_TITLES[kind]}: ${bytes(sum)} (${percent(total > 0 ? sum / total : 0)}) in ${count(list.length)} ${kind === 'dir' ? 'groups' : kind === 'ups' ? 'owners' : 'packages'}`));
    const rows: string[][] = [['bytes', 'files', 'wasted', kind === 'dir' ? 'directory' : 'owner']];
    if (kind === 'ups') rows.push(...upsRows(list, o.top));
    else {
      for (const x of list.slice(0, o.top)) {
        const declared = x.declaredBytes !== null ? s.dim(` (declares ${bytes(x.declaredBytes)})`) : '';
        rows.push([bytes(x.bytes), count(x.files), x.wastedBytes > 0 ? bytes(x.wastedBytes) : '—', `${x.kind === 'dir' ? x.name : x.name}${x.version ? ` ${x.version}` : ''}${declared}`]);
      }
    }
    out.push(...table(rows, ['right', 'right', 'right', 'left'], o.width - 2).map((r, i) => `  ${i === 0 ? s.dim(r) : r}`));
    if (kind !== 'ups' && list.length > o.top) out.push(s.dim(`  … ${count(list.length - o.top)} more (--top, --json)`));
    out.push('');
  }
  if (out.length === 0) out.push('no owners found');
  return out.join('\n');
}

/** UPS owners grouped product → version → build, each level sorted by bytes. */
function upsRows(list: Owner[], top: number): string[][] {
  interface Group { bytes: number; files: number; wasted: number; items: Owner[] }
  const products = new Map<string, Group & { versions: Map<string, Group> }>();
  for (const x of list) {
    const p = x.product ?? x.name;
    let g = products.get(p);
    if (!g) products.set(p, (g = { bytes: 0, files: 0, wasted: 0, items: [], versions: new Map() }));
    g.bytes += x.bytes;
    g.files += x.files;
    g.wasted += x.wastedBytes;
    if (x.version === null) {
      g.items.push(x);
      continue;
    }
    let v = g.versions.get(x.version);
    if (!v) g.versions.set(x.version, (v = { bytes: 0, files: 0, wasted: 0, items: [] }));
    v.bytes += x.bytes;
    v.files += x.files;
    v.wasted += x.wastedBytes;
    v.items.push(x);
  }
  const rows: string[][] = [];
  const w = (n: number) => (n > 0 ? bytes(n) : '—');
  const sorted = [...products].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, top);
  for (const [name, g] of sorted) {
    rows.push([bytes(g.bytes), count(g.files), w(g.wasted), name || (g.items[0]?.id.slice(4) ?? '')]);
    for (const [ver, v] of [...g.versions].sort((a, b) => b[1].bytes - a[1].bytes)) {
      rows.push([bytes(v.bytes), count(v.files), w(v.wasted), `  ${ver}`]);
      for (const b of v.items.sort((a, c) => c.bytes - a.bytes)) {
        const label = b.level === 'version' ? '(shared: include, source, ups…)' : `${b.flavor ?? ''}${b.qualifiers ? ` ${b.qualifiers}` : ''}${b.declared === false ? ' (undeclared)' : ''}`;
        rows.push([bytes(b.bytes), count(b.files), w(b.wastedBytes), `    ${label}`]);
      }
    }
  }
  return rows;
}
