/**
 * Reads the output of `readelf -hldW` (committed next to the fixtures, or produced live) into the
 * fields `readElfDynamic` reports, so tests compare against binutils rather than against
 * themselves.
 */
import { execFileSync } from 'node:child_process';
import type { ElfInfo } from '../../src/elf/read-dynamic.js';

export interface ReadelfFacts {
  class: 32 | 64;
  endian: 'le' | 'be';
  machine: number | null;
  type: ElfInfo['type'];
  interpreter: string | null;
  soname: string | null;
  needed: string[];
  rpath: string[];
  runpath: string[];
  hasDynamic: boolean;
  flags1: string[];
  /** File offset and size of PT_DYNAMIC, when present. */
  dynamic: { offset: number; size: number } | null;
}

const MACHINES: Record<string, number> = {
  'Advanced Micro Devices X86-64': 62,
  'Intel 80386': 3,
  'MIPS R3000': 8,
  'PowerPC64': 21,
  AArch64: 183,
};

function split(s: string | undefined): string[] {
  return s === undefined ? [] : s.split(':').filter((p) => p !== '');
}

export function parseReadelf(text: string): ReadelfFacts {
  const field = (name: string): string | undefined => new RegExp(`^\\s*${name}:\\s+(.*)$`, 'm').exec(text)?.[1].trim();
  const cls = field('Class');
  const data = field('Data') ?? '';
  const typ = field('Type') ?? '';
  const machine = field('Machine') ?? '';
  const all = (re: RegExp): string[] => [...text.matchAll(re)].map((m) => m[1]);
  const dyn = /^\s*DYNAMIC\s+0x([0-9a-f]+)\s+0x[0-9a-f]+\s+0x[0-9a-f]+\s+0x([0-9a-f]+)/m.exec(text);
  return {
    class: cls === 'ELF64' ? 64 : 32,
    endian: data.includes('little') ? 'le' : 'be',
    machine: MACHINES[machine] ?? null,
    type: typ.startsWith('DYN')
      ? 'dyn'
      : typ.startsWith('EXEC')
        ? 'exec'
        : typ.startsWith('REL')
          ? 'rel'
          : typ.startsWith('CORE')
            ? 'core'
            : 'other',
    interpreter: /\[Requesting program interpreter: (.*)\]$/m.exec(text)?.[1] ?? null,
    soname: all(/\(SONAME\)\s+Library soname: \[(.*)\]$/gm).at(-1) ?? null,
    needed: all(/\(NEEDED\)\s+Shared library: \[(.*)\]$/gm),
    rpath: split(all(/\(RPATH\)\s+Library rpath: \[(.*)\]$/gm).at(-1)),
    runpath: split(all(/\(RUNPATH\)\s+Library runpath: \[(.*)\]$/gm).at(-1)),
    hasDynamic: dyn !== null,
    flags1: (/\(FLAGS_1\)\s+Flags: (.*)$/m.exec(text)?.[1] ?? '').split(/\s+/).filter((f) => f !== ''),
    dynamic: dyn ? { offset: parseInt(dyn[1], 16), size: parseInt(dyn[2], 16) } : null,
  };
}

/** readelf on this machine, or null with the reason it cannot be used. */
export function liveReadelf(): { run: (file: string) => string } | { missing: string } {
  try {
    execFileSync('readelf', ['--version'], { stdio: 'pipe' });
  } catch {
    return { missing: 'readelf (binutils) is not installed' };
  }
  return {
    run: (file) =>
      execFileSync('readelf', ['-hldW', file], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 1 << 24 }),
  };
}

/** The fields of an ElfInfo that readelf also shows. */
export function comparable(info: ElfInfo): Omit<ReadelfFacts, 'hasDynamic' | 'flags1' | 'dynamic' | 'machine'> & { machine: number } {
  return {
    class: info.class,
    endian: info.endian,
    machine: info.machine,
    type: info.type,
    interpreter: info.interpreter,
    soname: info.soname,
    needed: info.needed,
    rpath: info.rpath,
    runpath: info.runpath,
  };
}

export function expectedFrom(f: ReadelfFacts, machine: number): ReturnType<typeof comparable> {
  return {
    class: f.class,
    endian: f.endian,
    machine: f.machine ?? machine,
    type: f.type,
    interpreter: f.interpreter,
    soname: f.soname,
    needed: f.needed,
    rpath: f.rpath,
    runpath: f.runpath,
  };
}
