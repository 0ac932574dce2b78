/**
 * Screen layout for a terminal size: a header line, a tab line, the pane body and a footer line.
 * Narrow terminals (80 columns) show the focused pane full width; wide ones (≥ 120) keep the Layers
 * pane on the left beside the Files, Owners or Prune pane. One line is left free at the bottom:
 * Ink redraws a frame as tall as the terminal by clearing the screen, which flickers.
 */

export type PaneId = 'layers' | 'files' | 'owners' | 'prune';
export const PANES: readonly PaneId[] = ['layers', 'files', 'owners', 'prune'];
export const PANE_TITLES: Record<PaneId, string> = { layers: 'Layers', files: 'Files', owners: 'Owners', prune: 'Prune' };

export const MIN_COLUMNS = 40;
export const MIN_ROWS = 10;
export const WIDE_COLUMNS = 120;

export interface PaneBox {
  id: PaneId;
  width: number;
}

export interface Layout {
  columns: number;
  rows: number;
  tooSmall: boolean;
  /** Panes shown, left to right (a one-column gap between them). */
  panes: PaneBox[];
  /** Lines available to each pane. */
  bodyHeight: number;
}

/** `right` is the pane shown beside Layers on a wide screen (the last non-Layers pane focused). */
export function layoutFor(columns: number, rows: number, focus: PaneId, right: Exclude<PaneId, 'layers'>): Layout {
  const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;
  const bodyHeight = Math.max(1, rows - 4);
  if (tooSmall) return { columns, rows, tooSmall, panes: [], bodyHeight };
  if (columns >= WIDE_COLUMNS) {
    const left = Math.min(60, Math.max(40, Math.floor(columns * 0.36)));
    const other = focus === 'layers' ? right : focus;
    return { columns, rows, tooSmall, panes: [{ id: 'layers', width: left }, { id: other, width: columns - left - 1 }], bodyHeight };
  }
  return { columns, rows, tooSmall, panes: [{ id: focus, width: columns }], bodyHeight };
}

export function nextPane(p: PaneId, by: number): PaneId {
  const i = PANES.indexOf(p);
  return PANES[(i + by + PANES.length) % PANES.length]!;
}
