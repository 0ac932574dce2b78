import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { analyzeImage } from '../../analysis/analyze.js';
import { EXIT, InputError, UsageError } from '../../errors.js';
import { createDecompressor } from '../../image/decompress.js';
import { sniff, SNIFF_BYTES } from '../../image/sniff.js';
import { compileRules, includeScopeFor } from '../../prune/compile.js';
import { evaluatePlan } from '../../prune/evaluate.js';
import { loadRuleSet } from '../../prune/load-rules.js';
import { OUTPUT_FORMATS, writeImage, type OutputFormat } from '../../prune/write-image.js';
import { bytes, colorEnabled, count, signedBytes, style } from '../../report/format.js';
import { parseSize } from '../../util/size.js';
import { addImageOptions, parseIntOption, readOptions, type ImageCliOptions } from '../common.js';
import { createProgress } from '../progress.js';
import { writeJson, writeStdout } from '../output.js';
import { onInterrupt } from '../run.js';

interface PruneOptions extends ImageCliOptions {
  rules: string[];
  output: string;
  format: string;
  target?: string;
  squash?: boolean;
  keepLayers?: number;
  gzip?: boolean;
  tag?: string;
  strict?: boolean;
  force?: boolean;
  json?: boolean;
}

export function registerPrune(program: Command): void {
  addImageOptions(
    program
      .command('prune')
      .description('write a slimmed image: the plan of the given rule sets applied, in a format real tools load')
      .argument('<image>', 'docker save archive, OCI layout (directory or tar), or - for stdin (spooled to a temporary file)')
      .requiredOption('--rules <name|file...>', 'rule sets to apply, in order (built-in names or .json files)')
      .requiredOption('-o, --output <path>', 'where to write the slimmed image')
      .option('--format <format>', `output format: ${OUTPUT_FORMATS.join(', ')}`, 'docker-archive')
      .option('--target <size>', 'size target for the report (e.g. 1GB)')
      .option('--squash', 'write one layer holding the whole slimmed tree (the default)')
      .option('--keep-layers <n>', 'keep the first N layers byte-identical (shared base) and squash the rest', parseIntOption('--keep-layers'))
      .option('--gzip', 'gzip the new layer')
      .option('--tag <name:tag>', "tag of the written image (default: the input's)")
      .option('--strict', 'refuse to write when the plan has safety findings (exit 1)')
      .option('--force', 'replace an existing output directory (oci-dir)')
      .option('--json', 'print what was written as JSON'),
  ).action(async (input: string, o: PruneOptions) => {
    if (!OUTPUT_FORMATS.includes(o.format as OutputFormat)) throw new UsageError(`--format must be one of ${OUTPUT_FORMATS.join(', ')}, got "${o.format}"`);
    if (o.squash && o.keepLayers !== undefined) throw new UsageError('--squash and --keep-layers exclude each other');
    const target = o.target === undefined ? null : parseSize(o.target);
    if (o.target !== undefined && target === null) throw new UsageError(`--target "${o.target}" is not a size (e.g. 1GB, 500MiB, 123456)`);
    const ruleSet = loadRuleSet(o.rules);
    const s = style(colorEnabled(process.stderr));
    const say = (msg: string) => process.stderr.write(`${msg}\n`);

    // The writer reads the input a second time: it must be a file it can seek in.
    const temps: string[] = [];
    const dropTemps = () => temps.forEach((t) => fs.rmSync(t, { force: true }));
    const unregister = onInterrupt(dropTemps);
    try {
      const source = await seekableSource(input, temps, say, o.maxBytes);
      const t0 = performance.now();
      const progress = createProgress(o.progress !== false, 'reading');
      const a = await analyzeImage(source, { ...readOptions(o, { onProgress: (r, t) => progress.update(r, t) }), elf: true, includes: includeScopeFor(ruleSet.rules) });
      progress.done();
      const t1 = performance.now();
      const compiled = compileRules(a, ruleSet);
      const { plan, dropped, stripped } = evaluatePlan(a, compiled, { target });
      const t2 = performance.now();
      if (plan.findings.length > 0) {
        say(s.yellow(`${plan.findings.length} safety finding${plan.findings.length === 1 ? '' : 's'} (whittle plan … shows them all):`));
        for (const f of plan.findings.slice(0, 5)) say(`  ${f.kind}: ${f.path}: ${f.message}`);
        if (o.strict) {
          say('not writing: --strict and the plan has safety findings');
          process.exitCode = EXIT.failed;
          return;
        }
      }
      const keepLayers = o.keepLayers ?? 0;
      const createdBy = `whittle prune --rules ${o.rules.join(' ')}${keepLayers ? ` --keep-layers ${keepLayers}` : ''}`;
      let cleanupTemp: (() => void) | null = null;
      const unregisterOut = onInterrupt(() => cleanupTemp?.());
      const written = await writeImage(a, o.output, {
        format: o.format as OutputFormat,
        keepLayers,
        gzip: o.gzip === true,
        tag: o.tag ?? null,
        dropped,
        stripped,
        createdBy,
        force: o.force === true,
        onTemp: (c) => (cleanupTemp = c),
      }).finally(unregisterOut);
      const t3 = performance.now();
      if (o.json) {
        writeJson({
          schemaVersion: 1,
          output: written.output,
          format: written.format,
          inputBytes: plan.inputBytes,
          projectedBytes: plan.projectedBytes,
          savedBytes: plan.savedBytes,
          projectedImageBytes: plan.projectedImageBytes,
          writtenLayerBytes: written.newLayerTarBytes,
          outputBytes: written.outputBytes,
          target: plan.target,
          gap: plan.gap,
          diffIds: written.diffIds,
          layers: written.layers,
          config: written.config,
          manifest: written.manifest,
          entries: written.stats.entries,
          files: written.stats.files,
          whiteouts: written.stats.whiteouts,
          repointedLinks: written.stats.repointedLinks,
          findings: plan.findings,
          timings: { analyzeSeconds: (t1 - t0) / 1000, planSeconds: (t2 - t1) / 1000, writeSeconds: (t3 - t2) / 1000 },
        });
      } else {
        const lines = [
          `wrote ${written.output} (${written.format}, ${bytes(written.outputBytes)})`,
          `  merged tree ${bytes(plan.inputBytes)} → ${bytes(plan.projectedBytes)} (saved ${bytes(plan.savedBytes)}, ${count(written.stats.files)} files kept)`,
          `  new layer ${bytes(written.newLayerTarBytes)}${keepLayers ? ` on top of ${keepLayers} kept layer${keepLayers === 1 ? '' : 's'}` : ` (plan estimated ${bytes(plan.projectedImageBytes)})`}`,
        ];
        if (plan.target !== null && plan.gap !== null) {
          lines.push(`  target ${bytes(plan.target)}: ${plan.gap <= 0 ? s.green('reached') : s.red(`missed by ${signedBytes(plan.gap)}`)}`);
        }
        writeStdout(lines.join('\n'));
      }
    } finally {
      dropTemps();
      unregister();
    }
  });
}

