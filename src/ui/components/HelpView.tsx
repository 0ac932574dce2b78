/** The key map (`?`), in two columns when the terminal is wide enough. */
import { Box, Text } from 'ink';
import type { KeySection } from '../keymap.js';
import { cell } from '../text.js';

export interface HelpViewProps {
  readonly sections: readonly KeySection[];
  /** First line shown (the help scrolls when it is taller than the pane). */
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

export function helpLines(sections: readonly KeySection[], width: number): string[] {
  const keyWidth = Math.max(...sections.flatMap((s) => s.keys.map(([k]) => [...k].length))) + 2;
  const lines: string[] = [];
  for (const s of sections) {
    lines.push(s.title);
    for (const [k, action] of s.keys) lines.push(cell(`  ${cell(k, keyWidth)}${action}`, width));
  }
  return lines;
}

/** Lines the help takes at a width (one column below 100 columns, two from there). */
export function helpLayout(sections: readonly KeySection[], width: number): { colWidth: number; columns: string[][] } {
  const twoColumns = width >= 100;
  const colWidth = twoColumns ? Math.floor((width - 2) / 2) : width;
  const lines = helpLines(sections, colWidth);
  if (!twoColumns) return { colWidth, columns: [lines] };
  // Split at a section boundary near the middle.
  let split = Math.ceil(lines.length / 2);
  while (split < lines.length && lines[split]!.startsWith(' ')) split++;
  return { colWidth, columns: [lines.slice(0, split), lines.slice(split)] };
}

export function helpHeight(sections: readonly KeySection[], width: number): number {
  return Math.max(...helpLayout(sections, width).columns.map((c) => c.length));
}

export function HelpView({ sections, top, width, height }: HelpViewProps) {
  const { colWidth, columns: full } = helpLayout(sections, width);
  const twoColumns = full.length === 2;
  const total = Math.max(...full.map((c) => c.length));
  const more = total > top + height;
  const columns = full.map((c) => c.slice(top, top + height - (more ? 1 : 0)));
  return (
    <Box width={width} height={height} overflow="hidden">
      {columns.map((col, c) => (
        <Box key={c} flexDirection="column" width={colWidth} marginRight={c === 0 && twoColumns ? 2 : 0}>
          {col.map((line, i) => (
            <Text key={i} wrap="truncate" bold={!line.startsWith(' ')}>
              {line}
            </Text>
          ))}
          {more && c === 0 ? <Text dimColor>{`  … ${total - top - height + 1} more lines (j/k, PgDn, G)`}</Text> : null}
        </Box>
      ))}
    </Box>
  );
}
