/** Prune: the rule set's rules with their savings, switched live, a size gauge and safety findings. */
import { Box, Text } from 'ink';
import type { Gauge, RuleRowCells } from '../prune-model.js';
import { Row } from './Row.js';

export interface FindingRow {
  readonly text: string;
  readonly cursor: boolean;
}

export interface PrunePaneProps {
  readonly title: string;
  readonly gauge: Gauge | null;
  readonly header: string;
  readonly rows: readonly RuleRowCells[];
  readonly findingsTitle: string;
  readonly findings: readonly FindingRow[];
  /** The finding under the cursor in full, when the findings have the pane (`f`); null shows the rules. */
  readonly findingDetail: readonly string[] | null;
  /** Shown instead of everything else (no planner, no rules). */
  readonly message: readonly string[] | null;
  readonly width: number;
  readonly height: number;
  readonly focused: boolean;
  readonly color: boolean;
}

export function PrunePane(p: PrunePaneProps) {
  const { color, focused } = p;
  if (p.message) {
    return (
      <Box flexDirection="column" width={p.width} height={p.height} overflow="hidden">
        {p.message.map((line, i) => (
          <Text key={i} wrap="truncate" bold={i === 0}>
            {line}
          </Text>
        ))}
      </Box>
    );
  }
  const g = p.gauge;
  return (
    <Box flexDirection="column" width={p.width} height={p.height} overflow="hidden">
      <Text wrap="truncate" color={color ? 'cyan' : undefined}>
        {p.title}
      </Text>
      {g ? (
        <Text wrap="truncate">
          {' '}
          <Text color={color ? (g.overTarget ? 'red' : 'green') : undefined}>{g.bar.slice(0, g.filled)}</Text>
          <Text dimColor={color}>{g.bar.slice(g.filled)}</Text>
        </Text>
      ) : (
        <Text> </Text>
      )}
      <Text wrap="truncate" bold>
        {g ? ` ${g.text}` : ' planning…'}
      </Text>
      {p.findingDetail === null ? (
        <>
          <Text wrap="truncate" bold>
            {p.header}
          </Text>
          {p.rows.map((r) => (
            <Row key={r.index} cursor={r.cursor} focused={focused}>
              <Text dimColor={color && !r.enabled} color={color && r.keep ? 'green' : undefined}>
                {r.text}
              </Text>
            </Row>
          ))}
          <Box flexGrow={1} />
        </>
      ) : null}
      <Text wrap="truncate" bold color={color && p.findings.length > 0 ? 'yellow' : undefined}>
        {p.findingsTitle}
      </Text>
      {p.findings.map((f, i) => (
        <Row key={i} cursor={f.cursor} focused={focused}>
          {f.text}
        </Row>
      ))}
      {p.findingDetail !== null ? (
        <>
          <Box flexGrow={1} />
          {p.findingDetail.map((line, i) => (
            <Text key={`d${i}`} wrap="truncate">
              {` ${line}`}
            </Text>
          ))}
        </>
      ) : null}
    </Box>
  );
}
