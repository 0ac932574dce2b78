/**
 * Removing debug information from ELF executables and shared libraries, like
 * `objcopy --strip-debug` / `strip --strip-debug`: the debug sections (`.debug_*`, `.zdebug_*`,
 * `.stab*`, `.line`, `.gdb_index`, `.gnu.linkonce.wi.*`, `.gnu.debuglto_*`, the relocations that
 * apply to them) go; `.symtab`, `.strtab`, `.comment`, `.gnu_debuglink` and everything the loader
 * maps stay byte for byte. Pure: bytes in, bytes out.
 *
 * Layout of the result: every byte up to the end of the last loaded segment (program headers,
 * PT_LOAD contents, sections among them) is copied in place, so nothing ld.so sees moves. The
 * kept non-loaded sections that followed (`.comment`, `.symtab`, `.strtab`, …) are packed after
 * it in their original order, each at its `sh_addralign`; `.shstrtab` is rebuilt without the
 * removed names; the section header table comes last (8-aligned, 4 for ELF32), renumbered.
 * Section indices are remapped everywhere they appear: `e_shstrndx`, `sh_link`, `sh_info` of
 * relocation sections and of `SHF_INFO_LINK` sections, group members, symbols' `st_shndx` (and
 * `SHT_SYMTAB_SHNDX`); a symbol that pointed into a removed debug section becomes `SHN_ABS`.
 *
 * `planStrip` decides all of this from the ELF header, the program and section headers and the
 * section names alone, so the size of the result is known before the file is read whole (the
 * planner needs it while the image streams; `debugSectionBytes`). `stripDebug` follows the same
 * plan. A file is left as it is, with the reason, when stripping cannot be done safely: a debug
 * section inside a loaded segment or among the segments, an allocated debug section, bytes after
 * the last section (an appended payload, as PyInstaller and AppImage executables carry), section
 * data past the end of the file, relocatable objects (their relocations and symbols refer to the
 * debug sections), or headers that do not parse.
 */
import { Fields, hasElfMagic, parseElfHeader, type ElfHeader } from './parse.js';
import { readAtBytes, type ReadAt } from './read-dynamic.js';

/** What stripping a file's debug information would do. */
export interface StripInfo {
  /** Bytes of debug section data in the file (0: nothing to strip). */
  debugBytes: number;
  /** Debug sections (and relocation sections for them) that would be removed. */
  debugSections: number;
  /** Size of the file `stripDebug` writes; the file's own size when it is left unchanged. */
  strippedSize: number;
  /** Why the file cannot be stripped safely (lowercase, no trailing period); null when it can or has nothing to strip. */
  problem: string | null;
}

/** Caps against hostile input; real files stay far below (linked files have < 100 sections). */
export const STRIP_LIMITS = {
  /** Section headers read (ELF allows 2^32 with extended numbering). */
  maxSections: 65536,
  /** Bytes of `.shstrtab` read. */
  maxShstrtabBytes: 1024 * 1024,
  /** Program headers read. */
  maxProgramHeaders: 4096,
  /**
   * Bytes after the last section or table that may go (padding to a word; always checked to be
   * zero): more, or non-zero ones, are data nothing describes (an appended payload) and make the
   * file unstrippable. Gaps between sections may be as large as the next one's alignment.
   */
  maxTrailingBytes: 16,
} as const;

const SHT_NULL = 0;
const SHT_SYMTAB = 2;
const SHT_RELA = 4;
const SHT_NOBITS = 8;
const SHT_REL = 9;
const SHT_DYNSYM = 11;
const SHT_GROUP = 17;
const SHT_SYMTAB_SHNDX = 18;
const SHF_ALLOC = 0x2;
const SHF_INFO_LINK = 0x40;
const SHN_LORESERVE = 0xff00;
const SHN_ABS = 0xfff1;
const SHN_XINDEX = 0xffff;
const PN_XNUM = 0xffff;

