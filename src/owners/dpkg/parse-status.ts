/**
 * Parses dpkg's package database: `var/lib/dpkg/status`, or one distroless `status.d/<name>` file
 * (same stanza format, usually without a `Status:` field, which means installed).
 */
import type { Finding } from '../../findings.js';
import { scanDeb822 } from './deb822.js';

export interface DpkgPackage {
  name: string;
  /** Empty when the stanza has no `Version` (never in a real database). */
  version: string;
  /** Empty when the stanza has no `Architecture`. */
  architecture: string;
  /** `same`, `foreign`, `allowed`, `no`, or null when absent. */
  multiArch: string | null;
  /** The raw `Status` value (`install ok installed`), or null when absent (distroless). */
  status: string | null;
  /** Installed-Size in bytes: KiB × 1024, or the exact figure when the value has a unit (`4KB`). */
  installedSizeBytes: number | null;
  /** Installed-Size in KiB as declared; for a value with a unit, its bytes / 1024 rounded up. */
  installedSizeKiB: number | null;
  /** Source package name, without the `(version)` that follows it when it differs. */
  source: string | null;
  sourceVersion: string | null;
  /** Absolute paths of the conffiles, obsolete ones included (they are still on disk). */
  conffiles: string[];
  /** Base name of the package's info files: `libc6:amd64` for `Multi-Arch: same`, else `libc6`. */
  infoKey: string;
  /** 1-based line of the stanza in its file. */
  line: number;
}

export interface DpkgStatusResult {
  packages: DpkgPackage[];
  findings: Finding[];
}

const WANTED: ReadonlySet<string> = new Set([
  'package',
  'status',
  'version',
  'architecture',
  'multi-arch',
  'installed-size',
  'source',
  'conffiles',
]);

/** Package states whose files are on disk (dpkg's own `files list` exists for them). */
const STATES_WITH_FILES: ReadonlySet<string> = new Set([
  'installed',
  'unpacked',
  'half-configured',
  'triggers-awaited',
  'triggers-pending',
  'half-installed',
]);
/** States that leave no package files (config-files: only conffiles remain, owned by nobody). */
const STATES_WITHOUT_FILES: ReadonlySet<string> = new Set(['not-installed', 'config-files']);

/**
 * `source` names the file in findings (image-relative, e.g. `var/lib/dpkg/status`). Keeps packages
 * whose files are on disk: `installed`, and with an info finding `unpacked`, `half-configured`,
 * `triggers-*`; `half-installed` with a warning. Drops `config-files` and `not-installed`. A corrupt
 * stanza gives an error finding and is skipped; the rest of the file is still read.
 */
export function parseDpkgStatus(text: string, source: string): DpkgStatusResult {
  const packages: DpkgPackage[] = [];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const warn = (severity: Finding['severity'], code: string, message: string): void => {
    findings.push({ severity, code, message: `${source}: ${message}`, path: source });
  };

  scanDeb822(text, WANTED, (stanza) => {
    const f = stanza.fields;
    const at = `stanza at line ${stanza.line}`;
    if (stanza.error !== null) {
      const pkgName = f.get('package');
      warn(
        'error',
        'dpkg-status-corrupt',
        `${at}${pkgName ? ` (${pkgName})` : ''} is corrupt: line ${stanza.error.line}: ${stanza.error.reason}`,
      );
      return;
    }
    const name = f.get('package');
    if (name === undefined) {
      warn('error', 'dpkg-status-corrupt', `${at} has no Package field`);
      return;
    }
    // An empty `Package:` stanza carries nothing (syft's fixtures have them); skip it quietly.
    if (name === '') return;

    const status = f.get('status') ?? null;
    const notes = status === null ? [] : statusNotes(status, name, at);
    if (notes === null) return;

    const version = f.get('version') ?? '';
    const architecture = f.get('architecture') ?? '';
    const multiArch = f.get('multi-arch') ?? null;
    const infoKey = multiArch === 'same' && architecture !== '' ? `${name}:${architecture}` : name;
    if (seen.has(infoKey)) {
      warn('warning', 'dpkg-status-duplicate', `${at}: package ${infoKey} appears twice; keeping the first`);
      return;
    }
    seen.add(infoKey);
    for (const n of notes) warn(n.severity, n.code, n.message);
    const size = parseInstalledSize(f.get('installed-size'));
    if (size === 'invalid') {
      warn('warning', 'dpkg-installed-size-invalid', `${name}: Installed-Size ${JSON.stringify(f.get('installed-size'))} is not a size`);
    }
    const [src, srcVersion] = splitSource(f.get('source'));
    packages.push({
      name,
      version,
      architecture,
      multiArch,
      status,
      installedSizeBytes: size === null || size === 'invalid' ? null : size.bytes,
      installedSizeKiB: size === null || size === 'invalid' ? null : size.kib,
      source: src,
      sourceVersion: srcVersion,
      conffiles: parseConffiles(f.get('conffiles')),
      infoKey,
      line: stanza.line,
    });
  });
  return { packages, findings };
}

