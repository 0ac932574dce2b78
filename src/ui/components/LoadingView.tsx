/** While the image loads: what is read, a progress bar with rate and ETA (or bytes and rate for stdin). */
import { Box, Text } from 'ink';
import type { ProgressView } from '../progress-model.js';

export interface LoadingViewProps {
  readonly label: string;
  readonly phase: string;
  readonly progress: ProgressView;
  readonly color: boolean;
}

export function LoadingView({ label, phase, progress, color }: LoadingViewProps) {
  return (
    <Box flexDirection="column">
      <Text wrap="truncate" bold>
        {`${phase} ${label}`}
      </Text>
      {progress.bar !== null ? (
        <Text>
          <Text color={color ? 'green' : undefined}>{progress.bar.slice(0, progress.filled)}</Text>
          <Text dimColor={color}>{progress.bar.slice(progress.filled)}</Text>
        </Text>
      ) : null}
      <Text wrap="truncate">{progress.text}</Text>
      <Text dimColor={color}>q to cancel</Text>
    </Box>
  );
}