/** Section names binutils treats as debugging information (bfd's `SEC_DEBUGGING`). */
export function isDebugSectionName(name: string): boolean {
  return (
    name.startsWith('.debug') ||
    name.startsWith('.zdebug') ||
    name.startsWith('.gnu.debuglto_.debug_') ||
    name.startsWith('.gnu.linkonce.wi.') ||
    name.startsWith('.line') ||
    name.startsWith('.stab') ||
    name === '.gdb_index'
  );
}

interface Section {
  name: string;
  nameOff: number;
  type: number;
  flags: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  addralign: number;
  entsize: number;
}

/** The complete layout decision; `stripDebug` executes it. */
interface Plan {
  h: ElfHeader;
  le: boolean;
  is64: boolean;
  shoff: number;
  shentsize: number;
  /** e_shnum was 0 (count in section 0's sh_size). */
  extendedCount: boolean;
  /** e_shstrndx was SHN_XINDEX (index in section 0's sh_link). */
  extendedStrndx: boolean;
  shstrndx: number;
  sections: Section[];
  /** Old index → new index; -1 for removed sections. */
  map: Int32Array;
  /** Old index → new file offset for moved sections (NaN: stays where it is). */
  newOffset: Float64Array;
  /** The rebuilt .shstrtab (null when it stays as it is) and each kept section's new name offset. */
  shstrtab: Uint8Array | null;
  newNameOff: Int32Array;
  /** Bytes [0, copyEnd) are copied in place. */
  copyEnd: number;
  newShoff: number;
  newCount: number;
  info: StripInfo;
}

type Outcome = { plan: Plan | null; info: StripInfo } | null;

const alignUp = (n: number, a: number): number => (a > 1 ? Math.ceil(n / a) * a : n);

/**
 * How much debug information an ELF file holds and how big it would be stripped, read by random
 * access (ELF header, program headers, section headers, `.shstrtab`; never section contents).
 * null when the bytes are not ELF. Never throws.
 */
export function debugSectionBytes(read: ReadAt, size: number): StripInfo | null {
  return planStrip(read, size)?.info ?? null;
}

/** Strips `bytes` (a whole ELF file); returns the same array when nothing is stripped. */
export function stripDebug(bytes: Uint8Array): Uint8Array {
  return stripDebugReport(bytes).bytes;
}

/** `stripDebug` with the reason when the file is left unchanged (info null: not ELF). */
export function stripDebugReport(bytes: Uint8Array): { bytes: Uint8Array; info: StripInfo | null } {
  const o = planStrip(readAtBytes(bytes), bytes.length);
  if (!o) return { bytes, info: null };
  if (!o.plan) return { bytes, info: o.info };
  return { bytes: execute(bytes, o.plan), info: o.info };
}

function unchanged(size: number, problem: string | null, debugBytes = 0, debugSections = 0): StripInfo {
  return { debugBytes, debugSections, strippedSize: size, problem };
}

function planStrip(read: ReadAt, size: number): Outcome {
  try {
    return planUnsafe(read, size);
  } catch {
    // a throwing `read` or an unforeseen shape of garbage: leave the file alone
    return { plan: null, info: unchanged(size, 'the ELF headers could not be read') };
  }
}

