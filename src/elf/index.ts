/**
 * ELF dynamic-section reading and library resolution for the prune planner: which libraries a
 * kept ELF file needs (`readElfDynamic`, or `ElfStreamProbe` while streaming a tar entry) and
 * whether each would still resolve in the slimmed image (`resolveNeeded`); and how much debug
 * information a file carries and what it weighs stripped (`debugSectionBytes`, `stripDebug`).
 */
import type { Finding } from '../findings.js';
import type { ElfInfo } from './parse.js';

export { readElfDynamic, readAtBytes, ELF_LIMITS, type ElfInfo, type ReadAt } from './read-dynamic.js';
export { ElfStreamProbe, DEFAULT_MAX_CAPTURE_BYTES } from './stream-probe.js';
export { CANDIDATE_LIMITS } from './candidate-strings.js';
export {
  debugSectionBytes,
  stripDebug,
  stripDebugReport,
  stripDebugPieces,
  isDebugSectionName,
  StripStreamCapture,
  STRIP_LIMITS,
  type StripInfo,
  type StripPiece,
} from './strip.js';
export {
  resolveNeeded,
  defaultLibraryDirs,
  parseLdSoConf,
  type ResolveOptions,
  type NeededResolution,
  type LdSoConf,
} from './resolve.js';

/**
 * One warning finding when `info` is incomplete (nothing otherwise), so that a library whose
 * DT_NEEDED list could not be read whole is never silently treated as needing nothing.
 * `path` is the in-image path without a leading slash.
 */
export function elfFindings(info: ElfInfo, path: string, layer?: number): Finding[] {
  if (!info.incomplete) return [];
  const f: Finding = {
    severity: 'warning',
    code: 'elf-dynamic-incomplete',
    message: `reading the dynamic section of ${path}: ${info.problems.join('; ')}`,
    path,
  };
  if (layer !== undefined) f.layer = layer;
  return [f];
}
