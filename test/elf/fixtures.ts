/** Paths of the committed ELF fixtures (see fixtures/elf/README.md) and a few system files. */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const ELF_FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/elf/', import.meta.url));

export const ELF_FIXTURES = [
  'x86_64/libfoo.so.1',
  'x86_64/libodd.so',
  'x86_64/app-runpath',
  'x86_64/app-rpath',
  'x86_64/app-patchelf',
  'x86_64/static',
  'x86_64/static-pie',
  'x86_64/foo.o',
  'i386/libbar32.so.2',
  'mips/libmtop.so.1',
  'ppc64/app',
] as const;

export function fixturePath(name: string): string {
  return join(ELF_FIXTURES_DIR, name);
}

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(name)));
}

export function oracleText(name: string): string {
  return readFileSync(fixturePath(`${name}.readelf.txt`), 'utf8');
}

/** Regular files (symlinks followed) in `dir` whose names match, sorted, at most `limit`. */
export function systemFiles(dir: string, match: (name: string) => boolean, limit: number): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!match(name)) continue;
    const p = join(dir, name);
    try {
      if (statSync(p).isFile()) out.push(p);
    } catch {
      continue;
    }
    if (out.length >= limit) break;
  }
  return out;
}

/** The first existing path of several candidates, or null. */
export function firstExisting(...paths: string[]): string | null {
  for (const p of paths) if (existsSync(p)) return p;
  return null;
}