function planUnsafe(read: ReadAt, size: number): Outcome {
  if (!(size >= 52)) return null;
  const head = read(0, Math.min(64, size));
  if (!head || !hasElfMagic(head)) return null;
  const h = parseElfHeader(head);
  if (!h) return null;
  const le = h.endian === 'le';
  const is64 = h.class === 64;
  const f = new Fields(head, le);
  const shoff = is64 ? f.u64(40) : f.u32(32);
  const shentsize = f.u16(is64 ? 58 : 46);
  const eShnum = f.u16(is64 ? 60 : 48);
  const eShstrndx = f.u16(is64 ? 62 : 50);
  const no = (problem: string | null): Outcome => ({ plan: null, info: unchanged(size, problem) });

  if (h.type !== 'exec' && h.type !== 'dyn') {
    return no(h.type === 'rel' ? 'relocatable object (ET_REL): its relocations and symbols refer to the debug sections' : `ELF type ${h.type} is not an executable or shared library`);
  }
  if (shoff === 0) return no(null); // no section headers: nothing to find
  const SHENT = is64 ? 64 : 40;
  if (!Number.isFinite(shoff) || shoff >= size) return no('the section header table lies outside the file');
  if (shentsize !== SHENT) return no(`section header entry size ${shentsize} is not ${SHENT}`);

  // section 0 carries the real count and string table index when they do not fit the header
  const first = read(shoff, SHENT);
  if (!first || first.length < SHENT) return no('the section header table could not be read');
  const s0 = parseSection(new Fields(first, le), 0, is64);
  const extendedCount = eShnum === 0;
  const count = extendedCount ? s0.size : eShnum;
  if (count === 0) return no(null);
  if (!Number.isFinite(count) || count > STRIP_LIMITS.maxSections) return no(`${count} section headers (more than ${STRIP_LIMITS.maxSections})`);
  if (shoff + count * SHENT > size) return no('the section header table runs past the end of the file');
  const table = read(shoff, count * SHENT);
  if (!table || table.length < count * SHENT) return no('the section header table could not be read');
  const tf = new Fields(table, le);
  const sections: Section[] = [];
  for (let i = 0; i < count; i++) sections.push(parseSection(tf, i * SHENT, is64));
  const extendedStrndx = eShstrndx === SHN_XINDEX;
  const shstrndx = extendedStrndx ? s0.link : eShstrndx;
  if (shstrndx === 0 || shstrndx >= count) return no('the file has no section name table');
  const strSec = sections[shstrndx]!;
  if (strSec.type === SHT_NOBITS || strSec.size > STRIP_LIMITS.maxShstrtabBytes || strSec.offset + strSec.size > size) {
    return no('the section name table is missing, too large or outside the file');
  }
  const names = read(strSec.offset, strSec.size);
  if (!names || names.length < strSec.size) return no('the section name table could not be read');
  for (const s of sections) s.name = sectionName(names, s.nameOff);

  // which sections go: debug sections, and relocations that apply to a removed section
  const removed = new Uint8Array(count);
  let debugBytes = 0;
  let debugSections = 0;
  for (let i = 1; i < count; i++) {
    const s = sections[i]!;
    if (isDebugSectionName(s.name)) removed[i] = 1;
  }
  for (let i = 1; i < count; i++) {
    const s = sections[i]!;
    if ((s.type === SHT_REL || s.type === SHT_RELA) && !removed[i] && s.info > 0 && s.info < count && removed[s.info]) removed[i] = 1;
  }
  for (let i = 1; i < count; i++) {
    if (!removed[i]) continue;
    const s = sections[i]!;
    debugSections++;
    if (s.type !== SHT_NOBITS) debugBytes += s.size;
  }
  if (debugSections === 0) return no(null);
  if (removed[shstrndx]) return no('the section name table itself is named like a debug section');
  const refuse = (problem: string): Outcome => ({ plan: null, info: unchanged(size, problem, debugBytes, debugSections) });

  // the loaded image: program headers and every segment's file bytes stay where they are
  let phnum = h.phnum;
  if (phnum === PN_XNUM) phnum = s0.info;
  const PHENT = is64 ? 56 : 32;
  let loadEnd = is64 ? 64 : 52;
  const segs: { offset: number; end: number; type: number }[] = [];
  if (phnum > 0) {
    if (h.phentsize < PHENT) return refuse(`program header entry size ${h.phentsize} is invalid`);
    if (phnum > STRIP_LIMITS.maxProgramHeaders) return refuse(`${phnum} program headers`);
    if (!Number.isFinite(h.phoff) || h.phoff + phnum * h.phentsize > size) return refuse('the program header table runs past the end of the file');
    const ph = read(h.phoff, phnum * h.phentsize);
    if (!ph || ph.length < phnum * h.phentsize) return refuse('the program header table could not be read');
    const pf = new Fields(ph, le);
    loadEnd = Math.max(loadEnd, h.phoff + phnum * h.phentsize);
    for (let i = 0; i < phnum; i++) {
      const at = i * h.phentsize;
      const type = pf.u32(at);
      const offset = is64 ? pf.u64(at + 8) : pf.u32(at + 4);
      const filesz = is64 ? pf.u64(at + 32) : pf.u32(at + 16);
      if (!Number.isFinite(offset) || !Number.isFinite(filesz)) return refuse('a program header has an offset beyond 2^53');
      if (filesz === 0) continue;
      if (offset + filesz > size) return refuse('a segment runs past the end of the file');
      segs.push({ offset, end: offset + filesz, type });
      loadEnd = Math.max(loadEnd, offset + filesz);
    }
  }

  // every section with file bytes lies inside the file; removed ones lie wholly after the image
  for (let i = 1; i < count; i++) {
    const s = sections[i]!;
    if (s.type === SHT_NOBITS || s.type === SHT_NULL || s.size === 0) continue;
    if (!Number.isFinite(s.offset) || !Number.isFinite(s.size) || s.offset + s.size > size) return refuse(`section ${s.name || i} runs past the end of the file`);
    if (!removed[i]) continue;
    if (s.flags & SHF_ALLOC) return refuse(`debug section ${s.name} is allocated (SHF_ALLOC): it is part of the loaded image`);
    const seg = segs.find((g) => s.offset < g.end && s.offset + s.size > g.offset);
    if (seg) return refuse(`debug section ${s.name} lies inside a ${seg.type === 1 ? 'PT_LOAD' : `type ${seg.type}`} segment`);
    if (s.offset < loadEnd) return refuse(`debug section ${s.name} lies among the loaded segments`);
  }
  for (const s of sections) {
    if ((s.type === SHT_SYMTAB || s.type === SHT_DYNSYM) && s.size > 0 && s.entsize !== (is64 ? 24 : 16)) {
      return refuse(`symbol table ${s.name} has entry size ${s.entsize}`);
    }
  }

  // kept sections that start before the end of the image stay in place (and so does what they cover)
  let copyEnd = loadEnd;
  const movable: number[] = [];
  for (let i = 1; i < count; i++) {
    const s = sections[i]!;
    if (removed[i] || s.type === SHT_NOBITS || s.type === SHT_NULL || s.size === 0) continue;
    if (s.offset < loadEnd) copyEnd = Math.max(copyEnd, s.offset + s.size);
    else movable.push(i);
  }
  if (movable.some((i) => sections[i]!.offset < copyEnd)) return refuse('a section overlaps the loaded image');

  // nothing unknown after the image: the original tail must be sections, headers and padding
  const items: { offset: number; end: number; align: number }[] = [];
  for (let i = 1; i < count; i++) {
    const s = sections[i]!;
    if (s.type === SHT_NOBITS || s.type === SHT_NULL || s.size === 0 || s.offset < loadEnd) continue;
    items.push({ offset: s.offset, end: s.offset + s.size, align: s.addralign });
  }
  if (shoff >= copyEnd) items.push({ offset: shoff, end: shoff + count * SHENT, align: is64 ? 8 : 4 });
  items.sort((x, y) => x.offset - y.offset || x.end - y.end);
  let cursor = copyEnd;
  for (const it of items) {
    if (it.offset < cursor) {
      if (it.end > cursor) return refuse('sections overlap after the loaded image');
      continue;
    }
    // alignment padding is shorter than the alignment (sh_addralign 0 and 1 mean none)
    if (it.offset - cursor >= Math.max(it.align, 1, 8)) return refuse(`${it.offset - cursor} bytes at offset ${cursor} belong to no section`);
    cursor = it.end;
  }
  const trailing = size - cursor;
  if (trailing > 0) {
    const tail = trailing <= STRIP_LIMITS.maxTrailingBytes ? read(cursor, trailing) : null;
    if (trailing > STRIP_LIMITS.maxTrailingBytes || (tail !== null && tail.some((x) => x !== 0))) {
      return refuse(`${trailing} bytes after the last section (appended data) would be lost`);
    }
    if (tail === null || tail.length < trailing) return refuse('the end of the file could not be read');
  }

  // the new name table: the kept sections' names, each once
  const rebuild = movable.includes(shstrndx);
  const newNameOff = new Int32Array(count);
  let shstrtab: Uint8Array | null = null;
  if (rebuild) {
    const at = new Map<string, number>([['', 0]]);
    const parts: Buffer[] = [Buffer.from([0])];
    let len = 1;
    for (let i = 0; i < count; i++) {
      if (removed[i]) continue;
      const n = sections[i]!.name;
      let off = at.get(n);
      if (off === undefined) {
        off = len;
        at.set(n, off);
        const b = Buffer.from(`${n}\0`, 'utf8');
        parts.push(b);
        len += b.length;
      }
      newNameOff[i] = off;
    }
    shstrtab = new Uint8Array(Buffer.concat(parts));
  } else for (let i = 0; i < count; i++) newNameOff[i] = sections[i]!.nameOff;

  // place the movable sections in their original order, then the header table
  movable.sort((x, y) => sections[x]!.offset - sections[y]!.offset || x - y);
  const newOffset = new Float64Array(count).fill(NaN);
  let pos = copyEnd;
  for (const i of movable) {
    const s = sections[i]!;
    pos = alignUp(pos, s.addralign);
    newOffset[i] = pos;
    pos += i === shstrndx && shstrtab ? shstrtab.length : s.size;
  }
  const map = new Int32Array(count).fill(-1);
  let newCount = 0;
  for (let i = 0; i < count; i++) if (!removed[i]) map[i] = newCount++;
  const newShoff = alignUp(pos, is64 ? 8 : 4);
  const strippedSize = newShoff + newCount * SHENT;
  const info: StripInfo = { debugBytes, debugSections, strippedSize, problem: null };
  if (strippedSize >= size) return { plan: null, info: unchanged(size, null, debugBytes, debugSections) };
  return {
    plan: { h, le, is64, shoff, shentsize, extendedCount, extendedStrndx, shstrndx, sections, map, newOffset, shstrtab, newNameOff, copyEnd, newShoff, newCount, info },
    info,
  };
}

