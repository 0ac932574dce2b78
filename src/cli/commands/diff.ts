/**
 * `whittle diff OLD NEW`: what changed between two images, per layer, owner, directory and file.
 * The old image is read first and reduced to a snapshot before the new one is read (memory).
 */
import type { Command } from 'commander';
import { compareImages } from '../../diff/index.js';
import { DEFAULT_DIFF_TOP } from '../../diff/compare.js';
import { DEFAULT_DIFF_DEPTH, snapshotOf } from '../../diff/snapshot.js';
import { UsageError, WhittleError, withContext } from '../../errors.js';
import { diffToJson } from '../../report/diff-json.js';
import { renderDiffMarkdown } from '../../report/diff-markdown.js';
import { renderDiffText } from '../../report/diff-text.js';
import { colorEnabled, style } from '../../report/format.js';
import { addImageOptions, loadAnalysis, parseIntOption, type ImageCliOptions } from '../common.js';
import { outputWidth, writeJson, writeStdout } from '../output.js';
import { toolVersion } from '../version.js';

interface DiffOptions extends ImageCliOptions {
  json?: boolean;
  markdown?: boolean;
  depth: number;
  top: number;
  files?: boolean;
}

export function registerDiff(program: Command): void {
  addImageOptions(
    program
      .command('diff')
      .description('what changed between two images: layers, owners, directories and files, largest change first')
      .argument('<old>', 'the image before (docker save archive, OCI layout, layer tar, or -)')
      .argument('<new>', 'the image after')
      .option('--json', 'print the diff as JSON (schema: docs/diff.schema.json)')
      .option('--markdown', 'print the diff as Markdown (job summary, merge-request comment)')
      .option('--depth <n>', 'directory depth to compare (1 = /usr)', parseIntOption('--depth'), DEFAULT_DIFF_DEPTH)
      .option('--top <n>', 'entries per list, largest change first (0 = all)', parseIntOption('--top'), DEFAULT_DIFF_TOP)
      .option('--no-files', 'skip the per-file comparison (faster, less memory on huge images)'),
  ).action(async (oldInput: string, newInput: string, o: DiffOptions) => {
    if (o.json && o.markdown) throw new UsageError('--json and --markdown both print to stdout; use one');
    if (oldInput === '-' && newInput === '-') throw new UsageError('only one of the two images can be read from stdin');
    if (o.depth < 1) throw new UsageError('--depth must be at least 1');
    const snap = { depth: o.depth, files: o.files !== false };
    const before = await read(oldInput, o, snap, 'old');
    const after = await read(newInput, o, snap, 'new');
    const d = compareImages(before, after, { top: o.top });
    if (o.json) writeJson(diffToJson(d, { toolVersion: toolVersion(), top: o.top }));
    else if (o.markdown) writeStdout(renderDiffMarkdown(d));
    else writeStdout(renderDiffText(d, { width: outputWidth(), style: style(colorEnabled(process.stdout)) }));
  });
}

async function read(input: string, o: DiffOptions, snap: { depth: number; files: boolean }, which: string) {
  try {
    // The analysis goes out of scope here; only the snapshot stays.
    return snapshotOf(await loadAnalysis(input, o), snap);
  } catch (err) {
    throw err instanceof WhittleError ? withContext(`${which} image ${input}`, err) : err;
  }
}
