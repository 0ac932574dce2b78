/** Files: the tree with cumulative sizes, hidden bytes, change tags, owner marks and owners. */
import { Box, Text } from 'ink';
import type { FileRowCells } from '../file-rows.js';
import { Row } from './Row.js';

export interface FilesPaneProps {
  readonly status: string;
  readonly header: string;
  readonly rows: readonly FileRowCells[];
  /** Shown instead of rows when there are none. */
  readonly empty: string;
  /** The row under the cursor in full. */
  readonly detail: string;
  readonly width: number;
  readonly height: number;
  readonly focused: boolean;
  readonly color: boolean;
}

const TAG_COLORS: Record<string, string> = { A: 'green', M: 'yellow', D: 'red', O: 'magenta' };

export function FilesPane({ status, header, rows, empty, detail, width, height, focused, color }: FilesPaneProps) {
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text wrap="truncate" color={color ? 'cyan' : undefined}>
        {status}
      </Text>
      <Text wrap="truncate" bold>
        {header}
      </Text>
      {rows.length === 0 ? <Text dimColor={color}>{`  ${empty}`}</Text> : null}
      {rows.map((r) => (
        <Row key={r.node} cursor={r.cursor} focused={focused}>
          {r.size}
          {r.hidden ? <Text color={color ? 'yellow' : undefined}>{` ${r.hidden}`}</Text> : null}{' '}
          <Text color={color ? TAG_COLORS[r.tag] ?? (r.highlight ? 'cyan' : r.dropped ? 'red' : undefined) : undefined}>{r.marks}</Text>{' '}
          <Text color={color ? (r.highlight & 1 ? 'cyan' : r.dropped ? 'red' : r.dir ? 'blue' : undefined) : undefined} bold={(r.highlight & 1) !== 0}>
            {r.tree}
          </Text>
          {r.owner ? <Text dimColor={color}>{` ${r.owner}`}</Text> : null}
        </Row>
      ))}
      <Box flexGrow={1} />
      <Text wrap="truncate" dimColor={color}>
        {detail || ' '}
      </Text>
    </Box>
  );
}
