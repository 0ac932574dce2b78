/** Layers: index, size, wasted bytes and command per layer; details of the layer under the cursor. */
import { Box, Text } from 'ink';
import type { LayerRowCells } from '../layer-rows.js';
import { Row } from './Row.js';

export interface LayersPaneProps {
  readonly header: string;
  readonly rows: readonly LayerRowCells[];
  readonly detail: readonly string[];
  readonly width: number;
  readonly height: number;
  readonly focused: boolean;
  readonly color: boolean;
}

export function LayersPane({ header, rows, detail, width, height, focused, color }: LayersPaneProps) {
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text wrap="truncate" bold>
        {header}
      </Text>
      {rows.map((r) => (
        <Row key={r.index} cursor={r.cursor} focused={focused}>
          <Text color={color && r.shown ? 'cyan' : undefined}>{r.text}</Text>
        </Row>
      ))}
      <Box flexGrow={1} />
      {detail.map((line, i) => (
        <Text key={i} wrap="truncate" dimColor={color && i > 0}>
          {line}
        </Text>
      ))}
    </Box>
  );
}
