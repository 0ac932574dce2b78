/**
 * `whittle inspect IMAGE` (and `whittle IMAGE`): the terminal UI over an analysis. The UI starts
 * only when stdout is a terminal and --json is not given; otherwise this prints what `analyze`
 * prints, so `whittle IMAGE | less` and scripts get text or JSON, never escape codes.
 */
import fs from 'node:fs';
import tty from 'node:tty';
import type { Command } from 'commander';
import { analyzeImage } from '../../analysis/analyze.js';
import { EXIT, UsageError } from '../../errors.js';
import { includeScopeFor } from '../../prune/compile.js';
import { analysisToJson } from '../../report/analysis-json.js';
import { renderAnalysisText } from '../../report/analysis-text.js';
import { colorEnabled, style } from '../../report/format.js';
import { loadRules, noRulesNote, plannerProvider } from '../../ui/planner-provider.js';
import type { Loaded } from '../../ui/run-inspect.js';
import { parseSize } from '../../util/size.js';
import { addImageOptions, loadAnalysis, readOptions, type ImageCliOptions } from '../common.js';
import { outputWidth, writeJson, writeStdout } from '../output.js';
import { onInterrupt } from '../run.js';
import { toolVersion } from '../version.js';

interface InspectOptions extends ImageCliOptions {
  json?: boolean;
  rules?: string[];
  target?: string;
}

export function registerInspect(program: Command): void {
  addImageOptions(
    program
      .command('inspect', { isDefault: true })
      .description('browse an image in the terminal: layers, files, owners, and what prune rules would save (the default command)')
      .argument('[image]', 'docker save archive, OCI layout (directory or tar), layer tar, or - for stdin')
      .option('--rules <names...>', 'rule sets for the Prune pane (names from rules/, or .json files)')
      .option('--target <size>', 'size the Prune pane measures the plan against, e.g. 1GB or 800MiB')
      .option('--json', 'print the analysis as JSON instead (never starts the UI)'),
  ).action(async (input: string | undefined, o: InspectOptions, cmd: Command) => {
    if (input === undefined) return cmd.parent!.help({ error: true });
    let target: number | null = null;
    if (o.target !== undefined) {
      target = parseSize(o.target);
      if (target === null) throw new UsageError(`--target must be a size such as 1GB or 800MiB, got "${o.target}"`);
    }
    // Bad rule names fail here, before the image is read (also when no UI starts).
    const ruleSet = o.rules && o.rules.length > 0 ? await loadRules(o.rules) : null;
    const keys = o.json || !process.stdout.isTTY || process.env.TERM === 'dumb' ? null : keyboard(input);
    if (keys === null) return printSummary(input, o);

    const load = async (onProgress: (read: number, total: number | null) => void): Promise<Loaded> => {
      // ELF dynamic sections feed the plan's missing-library check.
      const analysis = await analyzeImage(input, { ...readOptions(o, { onProgress }), elf: ruleSet !== null, ...(ruleSet ? { includes: includeScopeFor(ruleSet.rules) } : {}) });
      if (ruleSet === null) return { analysis, plan: null, planNote: await noRulesNote() };
      return { analysis, plan: await plannerProvider(analysis, ruleSet, target) };
    };
    // Ink and React load only when a UI starts: the other commands (and pipes) never pay for them.
    const { runInspectUi } = await import('../../ui/run-inspect.js');
    const leaveAlt = onInterrupt(() => process.stdout.write('\u001b[?1049l\u001b[?25h'));
    let how: 'quit' | 'cancelled';
    try {
      how = await runInspectUi({
        label: input === '-' ? 'stdin' : input,
        load,
        color: colorEnabled(process.stdout),
        stdin: keys.stream,
        stdout: process.stdout,
        stderr: process.stderr,
      });
    } finally {
      leaveAlt();
      keys.close();
    }
    // Quitting while the image still streams in: stop like Ctrl-C would (cleanups, exit 130).
    if (how === 'cancelled') {
      process.stderr.write('whittle: cancelled\n');
      process.exit(EXIT.interrupted);
    }
  });
}

async function printSummary(input: string, o: InspectOptions): Promise<void> {
  const a = await loadAnalysis(input, o);
  if (o.json) writeJson(analysisToJson(a, { top: 10, toolVersion: toolVersion() }));
  else writeStdout(renderAnalysisText(a, { width: outputWidth(), top: 10, style: style(colorEnabled(process.stdout)) }));
}

/** Where keys come from: stdin when it is a terminal and not the image; else the controlling terminal. */
function keyboard(input: string): { stream: NodeJS.ReadStream; close(): void } | null {
  if (input !== '-' && process.stdin.isTTY) return { stream: process.stdin, close() {} };
  try {
    const fd = fs.openSync('/dev/tty', 'r');
    const stream = new tty.ReadStream(fd);
    return {
      stream: stream as unknown as NodeJS.ReadStream,
      close() {
        stream.destroy();
      },
    };
  } catch {
    process.stderr.write('whittle: no terminal to read keys from; printing the summary instead\n');
    return null;
  }
}