function parseSection(f: Fields, at: number, is64: boolean): Section {
  return is64
    ? { name: '', nameOff: f.u32(at), type: f.u32(at + 4), flags: f.u64(at + 8), offset: f.u64(at + 24), size: f.u64(at + 32), link: f.u32(at + 40), info: f.u32(at + 44), addralign: f.u64(at + 48), entsize: f.u64(at + 56) }
    : { name: '', nameOff: f.u32(at), type: f.u32(at + 4), flags: f.u32(at + 8), offset: f.u32(at + 16), size: f.u32(at + 20), link: f.u32(at + 24), info: f.u32(at + 28), addralign: f.u32(at + 32), entsize: f.u32(at + 36) };
}

const latin1 = new TextDecoder('latin1');

function sectionName(names: Uint8Array, off: number): string {
  if (!Number.isFinite(off) || off >= names.length) return '';
  let end = names.indexOf(0, off);
  if (end < 0) end = names.length;
  return latin1.decode(names.subarray(off, end));
}

/** Writes the stripped file the plan describes. */
function execute(src: Uint8Array, p: Plan): Uint8Array {
  const out = new Uint8Array(p.info.strippedSize);
  out.set(src.subarray(0, p.copyEnd), 0);
  rewrite(readAtBytes(src), p, new OutWindows([{ start: 0, buf: out }]));
  return out;
}

