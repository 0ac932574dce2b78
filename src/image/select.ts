/**
 * Choosing one image out of several: by `--image` reference (name:tag, digest or id prefix) and by
 * `--platform os/arch[/variant]` (default: this machine's platform).
 */
import { UsageError } from '../errors.js';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

const NODE_ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  mips: 'mips',
  mipsel: 'mipsle',
  loong64: 'loong64',
};

export function machinePlatform(): Platform {
  return { os: 'linux', architecture: NODE_ARCH[process.arch] ?? process.arch };
}

export function parsePlatform(text: string): Platform {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    throw new UsageError(`invalid --platform "${text}": expected os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8`);
  }
  return { os: parts[0]!, architecture: parts[1]!, ...(parts[2] ? { variant: parts[2] } : {}) };
}

export function formatPlatform(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

/** arm64 images often omit the "v8" variant; treat them as equal. */
function variantMatches(want: string | undefined, have: string | undefined): boolean {
  if (!want) return true;
  const norm = (v: string | undefined, arch: string) => (v ?? (arch === 'arm64' ? 'v8' : ''));
  return norm(want, '') === norm(have, 'arm64') || want === have;
}

export function platformMatches(want: Platform, have: Platform): boolean {
  return want.os === have.os && want.architecture === have.architecture &&
    (want.architecture === 'arm64' ? variantMatches(want.variant ?? 'v8', have.variant ?? 'v8') : variantMatches(want.variant, have.variant));
}

/** Reference forms a user may type for a tag: "name:tag", "name" (= :latest), with or without docker.io/library/. */
export function referenceMatches(want: string, tag: string): boolean {
  const norm = (r: string) => {
    let s = r.trim();
    s = s.replace(/^docker\.io\//, '').replace(/^library\//, '');
    const lastSlash = s.lastIndexOf('/');
    const colon = s.lastIndexOf(':');
    if (!s.includes('@') && colon <= lastSlash) s = `${s}:latest`;
    return s;
  };
  return norm(want) === norm(tag);
}

/** Picks one candidate or throws a usage error that lists the choices. */
export function pickOne<T>(candidates: T[], describe: (c: T) => string, what: string, flag: string): T {
  if (candidates.length === 1) return candidates[0]!;
  const list = candidates.map(describe).join(', ');
  throw new UsageError(`the input holds ${candidates.length} ${what}; choose one with ${flag}: ${list}`);
}
