/**
 * What strip rules may strip, shared by the planner (which projects the sizes) and the writer (which
 * must write exactly those sizes): an ELF file whose debug information the analysis measured, that
 * `src/elf/strip.ts` can strip safely, and that is at most `STRIP_MAX_BYTES` (the writer holds a
 * file whole to strip it; larger ones are copied as they are, and the plan says so).
 */
import type { ElfInfo } from '../elf/index.js';

export const STRIP_MAX_BYTES = 1024 * 1024 * 1024;

/** The size a strip writes for a file of `size` bytes with this ELF info, or the reason it stays (null: no debug information). */
export function stripOutcome(info: ElfInfo | undefined, size: number): { size: number } | { problem: string } | null {
  const s = info?.strip;
  if (!info) return null;
  if (!s) return { problem: 'its section headers were not read' };
  if (s.debugSections === 0) return null;
  if (s.problem !== null) return { problem: s.problem };
  if (size > STRIP_MAX_BYTES) return { problem: `larger than ${STRIP_MAX_BYTES / 1024 ** 3} GiB: the writer copies it as it is` };
  if (!(s.strippedSize < size)) return null;
  return { size: s.strippedSize };
}
