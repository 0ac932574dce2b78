/** The pane tabs; the focused one is bracketed and reversed. */
import { Box, Text } from 'ink';
import { PANES, PANE_TITLES, type PaneId } from '../layout.js';

export interface TabBarProps {
  readonly focus: PaneId;
  readonly shown: readonly PaneId[];
  readonly color: boolean;
}

export function TabBar({ focus, shown, color }: TabBarProps) {
  return (
    <Box>
      {PANES.map((id, i) => {
        const title = `${i + 1} ${PANE_TITLES[id]}`;
        const on = id === focus;
        return (
          <Text key={id} inverse={on} bold={on} dimColor={color && !on && !shown.includes(id)}>
            {on ? `[${title}]` : ` ${title} `}
          </Text>
        );
      })}
      <Text dimColor={color}>{'  ? help'}</Text>
    </Box>
  );
}