/**
 * A path the writer can read twice by seeking: the input itself when it is an uncompressed file or
 * a directory; otherwise stdin or a compressed archive is spooled (decompressed) to a temp file.
 */
async function seekableSource(input: string, temps: string[], say: (m: string) => void, maxBytes: number | undefined): Promise<string> {
  if (input !== '-') {
    const st = fs.statSync(input, { throwIfNoEntry: false });
    if (st?.isDirectory()) return input;
    if (st?.isFile()) {
      const head = Buffer.alloc(SNIFF_BYTES);
      const fd = fs.openSync(input, 'r');
      fs.readSync(fd, head, 0, SNIFF_BYTES, 0);
      fs.closeSync(fd);
      const kind = sniff(head);
      if (kind !== 'gzip' && kind !== 'zstd') return input;
      return spool(fs.createReadStream(input), kind, temps, say, `decompressing ${input}`, input, maxBytes, st.size);
    }
    return input; // missing: let the reader report it
  }
  if (process.stdin.isTTY) throw new UsageError('stdin is a terminal, not an image', { hint: 'pipe one in: docker save IMAGE | whittle prune - …' });
  return spool(process.stdin, null, temps, say, 'spooling stdin', 'stdin', maxBytes, null);
}

async function spool(
  src: NodeJS.ReadableStream,
  kind: 'gzip' | 'zstd' | null,
  temps: string[],
  say: (m: string) => void,
  what: string,
  label: string,
  maxBytes: number | undefined,
  size: number | null,
): Promise<string> {
  const tmp = path.join(os.tmpdir(), `whittle-input-${process.pid}-${temps.length}.tar`);
  temps.push(tmp);
  say(`${what} to ${tmp} (the writer reads the image twice)`);
  if (kind !== null) {
    // The reader's decompressor: the same inflate bound, zstd window limit and one-line errors.
    const out = fs.createWriteStream(tmp);
    const written = (chunk: Uint8Array) => new Promise<void>((res, rej) => out.write(chunk, (err) => (err ? rej(err) : res())));
    const d = createDecompressor(kind, written, { maxBytes, compressedSize: size });
    try {
      for await (const c of src as AsyncIterable<Buffer>) await d.write(c);
      await d.end();
    } catch (err) {
      out.destroy();
      const e = err as NodeJS.ErrnoException;
      if (e.syscall) throw err; // writing the spool file (ENOSPC): an output error
      // The decompressor words its own errors ("zstd data is corrupt: …"); a limit says what it is.
      throw new InputError(`${label}: ${e.message}`);
    }
    await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
  } else await pipeline(src, fs.createWriteStream(tmp));
  // Spooled stdin may itself be a compressed archive.
  if (kind === null) {
    const head = Buffer.alloc(SNIFF_BYTES);
    const fd = fs.openSync(tmp, 'r');
    fs.readSync(fd, head, 0, SNIFF_BYTES, 0);
    fs.closeSync(fd);
    const k = sniff(head);
    if (k === 'gzip' || k === 'zstd') return spool(fs.createReadStream(tmp), k, temps, say, `decompressing ${tmp}`, label, maxBytes, fs.statSync(tmp).size);
  }
  return tmp;
}
