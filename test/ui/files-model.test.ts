import { beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/analysis/analyze.js';
import { FileSources } from '../../src/ui/file-sources.js';
import { createFilesState, reduceFiles, type FilesAction, type FilesEnv, type FilesState } from '../../src/ui/files-model.js';
import { OWNED } from '../../src/ui/highlight.js';
import { cursorNode } from '../../src/ui/outline.js';
import { OwnerOutline } from '../../src/ui/owner-outline.js';
import { demoAnalysis } from './helpers.js';

let a: Analysis;
let env: FilesEnv;
beforeAll(async () => {
  a = await demoAnalysis();
  env = { sources: new FileSources(a), nodeOwner: a.owners!.nodeOwner };
});

const run = (s: FilesState, ...actions: FilesAction[]) => actions.reduce((st, act) => reduceFiles(env, st, act), s);
const paths = (s: FilesState) => [...s.outline.rows].map((n) => `/${a.paths.pathOf(n)}`);

describe('files model', () => {
  it('starts on the merged tree, top level largest first', () => {
    const s = createFilesState(env, 20);
    const top = [...a.tree.children(0)].map((n) => a.tree.cumulativeBytes(n)).sort((x, y) => y - x);
    expect([...s.outline.rows].map((n) => a.tree.cumulativeBytes(n))).toEqual(top);
    expect(s.source.title).toBe('merged tree');
  });

  it('a text filter opens the way to its matches and clearing it restores what was open', () => {
    let s = createFilesState(env, 20);
    s = run(s, { type: 'expand' });
    const before = new Set(s.outline.expanded);
    s = run(s, { type: 'filter', spec: { text: 'libCore', minSize: 0 } });
    expect(s.filterResult.matches).toBeGreaterThan(0);
    const shown = paths(s);
    expect(shown.some((p) => p.toLowerCase().includes('libcore'))).toBe(true);
    // Every row is a match, inside one, or on the way to one.
    for (const p of shown) expect(shown.some((q) => q.startsWith(p) && q.toLowerCase().includes('libcore'))).toBe(true);
    s = run(s, { type: 'filter', spec: { text: '', minSize: 0 } });
    expect(s.outline.expanded).toEqual(before);
  });

  it('a minimum size hides smaller rows without closing anything', () => {
    let s = createFilesState(env, 20);
    s = run(s, { type: 'expand' });
    const n = s.outline.rows.length;
    s = run(s, { type: 'filter', spec: { text: '', minSize: 50_000 } });
    expect(s.outline.rows.length).toBeLessThan(n);
    for (const node of s.outline.rows) expect(a.tree.cumulativeBytes(node)).toBeGreaterThanOrEqual(50_000);
  });

  it("highlighting an owner opens directories holding its files; 'only' shows nothing else", () => {
    const t = new OwnerOutline(a.owners!.owners);
    const idx = a.owners!.owners.findIndex((o) => o.id === 'ups:root/v6_12_06a/Linux64bit+3.10-2.17/e17:prof');
    const leaf = t.nodes.findIndex((n) => n.owner === idx);
    let s = createFilesState(env, 20);
    s = run(s, { type: 'highlight', choice: t.choice(leaf), only: true });
    expect(s.onlyHighlighted).toBe(true);
    const rows = [...s.outline.rows];
    expect(rows.length).toBeGreaterThan(1);
    for (const node of rows) expect(s.highlight!.bits[node]).not.toBe(0);
    expect(rows.some((node) => s.highlight!.bits[node]! & OWNED)).toBe(true);
    const owned = [...Array(a.paths.size).keys()].filter((n) => a.tree.isFile(n) && a.owners!.nodeOwner[n] === idx);
    expect(owned.length).toBe(a.owners!.owners[idx]!.files);
    s = run(s, { type: 'onlyHighlighted' });
    expect(s.outline.rows.length).toBeGreaterThan(rows.length);
    s = run(s, { type: 'highlight', choice: null });
    expect(s.highlight).toBeNull();
  });

  it('switching views keeps the directories open and the cursor on the same path', () => {
    let s = createFilesState(env, 20);
    const products = a.tree.lookup('products');
    const i = s.outline.rows.indexOf(products);
    s = run(s, { type: 'move', by: i }, { type: 'expand' });
    expect(cursorNode(s.outline)).toBe(products);
    const last = a.layers.length - 1;
    const layer = a.layers.findIndex((l) => l.command?.includes('pullProducts'));
    s = run(s, { type: 'view', view: { kind: 'changes', layer } });
    expect(s.source.title).toBe(`layer ${layer} changes`);
    expect(cursorNode(s.outline)).toBe(products);
    expect(s.outline.expanded.has(products)).toBe(true);
    s = run(s, { type: 'view', view: { kind: 'asOf', layer: last } });
    expect(s.source.size(0)).toBe(a.totals.mergedBytes);
  });

  it('sorting by name orders rows by name and back', () => {
    let s = createFilesState(env, 20);
    s = run(s, { type: 'sort' });
    const names = [...s.outline.rows].map((n) => a.paths.nameOf(n));
    expect(names).toEqual([...names].sort());
    s = run(s, { type: 'sort' });
    expect(s.sort).toBe('size');
  });
});
