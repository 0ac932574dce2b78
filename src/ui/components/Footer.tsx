/** The bottom line: key hints, or the open prompt with its text and any error. */
import { Text } from 'ink';
import type { PromptState } from '../hooks/use-prompt.js';

export interface FooterProps {
  readonly hints: string;
  readonly prompt: PromptState | null;
  readonly color: boolean;
}

export function Footer({ hints, prompt, color }: FooterProps) {
  if (prompt) {
    return (
      <Text wrap="truncate">
        <Text bold>{prompt.label}: </Text>
        {prompt.text}
        <Text inverse> </Text>
        {prompt.error ? <Text color={color ? 'red' : undefined}>{`  ${prompt.error}`}</Text> : <Text dimColor={color}>{'  Enter apply · Esc cancel'}</Text>}
      </Text>
    );
  }
  return (
    <Text wrap="truncate" dimColor={color}>
      {hints}
    </Text>
  );
}