/** A piece of a stripped file: a byte range [from, to) of the original copied as it is, or new bytes. */
export type StripPiece = { from: number; to: number } | Uint8Array;

/**
 * The stripped file as pieces in order, reading through `read` only what changes: the ELF header,
 * symbol tables in the loaded image, and what lies after it (the sections that move and the
 * section header table). The loaded image itself, most of a library, is left to be copied from
 * the original, so a 434 MB libCling is written without being held. null when nothing is stripped.
 */
export function stripDebugPieces(read: ReadAt, size: number): { pieces: StripPiece[]; info: StripInfo } | null {
  const o = planStrip(read, size);
  if (!o?.plan) return null;
  try {
    return piecesOf(read, o.plan, o.info);
  } catch {
    // a `read` that fails on bytes the plan saw as present: write the file as it is
    return null;
  }
}

function piecesOf(read: ReadAt, p: Plan, info: StripInfo): { pieces: StripPiece[]; info: StripInfo } | null {
  // Ranges of the in-place part that `rewrite` may change: the ELF header and kept symbol tables.
  const ranges: [number, number][] = [[0, p.is64 ? 64 : 52]];
  p.sections.forEach((sec, i) => {
    const changes = sec.type === SHT_SYMTAB || sec.type === SHT_DYNSYM || sec.type === SHT_SYMTAB_SHNDX || sec.type === SHT_GROUP;
    if (changes && p.map[i]! >= 0 && sec.size > 0 && Number.isNaN(p.newOffset[i]!)) ranges.push([sec.offset, sec.offset + sec.size]);
  });
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  const windows: { start: number; buf: Uint8Array }[] = [];
  for (const [from, to] of merged) {
    const bytes = read(from, to - from);
    if (!bytes || bytes.length < to - from) return null;
    windows.push({ start: from, buf: new Uint8Array(bytes) });
  }
  const tail = { start: p.copyEnd, buf: new Uint8Array(p.info.strippedSize - p.copyEnd) };
  rewrite(read, p, new OutWindows([...windows, tail]));
  const pieces: StripPiece[] = [];
  let at = 0;
  for (const w of windows) {
    if (w.start > at) pieces.push({ from: at, to: w.start });
    pieces.push(w.buf);
    at = w.start + w.buf.length;
  }
  if (p.copyEnd > at) pieces.push({ from: at, to: p.copyEnd });
  pieces.push(tail.buf);
  return { pieces, info };
}

