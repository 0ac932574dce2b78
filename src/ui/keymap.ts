/**
 * The key map: one table that the help screen (`?`), the footer hints and docs/inspect.md all show,
 * and `keyName` that turns Ink's key events into the names used by the pane handlers.
 */
import type { Key } from 'ink';
import type { PaneId } from './layout.js';

export interface KeySection {
  title: string;
  keys: readonly (readonly [keys: string, action: string])[];
}

export const KEYMAP: readonly KeySection[] = [
  {
    title: 'Everywhere',
    keys: [
      ['Tab  Shift-Tab', 'next / previous pane'],
      ['1 2 3 4', 'Layers, Files, Owners, Prune'],
      ['↑ ↓  j k', 'move'],
      ['PgUp PgDn', 'page up / down'],
      ['Home End  g G', 'first / last row'],
      ['?', 'show / hide the key map (j/k, PgDn, G scroll it)'],
      ['q  Ctrl-C', 'quit'],
    ],
  },
  {
    title: 'Layers',
    keys: [
      ['Enter', "show what the layer changed in Files (A added, M modified, D deleted, O opaque)"],
      ['t', 'show the tree as of the layer in Files'],
      ['m', 'back to the merged tree'],
    ],
  },
  {
    title: 'Files',
    keys: [
      ['→ l  Enter', 'open directory'],
      ['← h', 'close directory, or go to its parent'],
      ['Space', 'open / close directory'],
      ['s', 'sort by size / by name'],
      ['/', 'filter by path text (Enter applies, Esc cancels)'],
      ['>', 'filter by minimum size (e.g. 1MB)'],
      ['Esc', 'clear the filters'],
      ['v', 'view: merged tree, layer changes, tree as of layer'],
      ['o', "only the highlighted owner's files"],
      ['x', 'clear the owner highlight'],
      ['c', 'close all directories'],
    ],
  },
  {
    title: 'Owners',
    keys: [
      ['→ ←  l h', 'open / close a group'],
      ['Enter', 'highlight its files and show only them in Files'],
      ['Space', 'highlight its files'],
      ['x', 'clear the highlight'],
      ['s', 'sort by size / by name'],
      ['/', 'filter by name (Enter applies, Esc cancels)'],
      ['Esc', 'clear the filter'],
    ],
  },
  {
    title: 'Prune',
    keys: [
      ['Space  Enter', 'switch the rule on / off'],
      ['a  n', 'all rules on / off'],
      ['r', 're-check the safety findings for the rules now on'],
      ['f', 'move between the rules and the findings'],
    ],
  },
  {
    title: 'Marks in Files',
    keys: [
      ['A M D O', 'added, modified, deleted (whiteout), made opaque by the layer'],
      ['• ◦', 'owned by the highlighted owner / holds such files'],
      ['x -', 'the prune plan removes it / part of what is under it'],
      ['hidden', 'bytes under the path that a later layer hid (wasted)'],
    ],
  },
];

/** Short hints for the footer, per focused pane. */
export const HINTS: Record<PaneId, string> = {
  layers: 'Enter changes · t as-of · m merged',
  files: '→← open/close · s sort · / filter · > min size · v view',
  owners: 'Enter show files · Space highlight · s sort · / filter',
  prune: 'Space toggle · a/n all on/off · r re-check · f findings',
};

/** A name for a key event: 'up', 'down', 'enter', 'tab', 'shift-tab', 'ctrl-c', or the character typed. */
export function keyName(input: string, key: Key): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'escape';
  if (key.tab) return key.shift ? 'shift-tab' : 'tab';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input.length === 1) return `ctrl-${input}`;
  return input;
}

/** Ink's key flags, all off: for characters split out of a multi-character event. */
export const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

/** The key name of one character as a terminal sends it: "\r" is Enter, "\x03" Ctrl-C. */
export function charKeyName(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (ch === '\r' || ch === '\n') return 'enter';
  if (ch === '\t') return 'tab';
  if (code === 0x7f || code === 0x08) return 'backspace';
  if (code === 0x1b) return 'escape';
  if (code > 0 && code < 0x20) return `ctrl-${String.fromCharCode(code + 96)}`;
  return ch;
}

/** Cursor moves shared by every list: null when the key is not one. */
export function navAction(name: string): { type: 'move'; by: number } | { type: 'page'; by: number } | { type: 'home' } | { type: 'end' } | null {
  switch (name) {
    case 'up':
    case 'k':
      return { type: 'move', by: -1 };
    case 'down':
    case 'j':
      return { type: 'move', by: 1 };
    case 'pageup':
    case 'ctrl-b':
      return { type: 'page', by: -1 };
    case 'pagedown':
    case 'ctrl-f':
      return { type: 'page', by: 1 };
    case 'home':
    case 'g':
      return { type: 'home' };
    case 'end':
    case 'G':
      return { type: 'end' };
    default:
      return null;
  }
}
