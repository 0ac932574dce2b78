/**
 * Where would ld.so find each DT_NEEDED library of an ELF file inside an image? Pure: the image is
 * seen only through `exists` (and `realpath`), so the same code answers for the original image
 * and for the slimmed one a prune plan would produce.
 *
 * glibc order (ld.so(8)), for a name without `/`:
 *   1. DT_RPATH of the object, only when it has no DT_RUNPATH
 *   2. LD_LIBRARY_PATH (`ldLibraryPath`, e.g. what a UPS table `pathPrepend`s)
 *   3. DT_RUNPATH of the object
 *   4. /etc/ld.so.cache: built from ld.so.conf, so pass the image's ld.so.conf directories
 *      (`parseLdSoConf`) at the front of `defaultDirs`
 *   5. the default directories (skipped for DF_1_NODEFLIB objects)
 * With `loader: 'musl'`: LD_LIBRARY_PATH, then DT_RUNPATH or else DT_RPATH, then the defaults.
 *
 * A name containing `/` is a path: absolute, or relative to `cwd` (default `/`), after token
 * expansion. `$ORIGIN`/`${ORIGIN}` is the directory of `realpath(elfPath)` when `realpath` is
 * given (glibc: the executable's /proc/self/exe; for a library, the directory it was opened
 * from, which is the same unless a directory on the way is a symlink), else of `elfPath`.
 * `$LIB` and `$PLATFORM` are expanded per machine (see `dstLib`, `dstPlatform`). Paths are
 * normalised lexically (`a/../b` → `b`). Empty search-path entries (glibc: the process's working
 * directory) are ignored.
 *
 * Not modelled (each makes a warning possible where ld.so would succeed, never the reverse,
 * except the last): the DT_RPATH of the objects that load this one (glibc inherits the
 * executable's RPATH), glibc-hwcaps and legacy hwcap subdirectories, LD_PRELOAD, and ld.so's
 * skipping of a found file of the wrong class or machine (it keeps searching; we stop at the
 * first existing path).
 */
import { posix } from 'node:path';
import type { Finding } from '../findings.js';
import type { ElfInfo } from './parse.js';

export interface ResolveOptions {
  /** Absolute in-image path of the ELF file. */
  elfPath: string;
  info: ElfInfo;
  /** Whether an absolute in-image path exists (following symlinks) after the prune. */
  exists: (absPath: string) => boolean;
  /** The symlink-free form of an absolute in-image path, or null if it does not resolve. */
  realpath?: (absPath: string) => string | null;
  /** Directories of LD_LIBRARY_PATH, in order. */
  ldLibraryPath?: string[];
  /** Default directories; defaults to `defaultLibraryDirs(info)`. */
  defaultDirs?: string[];
  /** Expansions of `$LIB` (each gives a directory to try); defaults per class/machine. */
  dstLib?: string[];
  /** Expansion of `$PLATFORM` (AT_PLATFORM); defaults per machine. */
  dstPlatform?: string;
  /** Working directory for relative paths (ld.so uses the process's); default `/`. */
  cwd?: string;
  /** Search order: glibc (default) or musl. */
  loader?: 'glibc' | 'musl';
}

export interface NeededResolution {
  name: string;
  /** First existing candidate, or null when the library would not be found. */
  resolvedTo: string | null;
  /** Candidate paths tried, in order, up to and including the one found. */
  searched: string[];
}

/** Debian multiarch triplets by ELF machine, class and endianness. */
function triplets(info: Pick<ElfInfo, 'machine' | 'class' | 'endian'>): string[] {
  const { machine, class: cls, endian } = info;
  switch (machine) {
    case 62:
      return cls === 64 ? ['x86_64-linux-gnu'] : ['x86_64-linux-gnux32'];
    case 3:
      return ['i386-linux-gnu'];
    case 183:
      return ['aarch64-linux-gnu'];
    case 40:
      return ['arm-linux-gnueabihf', 'arm-linux-gnueabi'];
    case 21:
      return endian === 'le' ? ['powerpc64le-linux-gnu'] : ['powerpc64-linux-gnu'];
    case 20:
      return ['powerpc-linux-gnu'];
    case 22:
      return cls === 64 ? ['s390x-linux-gnu'] : ['s390-linux-gnu'];
    case 8:
      if (cls === 64) return endian === 'le' ? ['mips64el-linux-gnuabi64'] : ['mips64-linux-gnuabi64'];
      return endian === 'le' ? ['mipsel-linux-gnu'] : ['mips-linux-gnu'];
    case 243:
      return cls === 64 ? ['riscv64-linux-gnu'] : [];
    case 258:
      return ['loongarch64-linux-gnu'];
    default:
      return [];
  }
}

/**
 * Default library directories for an ELF of this machine/class: Debian multiarch first, then the
 * Red Hat style lib64 (64-bit) or lib32 (32-bit biarch), then /lib and /usr/lib. A union over
 * distributions, so a lookup that fails here fails everywhere.
 */
export function defaultLibraryDirs(info: Pick<ElfInfo, 'machine' | 'class' | 'endian'>): string[] {
  const dirs: string[] = [];
  for (const t of triplets(info)) dirs.push(`/lib/${t}`, `/usr/lib/${t}`);
  if (info.machine === 62 && info.class === 32) dirs.push('/libx32', '/usr/libx32');
  else if (info.class === 64) dirs.push('/lib64', '/usr/lib64');
  else dirs.push('/lib32', '/usr/lib32');
  dirs.push('/lib', '/usr/lib');
  return dirs;
}

function defaultDstLib(info: ElfInfo): string[] {
  const libs = triplets(info).map((t) => `lib/${t}`);
  libs.push(info.class === 64 ? 'lib64' : 'lib');
  return libs;
}

