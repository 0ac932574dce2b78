/**
 * What strip rules may strip, shared by the planner (which projects the sizes) and the writer (which
 * must write exactly those sizes): an ELF file whose debug information the analysis measured and
 * that `src/elf/strip.ts` can strip safely. From an uncompressed layer the writer copies ranges of
 * the input around what changes, whatever the file's size; from a compressed layer it holds the
 * file whole, so there a file over `STRIP_MAX_BYTES` is copied as it is, and the plan says so.
 */
import type { ElfInfo } from '../elf/index.js';

export const STRIP_MAX_BYTES = 1024 * 1024 * 1024;

/** Whether the writer strips files of a layer with this compression without holding them. */
export function stripsInPlace(layerCompression: string): boolean {
  // prune spools a compressed archive to an uncompressed file first, so only the layer's own
  // compression decides how its files are read
  return layerCompression === 'none';
}

/** Whether the writer may strip a file of `size` bytes from such a layer (it holds it whole otherwise). */
export function withinStripLimit(size: number, inPlace: boolean): boolean {
  return inPlace || size <= STRIP_MAX_BYTES;
}

/** The size a strip writes for a file of `size` bytes with this ELF info, or the reason it stays (null: no debug information). */
export function stripOutcome(info: ElfInfo | undefined, size: number, inPlace: boolean): { size: number } | { problem: string } | null {
  const s = info?.strip;
  if (!info) return null;
  if (!s) return { problem: 'its section headers were not read' };
  if (s.debugSections === 0) return null;
  if (s.problem !== null) return { problem: s.problem };
  if (!withinStripLimit(size, inPlace)) return { problem: `larger than ${STRIP_MAX_BYTES / 1024 ** 3} GiB in a compressed layer: the writer copies it as it is` };
  if (!(s.strippedSize < size)) return null;
  return { size: s.strippedSize };
}
