/**
 * A one-line text prompt in the footer (`/` filters, `>` minimum size). While it is open it takes
 * every key: Enter submits (the submit handler may refuse with a message), Esc cancels. Its state
 * is kept synchronously (see use-sync-reducer.ts), so "/lib⏎" arriving in one chunk works.
 */
import type { Key } from 'ink';
import { useCallback } from 'react';
import { useLatest } from './use-latest.js';
import { useSyncReducer } from './use-sync-reducer.js';

export type PromptKind = 'files-text' | 'files-size' | 'owners-text';

export interface PromptState {
  kind: PromptKind;
  label: string;
  text: string;
  error: string | null;
}

export interface Prompt {
  state: PromptState | null;
  isOpen(): boolean;
  open(kind: PromptKind, label: string, initial: string): void;
  onKey(name: string, input: string, key: Key): void;
}

const replace = (_: PromptState | null, next: PromptState | null) => next;

/** `submit` returns an error message to keep the prompt open, or null to close it. */
export function usePrompt(submit: (kind: PromptKind, text: string) => string | null): Prompt {
  const [state, set, ref] = useSyncReducer(replace, () => null);
  const sub = useLatest(submit);
  const onKey = useCallback(
    (name: string, input: string, key: Key) => {
      const s = ref.current;
      if (!s) return;
      if (name === 'escape') return set(null);
      if (name === 'enter') {
        const error = sub.current(s.kind, s.text);
        return set(error === null ? null : { ...s, error });
      }
      if (name === 'backspace') return set({ ...s, text: [...s.text].slice(0, -1).join(''), error: null });
      if (name === 'ctrl-u') return set({ ...s, text: '', error: null });
      if (name.startsWith('ctrl-') || name === 'tab' || key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return;
      // eslint-disable-next-line no-control-regex
      const printable = input.replace(/[\u0000-\u001f\u007f]/g, '');
      if (printable) set({ ...s, text: s.text + printable, error: null });
    },
    [ref, set, sub],
  );
  const open = useCallback((kind: PromptKind, label: string, initial: string) => set({ kind, label, text: initial, error: null }), [set]);
  const isOpen = useCallback(() => ref.current !== null, [ref]);
  return { state, isOpen, open, onKey };
}