/** The stripped file's bytes that `rewrite` touches: disjoint windows at output offsets. */
class OutWindows {
  private readonly views: DataView[];
  constructor(private readonly windows: { start: number; buf: Uint8Array }[]) {
    this.views = windows.map((w) => new DataView(w.buf.buffer, w.buf.byteOffset, w.buf.byteLength));
  }
  private find(at: number, len: number): number {
    for (let k = 0; k < this.windows.length; k++) {
      const w = this.windows[k]!;
      if (at >= w.start && at + len <= w.start + w.buf.length) return k;
    }
    throw new Error(`strip: output bytes ${at}..${at + len} are not in a rewritten range`);
  }
  getUint16(at: number, le: boolean): number {
    const k = this.find(at, 2);
    return this.views[k]!.getUint16(at - this.windows[k]!.start, le);
  }
  getUint32(at: number, le: boolean): number {
    const k = this.find(at, 4);
    return this.views[k]!.getUint32(at - this.windows[k]!.start, le);
  }
  setUint16(at: number, v: number, le: boolean): void {
    const k = this.find(at, 2);
    this.views[k]!.setUint16(at - this.windows[k]!.start, v, le);
  }
  setUint32(at: number, v: number, le: boolean): void {
    const k = this.find(at, 4);
    this.views[k]!.setUint32(at - this.windows[k]!.start, v, le);
  }
  set(bytes: Uint8Array, at: number): void {
    if (bytes.length === 0) return;
    const k = this.find(at, bytes.length);
    this.windows[k]!.buf.set(bytes, at - this.windows[k]!.start);
  }
}

