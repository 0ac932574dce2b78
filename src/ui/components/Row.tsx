/** One list row: a cursor mark and the row's text, reversed under the cursor of the focused pane. */
import { Text } from 'ink';
import type { ReactNode } from 'react';

export interface RowProps {
  readonly cursor: boolean;
  readonly focused: boolean;
  readonly children: ReactNode;
}

export function Row({ cursor, focused, children }: RowProps) {
  return (
    <Text wrap="truncate" inverse={cursor && focused} bold={cursor && !focused}>
      {cursor ? '›' : ' '}
      {children}
    </Text>
  );
}
