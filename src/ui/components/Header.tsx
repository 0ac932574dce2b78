/** The top line: image, merged size, files, layers, hidden bytes. */
import { Text } from 'ink';

export interface HeaderProps {
  readonly text: string;
  readonly color: boolean;
}

export function Header({ text, color }: HeaderProps) {
  return (
    <Text wrap="truncate" bold color={color ? 'cyan' : undefined}>
      {text}
    </Text>
  );
}