function defaultDstPlatform(info: ElfInfo): string | null {
  switch (info.machine) {
    case 62:
      return 'x86_64';
    case 3:
      return 'i686';
    case 183:
      return 'aarch64';
    case 21:
      return info.endian === 'le' ? 'power8' : 'power7';
    case 22:
      return 'z13';
    default:
      return null;
  }
}

// `$NAME` must not run on into an identifier character (`$ORIGINAL` is not a token).
const DST = /\$(?:\{(ORIGIN|LIB|PLATFORM)\}|(ORIGIN|LIB|PLATFORM)(?![A-Za-z0-9_]))/g;

/** Expands dynamic string tokens; one input can give several outputs (several `$LIB`). */
function expand(s: string, origin: string, libs: string[], platform: string | null): string[] {
  if (!s.includes('$')) return [s];
  let outs = [''];
  let last = 0;
  for (const m of s.matchAll(DST)) {
    const lit = s.slice(last, m.index);
    const token = m[1] ?? m[2];
    const values = token === 'ORIGIN' ? [origin] : token === 'LIB' ? libs : platform === null ? [m[0]] : [platform];
    const next: string[] = [];
    for (const o of outs) for (const v of values) next.push(o + lit + v);
    outs = next;
    last = m.index! + m[0].length;
  }
  return outs.map((o) => o + s.slice(last));
}

function absolute(p: string, cwd: string): string {
  const n = posix.normalize(p.startsWith('/') ? p : posix.join(cwd, p));
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

export function resolveNeeded(opts: ResolveOptions): NeededResolution[] {
  const { info, exists } = opts;
  const cwd = opts.cwd ?? '/';
  const real = opts.realpath?.(opts.elfPath) ?? opts.elfPath;
  const origin = posix.dirname(absolute(real, cwd));
  const libs = opts.dstLib ?? defaultDstLib(info);
  const platform = opts.dstPlatform ?? defaultDstPlatform(info);
  const ex = (s: string): string[] => expand(s, origin, libs, platform);

  const own = info.runpath.length > 0 ? [] : info.rpath;
  const ldlp = opts.ldLibraryPath ?? [];
  const defaults = info.nodeflib ? [] : (opts.defaultDirs ?? defaultLibraryDirs(info));
  const lists =
    opts.loader === 'musl'
      ? [ldlp, info.runpath.length > 0 ? info.runpath : info.rpath, defaults]
      : [own, ldlp, info.runpath, defaults];
  const dirs: string[] = [];
  const seen = new Set<string>();
  for (const list of lists) {
    for (const d of list) {
      if (d === '') continue;
      for (const e of ex(d)) {
        const a = absolute(e, cwd);
        if (!seen.has(a)) {
          seen.add(a);
          dirs.push(a);
        }
      }
    }
  }

  return info.needed.map((name) => {
    const searched: string[] = [];
    if (name.includes('/')) {
      for (const e of ex(name)) {
        const p = absolute(e, cwd);
        searched.push(p);
        if (exists(p)) return { name, resolvedTo: p, searched };
      }
      return { name, resolvedTo: null, searched };
    }
    for (const d of dirs) {
      const p = d === '/' ? `/${name}` : `${d}/${name}`;
      searched.push(p);
      if (exists(p)) return { name, resolvedTo: p, searched };
    }
    return { name, resolvedTo: null, searched };
  });
}

export interface LdSoConf {
  /** Library directories in file order. */
  dirs: string[];
  /** `include` glob patterns in file order, made absolute against the file's directory. */
  includes: string[];
  findings: Finding[];
}

/**
 * Parses an ld.so.conf file as ldconfig does: `#` starts a comment, one directory per line
 * (a legacy `=TYPE` suffix is dropped, trailing slashes trimmed), `include PATTERN…` lines name
 * globs the caller expands against the image and parses in turn (relative patterns are relative
 * to `fileName`'s directory), `hwcap` lines are ignored (they only tune the cache). A relative
 * directory is taken relative to `/` with a finding (ldconfig warns and uses its cwd).
 */
export function parseLdSoConf(text: string, fileName = '/etc/ld.so.conf'): LdSoConf {
  const out: LdSoConf = { dirs: [], includes: [], findings: [] };
  const base = posix.dirname(fileName);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const hash = lines[i].indexOf('#');
    const line = (hash >= 0 ? lines[i].slice(0, hash) : lines[i]).trim();
    if (line === '') continue;
    const word = /^(\S+)[ \t]+(.*)$/.exec(line);
    if (word && word[1] === 'include') {
      for (const pat of word[2].split(/[ \t]+/)) {
        if (pat !== '') out.includes.push(pat.startsWith('/') ? pat : posix.join(base, pat));
      }
      continue;
    }
    if (word && word[1].toLowerCase() === 'hwcap') continue;
    let dir = line;
    const eq = dir.indexOf('=');
    if (eq >= 0) dir = dir.slice(0, eq).trimEnd();
    while (dir.length > 1 && dir.endsWith('/')) dir = dir.slice(0, -1);
    if (dir === '' || dir === '/') continue;
    if (!dir.startsWith('/')) {
      // ldconfig stats it relative to its working directory (/ in package scripts) and warns.
      out.findings.push({
        severity: 'warning',
        code: 'ld-so-conf-relative-dir',
        message: `${fileName}:${i + 1}: library directory "${dir}" is relative, taken relative to /`,
      });
      dir = posix.normalize(`/${dir}`);
    }
    if (!out.dirs.includes(dir)) out.dirs.push(dir);
  }
  return out;
}
