/**
 * Turns the tar entries of one layer into a LayerIndex over the shared PathTable: normalises names,
 * recognises whiteouts and opaque markers, and offers each entry to the content capture hook (the
 * few files owners and ELF checks need).
 */
import type { Finding } from '../findings.js';
import type { TarEntry } from '../tar/entry.js';
import type { EntryConsumer, TarHandler } from '../tar/stream-parser.js';
import { Kind, LayerIndex } from './layer-index.js';
import { normalizeEntryName } from './normalize.js';
import { NO_NODE, ROOT, type PathTable } from './path-table.js';

const WH = '.wh.';
const OPAQUE = '.wh..wh..opq';

/**
 * Asked for every entry with its normalised path, the layer index being built and the entry's
 * position in it; returns a consumer to receive the data, or null to skip it.
 */
export type CaptureHook = (path: string, entry: TarEntry, kind: Kind, layer: LayerIndex, entryIndex: number) => EntryConsumer | null;

export class LayerBuilder implements TarHandler {
  readonly index = new LayerIndex();
  readonly findings: Finding[] = [];
  private issues = 0;

  constructor(
    private readonly paths: PathTable,
    private readonly capture: CaptureHook | null = null,
  ) {}

  onEntry(e: TarEntry): EntryConsumer | null {
    const { path, issue } = normalizeEntryName(e.name);
    if (issue !== null || e.nameNotUtf8) this.report(e, issue ?? 'not-utf8', path);
    this.index.headerBytes += e.size;

    const slash = path.lastIndexOf('/');
    const base = slash < 0 ? path : path.slice(slash + 1);
    if (base.startsWith(WH)) {
      const dir = slash < 0 ? '' : path.slice(0, slash);
      if (base === OPAQUE) {
        this.index.add(this.paths.intern(dir), Kind.Opaque, 0, e.mode, -1, e.uid, e.gid);
      } else if (base.startsWith('.wh..wh.')) {
        // aufs bookkeeping (.wh..wh.plnk, .wh..wh.aufs): not part of the filesystem.
      } else {
        const target = dir === '' ? base.slice(WH.length) : `${dir}/${base.slice(WH.length)}`;
        this.index.add(this.paths.intern(target), Kind.Whiteout, 0, e.mode, -1, e.uid, e.gid);
      }
      return null;
    }

    if (path === '' && e.type !== 'dir') {
      this.report(e, 'root-not-dir', path);
      return null;
    }
    const node = path === '' ? ROOT : this.paths.intern(path);
    let kind: Kind;
    let link = -1;
    let size = 0;
    switch (e.type) {
      case 'file':
        kind = Kind.File;
        size = e.size;
        if (e.sparse) this.report(e, 'sparse', path);
        break;
      case 'dir':
        kind = Kind.Dir;
        break;
      case 'symlink':
        kind = Kind.Symlink;
        link = this.index.addSymlinkTarget(e.linkname);
        break;
      case 'hardlink': {
        kind = Kind.Hardlink;
        const t = normalizeEntryName(e.linkname);
        link = t.path === '' ? NO_NODE : this.paths.intern(t.path);
        break;
      }
      case 'char':
        kind = Kind.Char;
        break;
      case 'block':
        kind = Kind.Block;
        break;
      case 'fifo':
        kind = Kind.Fifo;
        break;
      default:
        kind = Kind.Other;
    }
    const i = this.index.add(node, kind, size, e.mode, link, e.uid, e.gid);
    return this.capture ? this.capture(path, e, kind, this.index, i) : null;
  }

  private report(e: TarEntry, issue: string, path: string): void {
    if (++this.issues > 50) return;
    const what: Record<string, string> = {
      absolute: 'absolute entry name',
      'escapes-root': 'entry name climbs above the root with ".."',
      'nul-byte': 'entry name holds a NUL byte',
      'not-utf8': 'entry name is not valid UTF-8 (read as latin1)',
      'root-not-dir': 'entry replaces the root directory with a non-directory (ignored)',
      sparse: 'sparse file: counted by its stored bytes',
    };
    this.findings.push({
      severity: 'warning',
      code: `path-${issue}`,
      message: `${what[issue] ?? issue} ${JSON.stringify(e.name.slice(0, 200))}${path !== e.name ? ` read as "/${path}"` : ''}`,
      path,
    });
  }

  /** Number of hostile-name findings, including those over the listing cap. */
  get issueCount(): number {
    return this.issues;
  }
}
