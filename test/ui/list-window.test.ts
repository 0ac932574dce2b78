import { describe, expect, it } from 'vitest';
import { createListWindow, reduceList, visibleRange } from '../../src/ui/list-window.js';

describe('list window', () => {
  it('scrolls the least needed to keep the cursor in view', () => {
    let w = createListWindow(100, 10);
    w = reduceList(w, { type: 'move', by: 9 });
    expect([w.cursor, w.top]).toEqual([9, 0]);
    w = reduceList(w, { type: 'move', by: 1 });
    expect([w.cursor, w.top]).toEqual([10, 1]);
    w = reduceList(w, { type: 'move', by: -5 });
    expect([w.cursor, w.top]).toEqual([5, 1]);
    w = reduceList(w, { type: 'move', by: -5 });
    expect([w.cursor, w.top]).toEqual([0, 0]);
  });

  it('pages by the height less one line of overlap and clamps at the ends', () => {
    let w = createListWindow(25, 10);
    w = reduceList(w, { type: 'page', by: 1 });
    expect(w.cursor).toBe(9);
    w = reduceList(w, { type: 'page', by: 5 });
    expect([w.cursor, w.top]).toEqual([24, 15]);
    w = reduceList(w, { type: 'home' });
    expect([w.cursor, w.top]).toEqual([0, 0]);
    w = reduceList(w, { type: 'end' });
    expect(visibleRange(w)).toEqual([15, 25]);
  });

  it('leaves no empty rows below the list after a resize or a shrink', () => {
    let w = reduceList(createListWindow(30, 10), { type: 'end' });
    expect(w.top).toBe(20);
    w = reduceList(w, { type: 'resize', height: 20 });
    expect([w.cursor, w.top]).toEqual([29, 10]);
    w = reduceList(w, { type: 'count', count: 12 });
    expect([w.cursor, w.top]).toEqual([11, 0]);
  });

  it('handles an empty list', () => {
    const w = reduceList(createListWindow(0, 5), { type: 'move', by: 3 });
    expect([w.cursor, w.top]).toEqual([0, 0]);
    expect(visibleRange(w)).toEqual([0, 0]);
  });
});
