/**
 * Parses apk-tools' installed database, `lib/apk/db/installed`: one record per package, records
 * separated by blank lines, each line `<letter>:<value>` (apk's "v2 index" format). File records
 * are `F:<dir>` (relative to the root) followed by `R:<name>` lines for the files in that dir.
 */
import type { Finding } from '../../findings.js';

export const APK_INSTALLED = 'lib/apk/db/installed';
/** apk-tools 3 on usr-merged systems may keep the database under `usr/`. */
export const APK_INSTALLED_USR = 'usr/lib/apk/db/installed';

export function isApkDbPath(relPath: string): boolean {
  return relPath === APK_INSTALLED || relPath === APK_INSTALLED_USR;
}

export interface ApkPackage {
  name: string;
  version: string;
  architecture: string | null;
  /** `S:` size of the .apk archive, bytes. */
  sizeBytes: number | null;
  /** `I:` installed size, bytes. */
  installedSizeBytes: number | null;
  /** `o:` origin (source) package. */
  origin: string | null;
  /** Absolute paths in database order: each `F:` directory, then its `R:` files. */
  files: string[];
  /** How many of `files` are directories (`F:` records). */
  dirCount: number;
  /** 1-based line where the record starts. */
  line: number;
}

export interface ApkInstalledResult {
  packages: ApkPackage[];
  findings: Finding[];
}

interface Draft {
  line: number;
  fieldCount: number;
  name: string | null;
  version: string | null;
  architecture: string | null;
  size: string | null;
  installedSize: string | null;
  origin: string | null;
  files: string[];
  dirCount: number;
  dir: string;
}

/** `source` names the file in findings. A bad line gives an error finding and is skipped. */
export function parseApkInstalled(text: string, source: string): ApkInstalledResult {
  const packages: ApkPackage[] = [];
  const findings: Finding[] = [];
  const report = (severity: Finding['severity'], code: string, message: string): void => {
    findings.push({ severity, code, message: `${source}: ${message}`, path: source });
  };
  let d: Draft | null = null;

  const finish = (): void => {
    if (d === null) return;
    const r = d;
    d = null;
    if (r.fieldCount === 0) return; // only bad lines, already reported
    if (r.name === null || r.name === '') {
      report('error', 'apk-record-missing-name', `record at line ${r.line} has no P: (package name)`);
      return;
    }
    if (r.version === null) {
      report('warning', 'apk-record-missing-version', `${r.name} (line ${r.line}) has no V: (version)`);
    }
    packages.push({
      name: r.name,
      version: r.version ?? '',
      architecture: r.architecture,
      sizeBytes: toBytes(r.size, 'S', r, report),
      installedSizeBytes: toBytes(r.installedSize, 'I', r, report),
      origin: r.origin,
      files: r.files,
      dirCount: r.dirCount,
      line: r.line,
    });
  };

  let pos = 0;
  let lineNo = 0;
  const len = text.length;
  while (pos < len) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = len;
    let lineEnd = end;
    if (lineEnd > pos && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    const start = pos;
    pos = end + 1;
    lineNo++;
    if (lineEnd === start) {
      finish();
      continue;
    }
    d ??= {
      line: lineNo,
      fieldCount: 0,
      name: null,
      version: null,
      architecture: null,
      size: null,
      installedSize: null,
      origin: null,
      files: [],
      dirCount: 0,
      dir: '',
    };
    if (lineEnd - start < 2 || text.charCodeAt(start + 1) !== 58 /* : */) {
      report('error', 'apk-installed-bad-line', `line ${lineNo} is not "<letter>:<value>": ${JSON.stringify(text.slice(start, Math.min(lineEnd, start + 60)))}`);
      continue;
    }
    d.fieldCount++;
    const value = text.slice(start + 2, lineEnd);
    switch (text[start]) {
      case 'P':
        d.name = value;
        break;
      case 'V':
        d.version = value;
        break;
      case 'A':
        d.architecture = value;
        break;
      case 'S':
        d.size = value;
        break;
      case 'I':
        d.installedSize = value;
        break;
      case 'o':
        d.origin = value;
        break;
      case 'F': {
        // Strip stray slashes so "F:usr/" and "F:/usr" both mean /usr.
        let a = 0;
        let b = value.length;
        while (a < b && value.charCodeAt(a) === 47) a++;
        while (b > a && value.charCodeAt(b - 1) === 47) b--;
        d.dir = value.slice(a, b);
        if (d.dir !== '') {
          d.files.push(`/${d.dir}`);
          d.dirCount++;
        }
        break;
      }
      case 'R':
        if (value === '' || value.includes('/')) {
          report('error', 'apk-installed-bad-line', `line ${lineNo}: R: ${JSON.stringify(value)} is not a file name`);
          break;
        }
        d.files.push(d.dir === '' ? `/${value}` : `/${d.dir}/${value}`);
        break;
      default:
        break; // checksums, acls, dependencies, ...: not needed
    }
  }
  finish();
  return { packages, findings };
}

function toBytes(
  raw: string | null,
  letter: string,
  r: Draft,
  report: (severity: Finding['severity'], code: string, message: string) => void,
): number | null {
  if (raw === null) return null;
  if (/^\d+$/.test(raw)) return Number(raw);
  report('warning', 'apk-size-invalid', `${r.name} (line ${r.line}): ${letter}:${JSON.stringify(raw)} is not a byte count`);
  return null;
}