/** Everything of the stripped file that differs from a copy of the original's first `copyEnd` bytes. */
function rewrite(read: ReadAt, p: Plan, view: OutWindows): void {
  const { is64, le, sections, map } = p;
  const SHENT = is64 ? 64 : 40;
  const source = (at: number, len: number): Uint8Array => {
    if (len === 0) return new Uint8Array(0);
    const b = read(at, len);
    if (!b || b.length < len) throw new Error(`strip: ${len} bytes at ${at} could not be read`);
    return b;
  };
  const word = (at: number, v: number): void => {
    if (is64) {
      view.setUint32(at + (le ? 0 : 4), v % 0x100000000, le);
      view.setUint32(at + (le ? 4 : 0), Math.floor(v / 0x100000000), le);
    } else view.setUint32(at, v, le);
  };
  const remap = (i: number): number => (i > 0 && i < map.length ? Math.max(0, map[i]!) : i);

  // section contents that move
  for (let i = 0; i < sections.length; i++) {
    const at = p.newOffset[i]!;
    if (Number.isNaN(at)) continue;
    const s = sections[i]!;
    if (i === p.shstrndx && p.shstrtab) view.set(p.shstrtab, at);
    else view.set(source(s.offset, s.size), at);
  }
  const finalOffset = (i: number): number => (Number.isNaN(p.newOffset[i]!) ? sections[i]!.offset : p.newOffset[i]!);

  // symbols: section indices shift; one that pointed into a removed section becomes absolute
  for (let i = 0; i < sections.length; i++) {
    const s = sections[i]!;
    if (map[i]! < 0 || s.size === 0) continue;
    const base = finalOffset(i);
    if (s.type === SHT_SYMTAB || s.type === SHT_DYNSYM) {
      const ent = is64 ? 24 : 16;
      const at = is64 ? 6 : 14;
      for (let k = 0; k + ent <= s.size; k += ent) {
        const x = view.getUint16(base + k + at, le);
        if (x === 0 || x >= SHN_LORESERVE) continue;
        const y = x < map.length ? map[x]! : x;
        view.setUint16(base + k + at, y < 0 ? SHN_ABS : y, le);
      }
    } else if (s.type === SHT_SYMTAB_SHNDX) {
      for (let k = 0; k + 4 <= s.size; k += 4) {
        const x = view.getUint32(base + k, le);
        if (x === 0 || x >= map.length) continue;
        view.setUint32(base + k, Math.max(0, map[x]!), le);
      }
    } else if (s.type === SHT_GROUP) {
      for (let k = 4; k + 4 <= s.size; k += 4) view.setUint32(base + k, remap(view.getUint32(base + k, le)), le);
    }
  }

  // the section header table, renumbered
  let at = p.newShoff;
  for (let i = 0; i < sections.length; i++) {
    if (map[i]! < 0) continue;
    const s = sections[i]!;
    view.set(source(p.shoff + i * SHENT, SHENT), at);
    view.setUint32(at, p.newNameOff[i]!, le);
    if (i === 0) {
      if (p.extendedCount) word(at + (is64 ? 32 : 20), p.newCount);
      if (p.extendedStrndx) view.setUint32(at + (is64 ? 40 : 24), map[p.shstrndx]!, le);
    } else {
      if (!Number.isNaN(p.newOffset[i]!)) word(at + (is64 ? 24 : 16), p.newOffset[i]!);
      if (i === p.shstrndx && p.shstrtab) word(at + (is64 ? 32 : 20), p.shstrtab.length);
      view.setUint32(at + (is64 ? 40 : 24), remap(s.link), le);
      if (s.type === SHT_REL || s.type === SHT_RELA || s.flags & SHF_INFO_LINK) view.setUint32(at + (is64 ? 44 : 28), remap(s.info), le);
    }
    at += SHENT;
  }

  // ELF header
  word(is64 ? 40 : 32, p.newShoff);
  if (!p.extendedCount) view.setUint16(is64 ? 60 : 48, p.newCount, le);
  if (!p.extendedStrndx) view.setUint16(is64 ? 62 : 50, map[p.shstrndx]!, le);
}

/** A byte range of a file filled from chunks that arrive in order. */
class RangeCapture {
  readonly buf: Uint8Array;
  filled = 0;
  constructor(readonly start: number, length: number) {
    this.buf = new Uint8Array(Math.max(0, length));
  }
  get complete(): boolean {
    return this.filled >= this.buf.length;
  }
  /** Copies what `chunk` (at file offset `at`) holds of the next unfilled bytes. */
  fill(chunk: Uint8Array, at: number): void {
    const from = this.start + this.filled;
    const to = Math.min(this.start + this.buf.length, at + chunk.length);
    if (from < at || to <= from) return;
    this.buf.set(chunk.subarray(from - at, to - at), this.filled);
    this.filled = to - this.start;
  }
  read(off: number, len: number): Uint8Array | null {
    return off >= this.start && off + len <= this.start + this.filled ? this.buf.subarray(off - this.start, off - this.start + len) : null;
  }
}

