/**
 * One entry, two readers: a dictionary library is both an ELF file (dynamic section, debug
 * sections) and a carrier of `#include` lines. Each gets every chunk until it says it has enough;
 * with random access, each reads what it wants in turn.
 */
import type { EntryConsumer, RawSource } from './stream-parser.js';

export function teeConsumers(a: EntryConsumer, b: EntryConsumer): EntryConsumer {
  let aDone = false;
  let bDone = false;
  const tee: EntryConsumer = {
    async write(chunk) {
      if (!aDone && (await a.write(chunk)) === false) aDone = true;
      if (!bDone && (await b.write(chunk)) === false) bDone = true;
      return aDone && bDone ? false : undefined;
    },
    async end() {
      await a.end();
      await b.end();
    },
  };
  if (a.readAt && b.readAt) {
    tee.readAt = async (read: (offset: number, length: number) => Uint8Array | null, size: number, source?: RawSource) => {
      await a.readAt!(read, size, source);
      await b.readAt!(read, size, source);
    };
  }
  return tee;
}
