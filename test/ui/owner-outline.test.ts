import { beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/analysis/analyze.js';
import { createOwnersState, reduceOwners } from '../../src/ui/owners-model.js';
import { OwnerOutline } from '../../src/ui/owner-outline.js';
import { ownerColumns, ownerRows } from '../../src/ui/owner-rows.js';
import { demoAnalysis } from './helpers.js';

let a: Analysis;
let t: OwnerOutline;
beforeAll(async () => {
  a = await demoAnalysis();
  t = new OwnerOutline(a.owners!.owners);
});

const child = (node: number, label: string) => t.nodes[node]!.children.find((c) => t.nodes[c]!.label === label)!;

describe('owner outline', () => {
  it('groups OS packages, UPS products and unowned directories, and their bytes add up to the image', () => {
    expect(t.groups.map((g) => t.nodes[g]!.label)).toEqual(['OS packages', 'UPS products', 'unowned directories']);
    expect(t.nodes[0]!.bytes).toBe(a.totals.mergedBytes);
    expect(t.nodes[0]!.owners.length).toBe(a.owners!.owners.length);
    const rpm = a.owners!.owners.filter((o) => o.kind === 'rpm');
    expect(t.nodes[t.groups[0]!]!.bytes).toBe(rpm.reduce((s, o) => s + o.bytes, 0));
  });

  it('nests UPS products → versions → builds, with shared and product files as leaves', () => {
    const ups = t.groups[1]!;
    const root = child(ups, 'root');
    expect(t.nodes[root]!.choiceLabel).toBe('ups:root');
    expect(t.nodes[root]!.children.map((c) => t.nodes[c]!.label).sort()).toEqual(['(product files)', 'v6_10_04d', 'v6_12_06a']);
    const v = child(root, 'v6_12_06a');
    expect(t.nodes[v]!.children.map((c) => t.nodes[c]!.label).sort()).toEqual(['(shared files)', 'Linux64bit+3.10-2.17 e17:debug', 'Linux64bit+3.10-2.17 e17:prof']);
    const rootOwners = a.owners!.owners.filter((o) => o.kind === 'ups' && o.product === 'root');
    expect(t.nodes[root]!.bytes).toBe(rootOwners.reduce((s, o) => s + o.bytes, 0));
    const prof = child(v, 'Linux64bit+3.10-2.17 e17:prof');
    const choice = t.choice(prof);
    expect(choice.label).toBe('ups:root/v6_12_06a/Linux64bit+3.10-2.17/e17:prof');
    expect(choice.owners.map((i) => a.owners!.owners[i]!.id)).toEqual([choice.label]);
    expect(t.choice(v).owners.length).toBe(3);
  });

  it('opens groups first, sorted by bytes, and filters by name keeping the path open', () => {
    let s = createOwnersState(t, 30);
    const rows = ownerRows(t, s.outline, ownerColumns(80), -1);
    expect(rows[0]!.label.trim()).toMatch(/^▾ (UPS products|OS packages|unowned directories)/);
    const top = t.groups.map((g) => t.nodes[g]!).sort((x, y) => y.bytes - x.bytes)[0]!;
    expect(rows[0]!.label).toContain(top.label);
    s = reduceOwners(t, s, { type: 'filter', text: 'e17:debug' });
    const labels = [...s.outline.rows].map((n) => t.nodes[n]!.label);
    expect(labels).toContain('Linux64bit+3.10-2.17 e17:debug');
    expect(labels).not.toContain('Linux64bit+3.10-2.17 e17:prof');
    expect(labels).toContain('root');
    s = reduceOwners(t, s, { type: 'filter', text: '' });
    expect(s.outline.rows.length).toBe(createOwnersState(t, 30).outline.rows.length);
  });
});
