/**
 * Pure ELF pieces shared by the random-access reader (`read-dynamic.ts`) and the streaming probe
 * (`stream-probe.ts`): ELF header, program headers, dynamic entries, string lookup. Every function
 * takes bytes it is given and never reads outside them; every count is capped (see `ELF_LIMITS`).
 *
 * Only program headers are used: section headers sit at the end of the file, which a tar stream
 * reaches last, and ld.so itself never looks at them (`strip.ts` reads them for debug sections).
 */
import type { StripInfo } from './strip.js';

/** What whittle learns from an ELF file's program headers and dynamic section. */
export interface ElfInfo {
  class: 32 | 64;
  endian: 'le' | 'be';
  /** `e_machine` (62 = x86-64, 3 = i386, 183 = aarch64, 8 = MIPS, 40 = ARM, 21 = PPC64 …). */
  machine: number;
  type: 'exec' | 'dyn' | 'rel' | 'core' | 'other';
  /** PT_INTERP, e.g. `/lib64/ld-linux-x86-64.so.2`; null when absent. */
  interpreter: string | null;
  soname: string | null;
  /** DT_NEEDED names in file order. */
  needed: string[];
  /** DT_RPATH split on `:` (empty components dropped), tokens like `$ORIGIN` left as written. */
  rpath: string[];
  /** DT_RUNPATH split on `:` (empty components dropped). */
  runpath: string[];
  /**
   * Nothing for ld.so to resolve: no PT_DYNAMIC segment (static executable, object file, core), or
   * a static-pie (PT_DYNAMIC with DF_1_PIE, no PT_INTERP, no DT_NEEDED).
   */
  static: boolean;
  /** DF_1_NODEFLIB (`-z nodefaultlib`): ld.so skips the default directories for this object. */
  nodeflib: boolean;
  /** True when some byte range the answer depends on could not be read or was malformed. */
  incomplete: boolean;
  /** Why `incomplete` is set (lowercase, no trailing period); empty when complete. */
  problems: string[];
  /**
   * Debug information and the size stripped (`strip.ts`); set by the analysis (`ElfStore`), which
   * reads the section headers too. Absent when not read.
   */
  strip?: StripInfo;
}

/**
 * Caps against hostile input. Real files stay far below each one: program headers 5–15 here
 * (Linux's ELF loader rejects tables over 64 KiB), dynamic sections 8–60 entries, strings are
 * names and paths (PATH_MAX 4096). Worst case per file: a 256 KiB program header read, 64 KiB of
 * dynamic section, and one ≤ 4 KiB read per distinct string offset (≤ 4096 of them).
 */
export const ELF_LIMITS = {
  /** Program headers parsed; more are ignored and the result flagged incomplete. */
  maxProgramHeaders: 256,
  /** Largest `e_phentsize` accepted (the standard sizes are 32 and 56). */
  maxPhentsize: 1024,
  /** Bytes of PT_DYNAMIC read: 64 KiB = 4096 ELF64 entries. */
  maxDynamicBytes: 64 * 1024,
  /** Longest DT_NEEDED / RPATH / RUNPATH / SONAME string or PT_INTERP read. */
  maxStringBytes: 4096,
} as const;

export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;

const DT_NULL = 0;
const DT_NEEDED = 1;
const DT_STRTAB = 5;
const DT_STRSZ = 10;
const DT_SONAME = 14;
const DT_RPATH = 15;
const DT_RUNPATH = 29;
const DT_FLAGS_1 = 0x6ffffffb;
const DF_1_NODEFLIB = 0x800;
const DF_1_PIE = 0x08000000;

export interface ElfHeader {
  class: 32 | 64;
  endian: 'le' | 'be';
  type: ElfInfo['type'];
  machine: number;
  /** File offset of the program header table (NaN when beyond 2^53). */
  phoff: number;
  phentsize: number;
  /** Raw e_phnum (0xffff = PN_XNUM: real count lives in section 0, which we do not read). */
  phnum: number;
}

export interface Segment {
  type: number;
  offset: number;
  vaddr: number;
  filesz: number;
}

/** The dynamic entries whittle uses; string values are offsets into the DT_STRTAB table. */
export interface DynamicEntries {
  needed: number[];
  soname: number | null;
  rpath: number | null;
  runpath: number | null;
  /** DT_STRTAB as a virtual address. */
  strtab: number | null;
  strsz: number | null;
  flags1: number;
  /** No DT_NULL within the bytes given (segment truncated or capped). */
  unterminated: boolean;
}

