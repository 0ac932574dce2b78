/** Owners: packages and UPS products (product → version → build) with bytes, files, wasted. */
import { Box, Text } from 'ink';
import type { OwnerRowCells } from '../owner-rows.js';
import { Row } from './Row.js';

export interface OwnersPaneProps {
  readonly header: string;
  readonly rows: readonly OwnerRowCells[];
  readonly empty: string;
  readonly detail: readonly [string, string];
  readonly status: string;
  readonly width: number;
  readonly height: number;
  readonly focused: boolean;
  readonly color: boolean;
}

export function OwnersPane({ header, rows, empty, detail, status, width, height, focused, color }: OwnersPaneProps) {
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text wrap="truncate" bold>
        {header}
      </Text>
      {rows.length === 0 ? <Text dimColor={color}>{`  ${empty}`}</Text> : null}
      {rows.map((r) => (
        <Row key={r.node} cursor={r.cursor} focused={focused}>
          {r.size} {r.files}
          {r.wasted ? <Text color={color ? 'yellow' : undefined}>{` ${r.wasted}`}</Text> : null}{' '}
          <Text bold={r.group} color={color && r.chosen ? 'cyan' : undefined}>
            {r.label}
          </Text>
        </Row>
      ))}
      <Box flexGrow={1} />
      <Text wrap="truncate">{detail[0] || ' '}</Text>
      <Text wrap="truncate" dimColor={color}>
        {detail[1] || ' '}
      </Text>
      <Text wrap="truncate" color={color ? 'cyan' : undefined}>
        {status || ' '}
      </Text>
    </Box>
  );
}
