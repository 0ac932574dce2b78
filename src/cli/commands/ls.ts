import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { listTree, renderListing, type ListOptions } from '../../report/listing.js';
import { colorEnabled, style } from '../../report/format.js';
import { addImageOptions, loadAnalysis, parseIntOption, type ImageCliOptions } from '../common.js';
import { outputWidth, writeJson, writeStdout } from '../output.js';

interface LsOptions extends ImageCliOptions {
  layer?: number;
  depth: number;
  sort: string;
  json?: boolean;
  limit?: number;
}

export function registerLs(program: Command): void {
  addImageOptions(
    program
      .command('ls')
      .description('list the merged tree (or one layer) with cumulative sizes')
      .argument('<image>', 'docker save archive, OCI layout (directory or tar), layer tar, or - for stdin')
      .argument('[path]', 'directory or file inside the image', '/')
      .option('--layer <n>', 'list what this layer holds instead of the merged tree', parseIntOption('--layer'))
      .option('--depth <n>', 'levels below PATH to list', parseIntOption('--depth'), 1)
      .option('--sort <key>', 'size or name', 'size')
      .option('--limit <n>', 'entries per directory (largest first)', parseIntOption('--limit'))
      .option('--json', 'print the listing as JSON'),
  ).action(async (input: string, path: string, o: LsOptions) => {
    if (o.sort !== 'size' && o.sort !== 'name') throw new UsageError(`--sort must be "size" or "name", got "${o.sort}"`);
    const a = await loadAnalysis(input, o);
    if (o.layer !== undefined && o.layer >= a.layers.length) {
      throw new UsageError(`--layer ${o.layer}: the image has ${a.layers.length} layer${a.layers.length === 1 ? '' : 's'} (0–${a.layers.length - 1})`);
    }
    const opts: ListOptions = { path, depth: o.depth, sort: o.sort, ...(o.layer !== undefined ? { layer: o.layer } : {}), ...(o.limit !== undefined ? { limit: o.limit } : {}) };
    const listing = listTree(a, opts);
    if (o.json) writeJson(listing);
    else writeStdout(renderListing(listing, { width: outputWidth(), style: style(colorEnabled(process.stdout)) }));
  });
}
