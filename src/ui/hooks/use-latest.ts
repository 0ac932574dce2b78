/**
 * A ref holding the value of the latest render. Key handlers read state through it: several keys
 * can arrive in one stdin chunk, and each must see what the previous one did (a re-render happens
 * between them; a re-subscribed handler would not).
 */
import { useRef, type RefObject } from 'react';

export function useLatest<T>(value: T): RefObject<T> {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}
