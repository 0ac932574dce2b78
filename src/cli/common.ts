/** Options shared by the commands that read an image, and the one place they turn into a read. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { analyzeImage, type Analysis } from '../analysis/analyze.js';
import type { ReadImageOptions } from '../image/types.js';
import { parseSize } from '../util/size.js';
import { createProgress } from './progress.js';

export interface ImageCliOptions {
  image?: string;
  platform?: string;
  verify?: boolean;
  progress?: boolean;
  maxBytes?: number;
}

export function addImageOptions(cmd: Command): Command {
  return cmd
    .option('--image <ref>', 'image to use when the input holds several (name:tag, digest or id prefix)')
    .option('--platform <os/arch[/variant]>', "platform to use from a multi-platform index (default: this machine's)")
    .option('--verify', 'read every byte and check layer digests against the manifest and config (default for streamed input)')
    .addOption(new Option('--no-verify', 'do not check layer digests, even for streamed input'))
    .option('--max-bytes <size>', 'most bytes one compressed layer or archive may inflate to (default: 256 MiB + 1100 × its compressed size)', parseSizeOption('--max-bytes'))
    .addOption(new Option('--no-progress', 'no progress meter on stderr'));
}

export function readOptions(o: ImageCliOptions, extra: Partial<ReadImageOptions> = {}): ReadImageOptions {
  return {
    ...(o.image !== undefined ? { image: o.image } : {}),
    ...(o.platform !== undefined ? { platform: o.platform } : {}),
    ...(o.verify !== undefined ? { verify: o.verify } : {}),
    ...(o.maxBytes !== undefined ? { maxBytes: o.maxBytes } : {}),
    ...extra,
  };
}

/** Reads and analyses an image with a progress meter on stderr. */
export async function loadAnalysis(input: string, o: ImageCliOptions, extra: Partial<ReadImageOptions> = {}): Promise<Analysis> {
  const progress = createProgress(o.progress !== false, 'reading');
  try {
    return await analyzeImage(input, readOptions(o, { ...extra, onProgress: (r, t) => progress.update(r, t) }));
  } finally {
    progress.done();
  }
}

export function parseSizeOption(name: string) {
  return (value: string): number => {
    const n = parseSize(value);
    if (n === null || n <= 0) throw new InvalidArgumentError(`${name} must be a size such as 10GB, 500MiB or 123456, got "${value}"`);
    return n;
  };
}

export function parseIntOption(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer, got "${value}"`);
    return n;
  };
}