/** Bytes needed before `parseElfHeader` can decide (the ELF64 header size). */
export const ELF_HEADER_BYTES = 64;

export function hasElfMagic(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;
}

/** A little reader over a byte array honouring ELF endianness; out-of-range reads give NaN. */
export class Fields {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    private readonly le: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u16(at: number): number {
    return at + 2 <= this.bytes.length ? this.view.getUint16(at, this.le) : NaN;
  }
  u32(at: number): number {
    return at + 4 <= this.bytes.length ? this.view.getUint32(at, this.le) : NaN;
  }
  /** Unsigned 64-bit as a number; NaN when it does not fit in 2^53 (no sane offset does). */
  u64(at: number): number {
    if (at + 8 > this.bytes.length) return NaN;
    const lo = this.view.getUint32(at + (this.le ? 0 : 4), this.le);
    const hi = this.view.getUint32(at + (this.le ? 4 : 0), this.le);
    return hi >= 0x200000 ? NaN : hi * 0x100000000 + lo;
  }
  word(at: number, is64: boolean): number {
    return is64 ? this.u64(at) : this.u32(at);
  }
}

/** Parses the ELF header from at least its first 52 (ELF32) / 64 (ELF64) bytes; null if not ELF. */
export function parseElfHeader(b: Uint8Array): ElfHeader | null {
  if (!hasElfMagic(b)) return null;
  const cls = b[4];
  const data = b[5];
  if ((cls !== 1 && cls !== 2) || (data !== 1 && data !== 2)) return null;
  const is64 = cls === 2;
  if (b.length < (is64 ? 64 : 52)) return null;
  const f = new Fields(b, data === 1);
  const etype = f.u16(16);
  return {
    class: is64 ? 64 : 32,
    endian: data === 1 ? 'le' : 'be',
    type: etype === 1 ? 'rel' : etype === 2 ? 'exec' : etype === 3 ? 'dyn' : etype === 4 ? 'core' : 'other',
    machine: f.u16(18),
    phoff: is64 ? f.u64(32) : f.u32(28),
    phentsize: f.u16(is64 ? 54 : 42),
    phnum: f.u16(is64 ? 56 : 44),
  };
}

export interface PhdrTablePlan {
  offset: number;
  /** Entries that will be parsed (after capping). */
  count: number;
  length: number;
  problems: string[];
}

/** Where the program header table is and how much of it to read, with caps applied. */
export function planProgramHeaders(h: ElfHeader, fileSize: number): PhdrTablePlan {
  const problems: string[] = [];
  const minEnt = h.class === 64 ? 56 : 32;
  if (h.phnum === 0) return { offset: 0, count: 0, length: 0, problems };
  if (h.phnum === 0xffff) {
    return { offset: 0, count: 0, length: 0, problems: ['program header count is PN_XNUM (kept in section headers, not read)'] };
  }
  if (h.phentsize < minEnt || h.phentsize > ELF_LIMITS.maxPhentsize) {
    return { offset: 0, count: 0, length: 0, problems: [`program header entry size ${h.phentsize} is invalid`] };
  }
  if (!Number.isFinite(h.phoff) || h.phoff >= fileSize) {
    return { offset: 0, count: 0, length: 0, problems: ['program header table lies outside the file'] };
  }
  let count = h.phnum;
  if (count > ELF_LIMITS.maxProgramHeaders) {
    problems.push(`${count} program headers, only the first ${ELF_LIMITS.maxProgramHeaders} read`);
    count = ELF_LIMITS.maxProgramHeaders;
  }
  const fit = Math.floor((fileSize - h.phoff) / h.phentsize);
  if (fit < count) {
    problems.push('program header table runs past the end of the file');
    count = fit;
  }
  return { offset: h.phoff, count, length: count * h.phentsize, problems };
}

/** Parses `count` program headers from `b` (the table's bytes); stops early if `b` is short. */
export function parseProgramHeaders(b: Uint8Array, h: ElfHeader, count: number): Segment[] {
  const f = new Fields(b, h.endian === 'le');
  const is64 = h.class === 64;
  const out: Segment[] = [];
  for (let i = 0; i < count; i++) {
    const at = i * h.phentsize;
    if (at + (is64 ? 56 : 32) > b.length) break;
    out.push(
      is64
        ? { type: f.u32(at), offset: f.u64(at + 8), vaddr: f.u64(at + 16), filesz: f.u64(at + 32) }
        : { type: f.u32(at), offset: f.u32(at + 4), vaddr: f.u32(at + 8), filesz: f.u32(at + 16) },
    );
  }
  return out;
}