type Note = Pick<Finding, 'severity' | 'code' | 'message'>;

/** Null when the state leaves no files (drop the package), else the findings to report for it. */
function statusNotes(status: string, name: string, at: string): Note[] | null {
  // "<want> <eflag> <state>", e.g. "install ok installed", "deinstall ok config-files".
  const parts = status.split(/\s+/);
  const state = parts.length === 3 ? parts[2] : undefined;
  if (state === undefined || (!STATES_WITH_FILES.has(state) && !STATES_WITHOUT_FILES.has(state))) {
    return [{
      severity: 'warning',
      code: 'dpkg-status-invalid',
      message: `${at} (${name}): unknown Status ${JSON.stringify(status)}; assuming its files are installed`,
    }];
  }
  if (STATES_WITHOUT_FILES.has(state)) return null;
  const notes: Note[] = [];
  if (state === 'half-installed') {
    notes.push({
      severity: 'warning',
      code: 'dpkg-package-half-installed',
      message: `${name} is half-installed: an install or removal was interrupted`,
    });
  } else if (state !== 'installed') {
    notes.push({ severity: 'info', code: 'dpkg-package-not-configured', message: `${name} is ${state}, not fully configured` });
  }
  if (parts[1] === 'reinstreq') {
    notes.push({
      severity: 'warning',
      code: 'dpkg-package-reinstreq',
      message: `${name} is marked reinst-required: it is broken and needs reinstalling`,
    });
  }
  return notes;
}

export interface InstalledSize {
  bytes: number;
  kib: number;
}

const UNIT_BYTES: Readonly<Record<string, number>> = {
  b: 1,
  k: 1000,
  kb: 1000,
  ki: 1024,
  kib: 1024,
  m: 1000 ** 2,
  mb: 1000 ** 2,
  mi: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1000 ** 3,
  gb: 1000 ** 3,
  gi: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1000 ** 4,
  tb: 1000 ** 4,
  ti: 1024 ** 4,
  tib: 1024 ** 4,
};

/**
 * `Installed-Size` is an integer in KiB (Debian policy 5.6.20). Some generated databases write a
 * unit instead (`4KB`); like syft (go-humanize), units follow SI (`KB` = 1000) unless binary
 * (`KiB`). Returns null when absent, `'invalid'` when unreadable.
 */
export function parseInstalledSize(raw: string | undefined): InstalledSize | null | 'invalid' {
  if (raw === undefined) return null;
  const v = raw.trim();
  if (v === '') return null;
  if (/^\d+$/.test(v)) {
    const kib = Number(v);
    return { bytes: kib * 1024, kib };
  }
  const m = /^(\d+(?:\.\d+)?) ?([A-Za-z]{1,3})$/.exec(v);
  if (m === null) return 'invalid';
  const mult = UNIT_BYTES[m[2].toLowerCase()];
  if (mult === undefined) return 'invalid';
  const bytes = Math.round(Number(m[1]) * mult);
  return { bytes, kib: Math.ceil(bytes / 1024) };
}

function splitSource(raw: string | undefined): [string | null, string | null] {
  if (raw === undefined || raw === '') return [null, null];
  const paren = raw.indexOf(' (');
  if (paren === -1 || !raw.endsWith(')')) return [raw, null];
  return [raw.slice(0, paren), raw.slice(paren + 2, -1)];
}

/** Conffiles lines: ` <path> <md5>[ obsolete| remove-on-upgrade]`; the path may hold spaces. */
function parseConffiles(raw: string | undefined): string[] {
  if (raw === undefined || raw === '') return [];
  const out: string[] = [];
  for (const line of raw.split('\n')) {
    if (line === '') continue;
    let end = line.length;
    let sp = line.lastIndexOf(' ', end - 1);
    if (sp > 0) {
      const flag = line.slice(sp + 1);
      if (flag === 'obsolete' || flag === 'remove-on-upgrade') {
        end = sp;
        sp = line.lastIndexOf(' ', end - 1);
      }
    }
    const path = sp > 0 ? line.slice(0, sp) : line.slice(0, end);
    if (path.startsWith('/')) out.push(path);
  }
  return out;
}
