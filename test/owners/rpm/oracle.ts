/**
 * Test helpers: fixture bytes and the oracle's answers (`rpm -qa --queryformat` output recorded by
 * fixtures/owners/rpm/make-fixtures.sh) as records comparable with the parser's.
 */
import { readFileSync } from 'node:fs';
import type { RpmFile, RpmPackage } from '../../../src/owners/rpm/header.js';

const DIR = new URL('../../../fixtures/owners/rpm/', import.meta.url);

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, DIR)));
}

export function fixtureText(name: string): string {
  return readFileSync(new URL(name, DIR), 'utf8');
}

export interface OraclePackage {
  name: string;
  epoch: number | null;
  version: string;
  release: string;
  arch: string;
  size: number;
  fileCount: number;
}

const none = (s: string) => (s === '(none)' ? null : s);

/** Rows of `%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{LONGSIZE}\t%{FILENAMES:arraysize}`. */
export function oraclePackages(file: string): OraclePackage[] {
  return lines(fixtureText(file)).map((line) => {
    const [name, epoch, version, release, arch, size, count] = line.split('\t');
    return {
      name,
      epoch: none(epoch) === null ? null : Number(epoch),
      version,
      release,
      arch,
      size: Number(size),
      fileCount: none(count) === null ? 0 : Number(count),
    };
  });
}

/** Rows of `[%{=NAME}\t%{FILENAMES}\t%{LONGFILESIZES}\t%{FILEMODES:octal}\t%{FILEFLAGS}\t%{FILELINKTOS}]`, by package. */
export function oracleFiles(file: string): Map<string, RpmFile[]> {
  const byName = new Map<string, RpmFile[]>();
  for (const line of lines(fixtureText(file))) {
    const [name, path, size, mode, flags, linkTo] = line.split('\t');
    const f: RpmFile = { path, size: Number(size), mode: parseInt(mode, 8), flags: Number(flags) };
    if (linkTo) f.linkTo = linkTo;
    const list = byName.get(name) ?? [];
    list.push(f);
    byName.set(name, list);
  }
  return byName;
}

/** A parsed package in the oracle's row shape. */
export function asOracleRow(p: RpmPackage): OraclePackage {
  return { name: p.name, epoch: p.epoch, version: p.version, release: p.release, arch: p.arch, size: p.size, fileCount: p.files.length };
}

/** rpm lists a header's files sorted by path; so does this, for comparison. */
export function byPath(files: RpmFile[]): RpmFile[] {
  return [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}