/**
 * Collects, while a file streams past once, the bytes `debugSectionBytes` reads: the head (ELF
 * and program headers) and a window at the end from a little before the section header table to
 * the end of the file, which holds `.shstrtab` wherever linkers put it (binutils: just before the
 * table; whittle's demo generator: just after). Bounded: at most `headBytes + tailBytes` are held,
 * and only for an ELF file; a few KiB for a typical library. When something lies outside the window (the section names of an odd
 * layout), the answer says so in `problem` rather than guessing.
 */
export class StripStreamCapture {
  private readonly size: number;
  private head: RangeCapture;
  private tail: RangeCapture | null = null;
  private pos = 0;
  private headerSeen = false;
  private notElf = false;

  private readonly headBytes: number;
  private readonly tailBytes: number;
  private readonly namesWindow: number;

  /**
   * `headBytes`: most kept at the start (ELF and program headers); `tailBytes`: most kept at the
   * end; `namesWindow`: bytes kept before the section header table, where binutils puts
   * `.shstrtab` (a few hundred bytes long in practice).
   */
  constructor(size: number, opts: { headBytes?: number; tailBytes?: number; namesWindow?: number } = {}) {
    this.headBytes = opts.headBytes ?? 64 * 1024;
    this.tailBytes = opts.tailBytes ?? 4 * 1024 * 1024 + 64 * 1024;
    this.namesWindow = opts.namesWindow ?? 16 * 1024;
    this.size = Number.isFinite(size) && size > 0 ? Math.floor(size) : 0;
    this.head = new RangeCapture(0, Math.min(this.size, 64));
    if (this.size < 52) this.notElf = true;
  }

  /** True once every byte wanted has arrived (or the file is not ELF). */
  get done(): boolean {
    return this.notElf || (this.headerSeen && this.head.complete && (this.tail === null || this.tail.complete));
  }

  /** Bytes held. */
  get retainedBytes(): number {
    return this.head.buf.length + (this.tail?.buf.length ?? 0);
  }

  /** Feeds the next bytes of the file; 'done' when nothing more is wanted. */
  push(chunk: Uint8Array): 'more' | 'done' {
    if (this.done) return 'done';
    const at = this.pos;
    this.pos += chunk.length;
    this.head.fill(chunk, at);
    if (!this.headerSeen) {
      if (this.head.filled >= 4 && !hasElfMagic(this.head.buf)) {
        this.notElf = true;
        return 'done';
      }
      if (this.head.complete) this.onHeader(chunk, at);
    }
    this.tail?.fill(chunk, at);
    return this.done ? 'done' : 'more';
  }

  /** What `debugSectionBytes` says from the bytes collected; null when the file is not ELF. */
  result(): StripInfo | null {
    if (this.notElf || !this.headerSeen) return null;
    const read: ReadAt = (off, len) => this.head.read(off, len) ?? this.tail?.read(off, len) ?? null;
    const info = debugSectionBytes(read, this.size);
    if (info?.problem?.endsWith('could not be read')) info.problem = `${info.problem}: it lies outside the bytes kept while streaming`;
    return info;
  }

  private onHeader(chunk: Uint8Array, at: number): void {
    this.headerSeen = true;
    const h = parseElfHeader(this.head.buf);
    if (!h) {
      this.notElf = true;
      return;
    }
    const is64 = h.class === 64;
    const shoff = is64 ? new Fields(this.head.buf, h.endian === 'le').u64(40) : new Fields(this.head.buf, h.endian === 'le').u32(32);
    // the head grows to the end of the program header table (usually right behind the ELF header)
    const phEnd = Number.isFinite(h.phoff) ? h.phoff + h.phnum * h.phentsize : 0;
    const want = Math.min(this.size, phEnd > 64 && phEnd <= this.headBytes ? phEnd : 64);
    if (want > this.head.buf.length) {
      const grown = new RangeCapture(0, want);
      grown.fill(this.head.buf, 0);
      grown.fill(chunk, at);
      this.head = grown;
    }
    if (!Number.isFinite(shoff) || shoff === 0 || shoff >= this.size) return;
    const start = Math.max(0, Math.min(shoff - this.namesWindow, this.size - this.tailBytes));
    this.tail = new RangeCapture(start, Math.min(this.size - start, this.tailBytes));
    this.tail.fill(this.head.buf.subarray(0, this.head.filled), 0);
  }
}
