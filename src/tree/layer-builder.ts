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

export interface ClassifiedEntry {
  /** Normalised path; for whiteouts the deleted path, for opaque markers the directory. */
  path: string;
  /** What the entry becomes in a LayerIndex; null when it is not indexed (aufs bookkeeping, a non-directory root). */
  kind: Kind | null;
  /** Something about the name worth reporting. */
  issue: string | null;
}

/**
 * How an entry enters a LayerIndex. Shared by the builder and by anything that walks a layer again
 * and must count entries the same way (the prune writer).
 */
export function classifyEntry(e: TarEntry): ClassifiedEntry {
  const { path, issue: pathIssue } = normalizeEntryName(e.name);
  let issue: string | null = pathIssue ?? (e.nameNotUtf8 ? 'not-utf8' : null);
  const slash = path.lastIndexOf('/');
  const base = slash < 0 ? path : path.slice(slash + 1);
  if (base.startsWith(WH)) {
    const dir = slash < 0 ? '' : path.slice(0, slash);
    if (base === OPAQUE) return { path: dir, kind: Kind.Opaque, issue };
    // aufs bookkeeping (.wh..wh.plnk, .wh..wh.aufs): not part of the filesystem.
    if (base.startsWith('.wh..wh.')) return { path, kind: null, issue };
    const target = dir === '' ? base.slice(WH.length) : `${dir}/${base.slice(WH.length)}`;
    return { path: target, kind: Kind.Whiteout, issue };
  }
  if (path === '' && e.type !== 'dir') return { path, kind: null, issue: 'root-not-dir' };
  let kind: Kind;
  switch (e.type) {
    case 'file':
      kind = Kind.File;
      if (e.sparse) issue ??= 'sparse';
      break;
    case 'dir':
      kind = Kind.Dir;
      break;
    case 'symlink':
      kind = Kind.Symlink;
      break;
    case 'hardlink':
      kind = Kind.Hardlink;
      break;
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
  return { path, kind, issue };
}

export class LayerBuilder implements TarHandler {
  readonly index = new LayerIndex();
  readonly findings: Finding[] = [];
  private issues = 0;

  constructor(
    private readonly paths: PathTable,
    private readonly capture: CaptureHook | null = null,
  ) {}

  onEntry(e: TarEntry): EntryConsumer | null {
    const c = classifyEntry(e);
    if (c.issue !== null) this.report(e, c.issue, c.path);
    this.index.headerBytes += e.size;
    if (c.kind === null) return null;
    if (c.kind === Kind.Whiteout || c.kind === Kind.Opaque) {
      this.index.add(this.paths.intern(c.path), c.kind, 0, e.mode, -1, e.uid, e.gid);
      return null;
    }
    const node = c.path === '' ? ROOT : this.paths.intern(c.path);
    let link = -1;
    if (c.kind === Kind.Symlink) link = this.index.addSymlinkTarget(e.linkname);
    else if (c.kind === Kind.Hardlink) {
      const t = normalizeEntryName(e.linkname);
      link = t.path === '' ? NO_NODE : this.paths.intern(t.path);
    }
    const i = this.index.add(node, c.kind, c.kind === Kind.File ? e.size : 0, e.mode, link, e.uid, e.gid);
    return this.capture ? this.capture(c.path, e, c.kind, this.index, i) : null;
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
