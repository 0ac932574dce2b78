import { describe, expect, it } from 'vitest';
import { buildRows, ChildOrder, createOutline, cursorNode, reduceOutline, type OutlineSource, type OutlineState } from '../../src/ui/outline.js';

/** A small tree from "path size" lines; directories are the paths with children. */
class PathTree implements OutlineSource {
  readonly root = 0;
  readonly names = [''];
  readonly parents = [-1];
  readonly kids: number[][] = [[]];
  readonly sizes = [0];
  readonly depths = [0];
  childrenCalls = 0;
  constructor(files: [string, number][]) {
    for (const [p, size] of files) {
      let node = 0;
      for (const part of p.split('/')) {
        let c = this.kids[node]!.find((k) => this.names[k] === part);
        if (c === undefined) {
          c = this.names.length;
          this.names.push(part);
          this.parents.push(node);
          this.kids.push([]);
          this.sizes.push(0);
          this.depths.push(this.depths[node]! + 1);
          this.kids[node]!.push(c);
        }
        node = c;
      }
      for (let n = node; n >= 0; n = this.parents[n]!) this.sizes[n]! += size;
    }
  }
  id(p: string): number {
    let node = 0;
    for (const part of p.split('/')) node = this.kids[node]!.find((k) => this.names[k] === part)!;
    return node;
  }
  children(node: number) {
    this.childrenCalls++;
    return this.kids[node]!;
  }
  expandable(node: number) {
    return this.kids[node]!.length > 0;
  }
  name(node: number) {
    return this.names[node]!;
  }
  size(node: number) {
    return this.sizes[node]!;
  }
  depth(node: number) {
    return this.depths[node]!;
  }
  parent(node: number) {
    return this.parents[node]!;
  }
}

const TREE: [string, number][] = [
  ['usr/lib/libc.so', 500],
  ['usr/lib/libm.so', 300],
  ['usr/share/doc/a', 50],
  ['usr/share/doc/b', 70],
  ['etc/passwd', 5],
  ['bin/sh', 900],
];

function shown(t: PathTree, s: OutlineState): string[] {
  return [...s.rows].map((n) => '  '.repeat(s.order.level(n)) + t.name(n));
}

describe('outline', () => {
  it('lists the top level largest first, and by name when asked', () => {
    const t = new PathTree(TREE);
    expect(shown(t, createOutline(new ChildOrder(t, 'size'), 10))).toEqual(['usr', 'bin', 'etc']);
    expect(shown(t, createOutline(new ChildOrder(t, 'name'), 10))).toEqual(['bin', 'etc', 'usr']);
  });

  it('splices sorted children in on expand and cuts the subtree out on collapse', () => {
    const t = new PathTree(TREE);
    let s = createOutline(new ChildOrder(t, 'size'), 10);
    s = reduceOutline(s, { type: 'expand' });
    expect(shown(t, s)).toEqual(['usr', '  lib', '  share', 'bin', 'etc']);
    s = reduceOutline(s, { type: 'move', by: 2 });
    s = reduceOutline(s, { type: 'right' });
    s = reduceOutline(s, { type: 'move', by: 1 });
    s = reduceOutline(s, { type: 'right' });
    expect(shown(t, s)).toEqual(['usr', '  lib', '  share', '    doc', '      b', '      a', 'bin', 'etc']);
    s = reduceOutline(s, { type: 'home' });
    s = reduceOutline(s, { type: 'collapse' });
    expect(shown(t, s)).toEqual(['usr', 'bin', 'etc']);
    // Expansion below a collapsed node is remembered.
    s = reduceOutline(s, { type: 'toggle' });
    expect(shown(t, s)).toEqual(['usr', '  lib', '  share', '    doc', '      b', '      a', 'bin', 'etc']);
  });

  it('steps into an expanded node with right and out to the parent row with left', () => {
    const t = new PathTree(TREE);
    let s = createOutline(new ChildOrder(t, 'size'), 10);
    s = reduceOutline(s, { type: 'right' });
    s = reduceOutline(s, { type: 'right' });
    expect(t.name(cursorNode(s))).toBe('lib');
    s = reduceOutline(s, { type: 'move', by: 1 });
    expect(t.name(cursorNode(s))).toBe('share');
    s = reduceOutline(s, { type: 'left' });
    expect(t.name(cursorNode(s))).toBe('usr');
    expect(s.expanded.has(t.id('usr'))).toBe(true);
    s = reduceOutline(s, { type: 'left' });
    expect(s.expanded.has(t.id('usr'))).toBe(false);
  });

  it('keeps the cursor on the same node when the order changes', () => {
    const t = new PathTree(TREE);
    let s = createOutline(new ChildOrder(t, 'size'), 10, new Set([t.id('usr'), t.id('usr/lib')]));
    expect(shown(t, s)).toEqual(['usr', '  lib', '    libc.so', '    libm.so', '  share', 'bin', 'etc']);
    s = reduceOutline(s, { type: 'move', by: 3 });
    expect(t.name(cursorNode(s))).toBe('libm.so');
    s = reduceOutline(s, { type: 'reorder', order: new ChildOrder(t, 'name') });
    expect(shown(t, s)).toEqual(['bin', 'etc', 'usr', '  lib', '    libc.so', '    libm.so', '  share']);
    expect(t.name(cursorNode(s))).toBe('libm.so');
    // A filter hiding the cursor's node puts the cursor on its nearest visible ancestor.
    const noLibm = new ChildOrder(t, 'name', (n) => t.name(n) !== 'libm.so');
    s = reduceOutline(s, { type: 'reorder', order: noLibm });
    expect(t.name(cursorNode(s))).toBe('lib');
  });

  it('sorts a node’s children once, however often it is expanded, collapsed or scrolled past', () => {
    const t = new PathTree(TREE);
    let s = createOutline(new ChildOrder(t, 'size'), 2);
    const calls = t.childrenCalls;
    for (let i = 0; i < 5; i++) {
      s = reduceOutline(s, { type: 'expand' });
      s = reduceOutline(s, { type: 'move', by: 3 });
      s = reduceOutline(s, { type: 'home' });
      s = reduceOutline(s, { type: 'collapse' });
    }
    expect(t.childrenCalls - calls).toBe(1);
    expect(s.win.height).toBe(2);
  });

  it('collapse all closes everything and keeps the cursor on the top-level ancestor', () => {
    const t = new PathTree(TREE);
    let s = createOutline(new ChildOrder(t, 'size'), 10, new Set([t.id('usr'), t.id('usr/share'), t.id('usr/share/doc')]));
    s = reduceOutline(s, { type: 'end' });
    expect(t.name(cursorNode(s))).toBe('etc');
    s = reduceOutline(s, { type: 'move', by: -2 });
    expect(t.name(cursorNode(s))).toBe('a');
    s = reduceOutline(s, { type: 'collapseAll' });
    expect(shown(t, s)).toEqual(['usr', 'bin', 'etc']);
    expect(t.name(cursorNode(s))).toBe('usr');
    expect(buildRows(s.order, new Set()).length).toBe(3);
  });
});
