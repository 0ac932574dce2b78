import { describe, expect, it } from 'vitest';
import { FileSources, type FileSource } from '../../src/ui/file-sources.js';
import { caseAnalysis, demoAnalysis } from './helpers.js';

/** "path tag size hidden" for every node a source shows, depth first in name order. */
function listing(src: FileSource): string[] {
  const out: string[] = [];
  const walk = (node: number) => {
    const kids = [...src.children(node)].sort((x, y) => (src.name(x) < src.name(y) ? -1 : 1));
    for (const c of kids) {
      out.push(`${src.paths.pathOf(c)} ${src.tag(c) || '-'} ${src.size(c)} ${src.hidden(c)}`);
      if (src.expandable(c)) walk(c);
    }
  };
  walk(src.root);
  return out;
}

describe('file sources', () => {
  it("tags a layer's changes: whiteouts delete (with the bytes they hide), new files are added", async () => {
    const a = await caseAnalysis('whiteouts');
    const sources = new FileSources(a);
    // L0: a/keep.txt 100, a/gone.txt 200, d/sub/x 300, d/y 400, e/; L1: rm a/gone.txt, add a/new.txt 50, rm d, rm e
    expect(listing(sources.get({ kind: 'changes', layer: 1 }))).toEqual([
      'a - 50 200',
      'a/gone.txt D 0 200',
      'a/new.txt A 50 0',
      'd D 0 700',
      'e D 0 0',
    ]);
    const l0 = sources.get({ kind: 'changes', layer: 0 });
    expect(listing(l0).filter((l) => !l.includes(' A '))).toEqual([]);
    expect(l0.size(l0.root)).toBe(1000);
    expect(sources.get({ kind: 'changes', layer: 1 }).hidden(0)).toBe(a.totals.wastedBytes);
  });

  it('tags opaque directories and counts what they hide once', async () => {
    const a = await caseAnalysis('opaque');
    const sources = new FileSources(a);
    // L1 makes cfg opaque over old1 111, old2 222, sub/deep 333, keepname 10 and puts keepname back.
    expect(listing(sources.get({ kind: 'changes', layer: 1 }))).toEqual(['cfg O 64 676', 'cfg/keepname M 20 0', 'cfg/new1 A 44 0']);
    expect(listing(sources.get({ kind: 'changes', layer: 2 }))).toEqual(['cfg O 6 64', 'cfg/new2 A 6 0', 'srv A 5 0', 'srv/a A 5 0']);
  });

  it('shows the tree as of a layer, and the merged tree for the last one', async () => {
    const a = await caseAnalysis('opaque');
    const sources = new FileSources(a);
    expect(listing(sources.get({ kind: 'asOf', layer: 0 }))).toEqual([
      'cfg - 676 0',
      'cfg/keepname - 10 0',
      'cfg/old1 - 111 0',
      'cfg/old2 - 222 0',
      'cfg/sub - 333 0',
      'cfg/sub/deep - 333 0',
    ]);
    // As of layer 1, the merged tree of layers 0..1: L1's opaque hid L0's files.
    expect(listing(sources.get({ kind: 'asOf', layer: 1 }))).toEqual(['cfg - 64 676', 'cfg/keepname - 20 10', 'cfg/new1 - 44 0']);
    expect(sources.treeAsOf(2)).toBe(a.tree);
    expect(listing(sources.get({ kind: 'merged' }))).toEqual(['cfg - 6 740', 'cfg/new2 - 6 0', 'srv - 5 0', 'srv/a - 5 0']);
  });

  it('keeps only a few earlier-layer trees', async () => {
    const a = await demoAnalysis();
    const sources = new FileSources(a, 2);
    const t0 = sources.treeAsOf(0);
    sources.treeAsOf(1);
    expect(sources.treeAsOf(0)).toBe(t0);
    sources.treeAsOf(2);
    sources.treeAsOf(3);
    expect(sources.treeAsOf(0)).not.toBe(t0);
    // Every layer's changes add up to the layer's size.
    for (const l of a.layers) expect(sources.get({ kind: 'changes', layer: l.index }).size(0)).toBe(l.size);
  });
});
