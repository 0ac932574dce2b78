/**
 * Starts the inspect UI on a terminal: the alternate screen (so quitting gives the shell back as it
 * was), Ink on the given streams, and resolves once the user quits. The CLI decides whether a UI is
 * possible at all (TTY, --json); this only runs it.
 */
import { render } from 'ink';
import { InspectApp, type Loaded } from './components/InspectApp.js';

export type { Loaded } from './components/InspectApp.js';

export interface InspectUiOptions {
  label: string;
  load: (onProgress: (read: number, total: number | null) => void) => Promise<Loaded>;
  color: boolean;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Use the terminal's alternate screen (default true). */
  altScreen?: boolean;
}

export const ENTER_ALT_SCREEN = '\u001b[?1049h\u001b[H';
export const LEAVE_ALT_SCREEN = '\u001b[?1049l';

/** Resolves 'quit' when the user quit the UI, 'cancelled' when they quit while loading; rejects with a load error. */
export async function runInspectUi(o: InspectUiOptions): Promise<'quit' | 'cancelled'> {
  const alt = o.altScreen !== false;
  if (alt) o.stdout.write(ENTER_ALT_SCREEN);
  let how: 'quit' | 'cancelled' = 'quit';
  let failure: { error: unknown } | null = null;
  const instance = render(
    <InspectApp
      label={o.label}
      load={o.load}
      color={o.color}
      onQuit={(h) => {
        how = h;
        instance.unmount();
      }}
      onError={(error) => {
        failure = { error };
      }}
    />,
    { stdin: o.stdin, stdout: o.stdout, stderr: o.stderr, exitOnCtrlC: false, patchConsole: true },
  );
  try {
    await instance.waitUntilExit();
  } finally {
    if (alt) o.stdout.write(LEAVE_ALT_SCREEN);
  }
  if (failure !== null) throw (failure as { error: unknown }).error;
  return how;
}
