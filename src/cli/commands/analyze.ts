import type { Command } from 'commander';
import { analysisToJson } from '../../report/analysis-json.js';
import { renderAnalysisText } from '../../report/analysis-text.js';
import { colorEnabled, style } from '../../report/format.js';
import { addImageOptions, loadAnalysis, parseIntOption, type ImageCliOptions } from '../common.js';
import { outputWidth, writeJson, writeStdout } from '../output.js';
import { toolVersion } from '../version.js';

interface AnalyzeOptions extends ImageCliOptions {
  json?: boolean;
  top: number;
}

export function registerAnalyze(program: Command): void {
  addImageOptions(
    program
      .command('analyze')
      .description('summarise an image: layers with their commands, totals, wasted bytes, largest directories and files')
      .argument('<image>', 'docker save archive, OCI layout (directory or tar), layer tar, or - for stdin')
      .option('--json', 'print the analysis as JSON (schema: docs/analysis.schema.json)')
      .option('--top <n>', 'how many largest files and directories to list', parseIntOption('--top'), 10),
  ).action(async (input: string, o: AnalyzeOptions) => {
    const a = await loadAnalysis(input, o);
    if (o.json) writeJson(analysisToJson(a, { top: o.top, toolVersion: toolVersion() }));
    else writeStdout(renderAnalysisText(a, { width: outputWidth(), top: o.top, style: style(colorEnabled(process.stdout)) }));
  });
}
