/**
 * Random-access ELF reader: ELF header → program headers → PT_INTERP, PT_DYNAMIC → DT_STRTAB
 * strings. Reads a handful of small ranges through `read`; never section headers. Caps are in
 * `ELF_LIMITS` (parse.ts). Never throws on garbage: null when the bytes are not ELF, otherwise a
 * record with `incomplete: true` and `problems` when something could not be read.
 */
import {
  ELF_HEADER_BYTES,
  ELF_LIMITS,
  buildInfo,
  cString,
  hasElfMagic,
  interpString,
  parseDynamic,
  parseElfHeader,
  parseProgramHeaders,
  planProgramHeaders,
  planSegments,
  planStrings,
  type DynamicEntries,
  type ElfInfo,
  type StringPlan,
} from './parse.js';

export type { ElfInfo } from './parse.js';
export { ELF_LIMITS } from './parse.js';

/** Returns the bytes at `offset` (possibly fewer than `length` at the end of data), or null. */
export type ReadAt = (offset: number, length: number) => Uint8Array | null;

export function readElfDynamic(read: ReadAt, fileSize: number): ElfInfo | null {
  try {
    return readUnsafe(read, fileSize);
  } catch {
    // A throwing `read` callback or an unforeseen shape of garbage: not a crash for the caller.
    return null;
  }
}

function readUnsafe(read: ReadAt, fileSize: number): ElfInfo | null {
  if (!(fileSize >= 52)) return null;
  const head = read(0, Math.min(ELF_HEADER_BYTES, fileSize));
  if (!head || !hasElfMagic(head)) return null;
  const h = parseElfHeader(head);
  if (!h) return null;

  const problems: string[] = [];
  const pp = planProgramHeaders(h, fileSize);
  problems.push(...pp.problems);
  const segments = pp.count > 0 ? parseProgramHeaders(read(pp.offset, pp.length) ?? new Uint8Array(0), h, pp.count) : [];
  if (segments.length < pp.count) problems.push('program header table could not be read whole');

  const sp = planSegments(segments, fileSize);
  problems.push(...sp.problems);
  let interpreter: string | null = null;
  if (sp.interp) {
    const b = read(sp.interp.offset, sp.interp.length);
    interpreter = b ? interpString(b, true) : null;
    if (interpreter === null) problems.push('PT_INTERP could not be read');
  }

  let dyn: DynamicEntries | null = null;
  let plan: StringPlan | null = null;
  if (sp.dynamic) {
    const b = read(sp.dynamic.offset, sp.dynamic.length);
    if (b) {
      dyn = parseDynamic(b, h);
      plan = planStrings(dyn, segments, fileSize);
    }
  }
  const lookup = (off: number): string | null => {
    const len = Math.min(ELF_LIMITS.maxStringBytes + 1, fileSize - off);
    const b = read(off, len);
    return b ? cString(b, 0) : null;
  };
  return buildInfo(h, segments, interpreter, dyn, plan, lookup, problems);
}

/** Convenience for tests and tools: random access over bytes already in memory. */
export function readAtBytes(bytes: Uint8Array): ReadAt {
  return (offset, length) => (offset < 0 || offset >= bytes.length ? null : bytes.subarray(offset, offset + length));
}
