/**
 * Reads the dynamic section (DT_NEEDED, RUNPATH, SONAME) of ELF files while their layer streams by,
 * without extracting anything, and afterwards hands out the info of the copy the merged tree shows.
 * Only plausible candidates are probed: executables and `*.so*` names; the probe gives up after the
 * first bytes of anything that is not ELF.
 *
 * It also records each ELF file's debug information (`ElfInfo.strip`: debug bytes and the size
 * stripped), from the section headers at the end of the file: on a seekable input by reading them
 * directly, on a stream by keeping a bounded window around them as the file goes by
 * (`StripStreamCapture`), so the entry is handed over to its end.
 */
import { ElfStreamProbe, StripStreamCapture, debugSectionBytes, elfFindings, readElfDynamic, type ElfInfo } from '../elf/index.js';
import type { Finding } from '../findings.js';
import type { EntryConsumer } from '../tar/stream-parser.js';
import { Kind, type LayerIndex } from '../tree/layer-index.js';
import type { CaptureHook } from '../tree/layer-builder.js';
import type { MergedTree } from '../tree/merged-tree.js';

const MIN_ELF = 52; // an ELF32 header

export function isElfCandidate(path: string, mode: number, size: number): boolean {
  if (size < MIN_ELF) return false;
  if (mode & 0o111) return true;
  const base = path.slice(path.lastIndexOf('/') + 1);
  const i = base.indexOf('.so');
  return i > 0 && (i + 3 === base.length || base.charCodeAt(i + 3) === 0x2e /* . */);
}

export class ElfStore {
  private readonly byLayer = new Map<LayerIndex, Map<number, ElfInfo>>();

  hook(): CaptureHook {
    return (path, entry, kind, layer, entryIndex) => {
      if (kind !== Kind.File || !isElfCandidate(path, entry.mode, entry.size)) return null;
      return new ProbeConsumer(entry.size, (info) => {
        let m = this.byLayer.get(layer);
        if (!m) this.byLayer.set(layer, (m = new Map()));
        m.set(entryIndex, info);
      });
    };
  }

  /** ELF info of every ELF file visible in the merged tree, by node. */
  visible(tree: MergedTree): { byNode: Map<number, ElfInfo>; findings: Finding[] } {
    const byNode = new Map<number, ElfInfo>();
    const findings: Finding[] = [];
    for (const [layer, infos] of this.byLayer) {
      const L = tree.layers.indexOf(layer);
      if (L < 0) continue;
      for (const [entryIndex, info] of infos) {
        const node = layer.node[entryIndex]!;
        if (tree.layerOf(node) !== L || tree.cols.entry[node] !== entryIndex) continue;
        byNode.set(node, info);
        if (findings.length < 50) findings.push(...elfFindings(info, tree.pathOf(node), L));
      }
    }
    // Hard-link names share their target's info.
    for (let node = 1; node < tree.nodeCount; node++) {
      if (!tree.isFile(node) || byNode.has(node) || !tree.isHardlink(node)) continue;
      const ino = tree.inodeOf(node);
      for (const [other, info] of byNode) {
        if (tree.inodeOf(other) === ino) {
          byNode.set(node, info);
          break;
        }
      }
    }
    return { byNode, findings };
  }
}

class ProbeConsumer implements EntryConsumer {
  private readonly probe: ElfStreamProbe;
  private readonly strip: StripStreamCapture;
  private finished = false;
  constructor(size: number, private readonly done: (info: ElfInfo) => void) {
    this.probe = new ElfStreamProbe(size);
    this.strip = new StripStreamCapture(size);
  }
  write(chunk: Uint8Array): boolean | void {
    const a = this.probe.done || this.probe.push(chunk) === 'done';
    const b = this.strip.done || this.strip.push(chunk) === 'done';
    if (a && b) {
      this.finish();
      return false;
    }
  }
  end(): void {
    this.finish();
  }
  /** Seekable input: read just the headers, the dynamic section and the section headers. */
  readAt(read: (offset: number, length: number) => Uint8Array | null, size: number): void {
    this.finished = true;
    const info = readElfDynamic(read, size);
    if (!info) return;
    const strip = debugSectionBytes(read, size);
    if (strip) info.strip = strip;
    this.done(info);
  }
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    const info = this.probe.result();
    if (!info) return;
    const strip = this.strip.result();
    if (strip) info.strip = strip;
    this.done(info);
  }
}