/** A byte range of the file, clamped to the file and to `cap`; null when empty or invalid. */
export function clampRange(offset: number, length: number, fileSize: number, cap: number): { offset: number; length: number } | null {
  if (!Number.isFinite(offset) || !Number.isFinite(length) || offset < 0 || offset >= fileSize || length <= 0) return null;
  return { offset, length: Math.min(length, cap, fileSize - offset) };
}

export interface SegmentPlan {
  /** PT_INTERP bytes to read (one more than the longest accepted string). */
  interp: { offset: number; length: number } | null;
  /** PT_DYNAMIC bytes to read, capped at `ELF_LIMITS.maxDynamicBytes`. */
  dynamic: { offset: number; length: number } | null;
  problems: string[];
}

/** The ranges to read for PT_INTERP and PT_DYNAMIC (the first of each, as the kernel and ld.so). */
export function planSegments(segments: readonly Segment[], fileSize: number): SegmentPlan {
  const problems: string[] = [];
  const interp = segments.find((s) => s.type === PT_INTERP);
  const dseg = segments.find((s) => s.type === PT_DYNAMIC);
  const ir = interp ? clampRange(interp.offset, interp.filesz, fileSize, ELF_LIMITS.maxStringBytes + 1) : null;
  const dr = dseg ? clampRange(dseg.offset, dseg.filesz, fileSize, ELF_LIMITS.maxDynamicBytes) : null;
  if (interp && !ir) problems.push('PT_INTERP lies outside the file');
  // Typical of separate debug files (/usr/lib/debug/.build-id/…), whose sections are NOBITS.
  if (dseg && !dr) problems.push('PT_DYNAMIC lies outside the file (separate debug file or truncated)');
  return { interp: ir, dynamic: dr, problems };
}

/** Parses dynamic entries up to DT_NULL (or the end of `b`). */
export function parseDynamic(b: Uint8Array, h: ElfHeader): DynamicEntries {
  const f = new Fields(b, h.endian === 'le');
  const is64 = h.class === 64;
  const size = is64 ? 16 : 8;
  const half = size / 2;
  const d: DynamicEntries = {
    needed: [],
    soname: null,
    rpath: null,
    runpath: null,
    strtab: null,
    strsz: null,
    flags1: 0,
    unterminated: true,
  };
  for (let at = 0; at + size <= b.length; at += size) {
    // Tags that matter are small positive numbers; a tag beyond 2^53 (u64 → NaN) matches nothing.
    const tag = f.word(at, is64);
    const val = f.word(at + half, is64);
    if (tag === DT_NULL) {
      d.unterminated = false;
      break;
    }
    switch (tag) {
      case DT_NEEDED:
        d.needed.push(val);
        break;
      // glibc keeps the last entry of a tag (l_info[tag] is overwritten), so do we.
      case DT_SONAME:
        d.soname = val;
        break;
      case DT_RPATH:
        d.rpath = val;
        break;
      case DT_RUNPATH:
        d.runpath = val;
        break;
      case DT_STRTAB:
        d.strtab = val;
        break;
      case DT_STRSZ:
        d.strsz = val;
        break;
      case DT_FLAGS_1:
        d.flags1 = Number.isFinite(val) ? val : 0;
        break;
    }
  }
  return d;
}

/** Maps a virtual address to a file offset through the PT_LOAD segments; null if none holds it. */
export function vaddrToOffset(segments: readonly Segment[], vaddr: number): number | null {
  if (!Number.isFinite(vaddr)) return null;
  for (const s of segments) {
    if (s.type === PT_LOAD && vaddr >= s.vaddr && vaddr < s.vaddr + s.filesz) return s.offset + (vaddr - s.vaddr);
  }
  return null;
}

const utf8 = new TextDecoder('utf-8');

/**
 * The NUL-terminated string at `at` in `b`. Returns null when no NUL occurs within
 * `ELF_LIMITS.maxStringBytes` or before the end of `b`.
 */
export function cString(b: Uint8Array, at: number): string | null {
  if (at < 0 || at >= b.length) return null;
  const end = b.indexOf(0, at);
  if (end < 0 || end - at > ELF_LIMITS.maxStringBytes) return null;
  return utf8.decode(b.subarray(at, end));
}

/**
 * PT_INTERP's text: up to its NUL, or (when `whole`, i.e. all of a segment of at most
 * `maxStringBytes` was read) all of it if the NUL is missing.
 */
export function interpString(b: Uint8Array, whole: boolean): string | null {
  const s = cString(b, 0);
  if (s !== null) return s;
  return whole && b.length > 0 && b.length <= ELF_LIMITS.maxStringBytes ? utf8.decode(b) : null;
}

export function splitPath(s: string | null): string[] {
  if (s === null) return [];
  return s.split(':').filter((p) => p !== '');
}

/** A reader of strings from the dynamic string table: strOffset → text, or null if unavailable. */
export type StringLookup = (fileOffset: number) => string | null;

/** Where each string the dynamic section refers to lives in the file. */
export interface StringPlan {
  /** File offset of DT_STRTAB, or null when it cannot be located. */
  strtabOffset: number | null;
  /** File offsets wanted: needed…, then soname, rpath, runpath where present. */
  offsets: number[];
  problems: string[];
}

/** Works out the file offsets of the strings `d` refers to. */
export function planStrings(d: DynamicEntries, segments: readonly Segment[], fileSize: number): StringPlan {
  const problems: string[] = [];
  const refs = [...d.needed, d.soname, d.rpath, d.runpath].filter((v): v is number => v !== null);
  if (refs.length === 0) return { strtabOffset: null, offsets: [], problems };
  if (d.strtab === null) return { strtabOffset: null, offsets: [], problems: ['dynamic section has strings but no DT_STRTAB'] };
  const base = vaddrToOffset(segments, d.strtab);
  if (base === null) return { strtabOffset: null, offsets: [], problems: ['DT_STRTAB address is in no PT_LOAD segment'] };
  const offsets: number[] = [];
  for (const r of refs) {
    const off = base + r;
    if (!Number.isFinite(r) || (d.strsz !== null && r >= d.strsz) || off >= fileSize) {
      problems.push(`string offset ${r} lies outside the string table`);
      offsets.push(NaN);
    } else offsets.push(off);
  }
  return { strtabOffset: base, offsets, problems };
}

/** Assembles the final record once the strings have been looked up. */
export function buildInfo(
  h: ElfHeader,
  segments: readonly Segment[],
  interpreter: string | null,
  dyn: DynamicEntries | null,
  plan: StringPlan | null,
  lookup: StringLookup,
  problems: string[],
): ElfInfo {
  const hasDynamic = segments.some((s) => s.type === PT_DYNAMIC);
  const info: ElfInfo = {
    class: h.class,
    endian: h.endian,
    machine: h.machine,
    type: h.type,
    interpreter,
    soname: null,
    needed: [],
    rpath: [],
    runpath: [],
    static: !hasDynamic,
    nodeflib: false,
    incomplete: false,
    problems: [...problems],
  };
  if (dyn) {
    if (dyn.unterminated) info.problems.push('dynamic section has no DT_NULL terminator within the bytes read');
    info.nodeflib = (dyn.flags1 & DF_1_NODEFLIB) !== 0;
    if (plan) {
      info.problems.push(...plan.problems);
      const strs = plan.offsets.map((o) => (Number.isFinite(o) ? lookup(o) : null));
      let i = 0;
      let missing = 0;
      // strs is empty when DT_STRTAB could not be located (reported by planStrings).
      for (; i < dyn.needed.length; i++) {
        const s = strs[i] ?? null;
        if (s === null) missing++;
        else info.needed.push(s);
      }
      const take = (present: boolean): string | null => {
        if (!present) return null;
        const s = strs[i++] ?? null;
        if (s === null) missing++;
        return s;
      };
      info.soname = take(dyn.soname !== null);
      info.rpath = splitPath(take(dyn.rpath !== null));
      info.runpath = splitPath(take(dyn.runpath !== null));
      if (missing > 0 && plan.strtabOffset !== null) info.problems.push(`${missing} dynamic string(s) could not be read`);
    }
    if (hasDynamic && interpreter === null && dyn.needed.length === 0 && (dyn.flags1 & DF_1_PIE) !== 0) info.static = true;
  } else if (hasDynamic && !info.problems.some((p) => p.startsWith('PT_DYNAMIC'))) {
    info.problems.push('PT_DYNAMIC could not be read');
  }
  info.incomplete = info.problems.length > 0;
  return info;
}
