/**
 * `whittle check IMAGE`: CI budgets. Exit 0 when every budget holds, 1 when one is exceeded, 2 for
 * usage or config errors, 3 when the image is unreadable. Reports: text (default), --json,
 * --markdown on stdout; --json-file, --markdown-file, --junit files; GitHub annotations under
 * GitHub Actions.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { analyzeImage, type Analysis } from '../../analysis/analyze.js';
import { SCALAR_KINDS } from '../../budget/catalog.js';
import { evaluateBudgets, DEFAULT_TOP } from '../../budget/evaluate.js';
import type { BudgetSpec } from '../../budget/types.js';
import { flagsToSpecs, mergeSpecs, type BudgetFlags } from '../../config/flags.js';
import { loadConfig } from '../../config/load.js';
import { snapshotOf } from '../../diff/snapshot.js';
import type { ImageRef, ImageSnapshot } from '../../diff/types.js';
import { OutputError, UsageError, WhittleError, withContext } from '../../errors.js';
import { compileRules, includeScopeFor } from '../../prune/compile.js';
import { evaluatePlan } from '../../prune/evaluate.js';
import { loadRuleSet } from '../../prune/load-rules.js';
import type { Plan, RuleSet } from '../../prune/types.js';
import { checkToJson } from '../../report/check-json.js';
import { renderCheckMarkdown } from '../../report/check-markdown.js';
import { renderCheckText } from '../../report/check-text.js';
import { colorEnabled, style } from '../../report/format.js';
import { githubAnnotations, inGithubActions } from '../../report/github-annotations.js';
import { renderJunit } from '../../report/junit.js';
import { addImageOptions, loadAnalysis, parseIntOption, readOptions, type ImageCliOptions } from '../common.js';
import { createProgress } from '../progress.js';
import { outputWidth, writeStdout } from '../output.js';
import { toolVersion } from '../version.js';

interface CheckOptions extends ImageCliOptions {
  config?: string | false;
  maxSize?: string;
  maxMergedSize?: string;
  maxCompressedSize?: string;
  maxLayers?: string;
  maxLayerSize?: string;
  maxWasted?: string;
  maxWastedPercent?: string;
  minEfficiency?: string;
  diveWastedBytes?: string;
  diveUserWastedPercent?: string;
  budget: string[];
  baseline?: string;
  maxGrowth?: string;
  plan: string[];
  top: number;
  json?: boolean;
  markdown?: boolean;
  jsonFile?: string;
  markdownFile?: string;
  junit?: string;
  annotations?: boolean;
}

const collect = (v: string, prev: string[]) => [...prev, v];

const camel = (k: string) => k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export function registerCheck(program: Command): void {
  addImageOptions(
    program
      .command('check')
      .description('check size budgets for CI: exit 1 and say why when an image grows past a budget')
      .argument('<image>', 'docker save archive, OCI layout (directory or tar), layer tar, or - for stdin')
      .option('--config <file>', 'budgets file (default: whittle.config.json, package.json "whittle", or .dive-ci in the working directory)')
      .option('--no-config', 'ignore config files; use the flags only')
      .option('--max-size <size>', 'image size: Σ layer bytes, uncompressed (e.g. 1.2GB, 900MiB, bytes)')
      .option('--max-merged-size <size>', 'bytes of the merged tree a container sees')
      .option('--max-compressed-size <size>', 'Σ stored layer blob sizes')
      .option('--max-layers <n>', 'number of layers')
      .option('--max-layer-size <size>', 'size of any one layer')
      .option('--max-wasted <size>', 'bytes overwritten or deleted by later layers (a percent like 5% means --max-wasted-percent)')
      .option('--max-wasted-percent <ratio>', 'wasted share of the image size (0.05 or 5%)')
      .option('--min-efficiency <ratio>', "dive's efficiency score (0.9 or 90%)")
      .option('--dive-wasted-bytes <size>', "dive's wasted bytes (dive's highest-wasted-bytes)")
      .option('--dive-user-wasted-percent <ratio>', "dive's user wasted percent (0.1 or 10%)")
      .option('--budget <selector=size>', 'owner or path budget, repeatable: ups:geant4=500MB, rpm:*-devel=0, /products/root/**=400MB', collect, [])
      .option('--baseline <image>', 'compare with this image (e.g. the last release) for the growth budget')
      .option('--max-growth <size|percent>', 'with --baseline: allowed growth of the image size (50MB or 5%)')
      .option('--plan <ruleset=target>', 'the plan for a rule set must reach a target, repeatable: mu2e=3GB', collect, [])
      .option('--top <n>', 'largest contributors listed per budget', parseIntOption('--top'), DEFAULT_TOP)
      .option('--json', 'print the result as JSON (schema: docs/check.schema.json)')
      .option('--markdown', 'print the result as Markdown (GitHub job summary, merge-request comment)')
      .option('--json-file <file>', 'also write the JSON result to a file')
      .option('--markdown-file <file>', 'also write the Markdown result to a file (e.g. "$GITHUB_STEP_SUMMARY")')
      .option('--junit <file>', 'also write JUnit XML, one test case per budget')
      .option('--no-annotations', 'no GitHub Actions annotations (written when GITHUB_ACTIONS=true)'),
  ).action(async (input: string, o: CheckOptions) => {
    const started = performance.now();
    if (o.json && o.markdown) throw new UsageError('--json and --markdown both print to stdout; use one, and --json-file or --markdown-file for the other');
    if (o.baseline !== undefined && o.baseline === input && input === '-') throw new UsageError('the image and --baseline cannot both be read from stdin');

    const flags: BudgetFlags = { budget: o.budget, plan: o.plan, ...(o.maxGrowth !== undefined ? { maxGrowth: o.maxGrowth } : {}) };
    for (const kind of SCALAR_KINDS) {
      const v = (o as unknown as Record<string, string | undefined>)[camel(kind)];
      if (v !== undefined) flags[kind] = v;
    }
    const fromFlags = flagsToSpecs(flags);
    const config = loadConfig({ cwd: process.cwd(), ...(typeof o.config === 'string' ? { path: o.config } : {}), disabled: o.config === false });
    const specs = mergeSpecs(config.specs, fromFlags);
    if (specs.length === 0) {
      throw new UsageError('no budgets to check', {
        hint: 'give --max-size 1GB (or other budget flags), or write whittle.config.json: { "budgets": { "max-size": "1GB" } }; see docs/ci.md',
      });
    }
    if (o.baseline !== undefined && !specs.some((s) => s.kind === 'baseline')) {
      throw new UsageError('--baseline needs a growth limit', { hint: 'add --max-growth 50MB (or 5%), or "max-growth" under "budgets" in the config file' });
    }

    // The baseline first, reduced to a snapshot, so two large images are never in memory together.
    let baseline: ImageSnapshot | null = null;
    if (o.baseline !== undefined && specs.some((s) => s.kind === 'baseline')) {
      try {
        // --image names an image of the checked archive; the baseline archive is read with its defaults.
        const { image: _image, ...baseOpts } = o;
        const b = await loadAnalysis(o.baseline, baseOpts);
        baseline = snapshotOf(b, { files: false });
      } catch (err) {
        throw err instanceof WhittleError ? withContext(`baseline ${o.baseline}`, err) : err;
      }
    }
    // Rule sets before the image: a typo in a rule set name should not cost a read of a 15 GB image.
    const ruleSets = ruleSetsFor(specs);
    const a = ruleSets.size > 0 ? await analyzeWithElf(input, o, [...ruleSets.values()]) : await loadAnalysis(input, o);
    const plans = plansFor(specs, ruleSets, a);
    const result = evaluateBudgets(specs, { analysis: a, baseline, plans, top: o.top });
    result.warnings.unshift(...config.warnings);

    const image: ImageRef = { input: a.image.input, tags: a.image.tags, platform: a.image.platform, configDigest: a.image.configDigest };
    const base = baseline?.image ?? null;
    const cfg = config.file ? { file: config.file, kind: config.kind! } : null;
    const json = () => `${JSON.stringify(checkToJson(result, { image, baseline: base, config: cfg, toolVersion: toolVersion() }), null, 2)}\n`;
    const markdown = () => renderCheckMarkdown(result, { image, baseline: base, config: cfg });

    if (o.jsonFile) writeFile(o.jsonFile, json());
    if (o.markdownFile) writeFile(o.markdownFile, markdown());
    if (o.junit) writeFile(o.junit, renderJunit(result, { image, seconds: (performance.now() - started) / 1000, timestamp: new Date().toISOString() }));

    if (o.annotations !== false && inGithubActions()) {
      // Workflow commands are read from stdout; keep stdout clean when it carries a JSON or Markdown document.
      const lines = githubAnnotations(result);
      if (lines.length > 0) (o.json || o.markdown ? process.stderr : process.stdout).write(`${lines.join('\n')}\n`);
    }
    if (o.json) writeStdout(json());
    else if (o.markdown) writeStdout(markdown());
    else writeStdout(renderCheckText(result, { width: outputWidth(), style: style(colorEnabled(process.stdout)), image, baseline: base, config: cfg }));
    process.exitCode = result.passed ? 0 : 1;
  });
}

/** Rule sets of the `plan:<rule set>` budgets (names, files, or comma-separated compositions). */
function ruleSetsFor(specs: readonly BudgetSpec[]): Map<string, RuleSet> {
  const out = new Map<string, RuleSet>();
  for (const s of specs) {
    if (s.kind !== 'plan' || out.has(s.selector!)) continue;
    const parts = s.selector!.split(',').map((r) => r.trim()).filter((r) => r !== '');
    try {
      out.set(s.selector!, loadRuleSet(parts));
    } catch (err) {
      throw err instanceof WhittleError ? withContext(`budget ${s.name}`, err) : err;
    }
  }
  return out;
}

/** Plan budgets are judged on the same analysis `whittle plan` uses: with ELF headers read. */
async function analyzeWithElf(input: string, o: CheckOptions, ruleSets: readonly RuleSet[]): Promise<Analysis> {
  const progress = createProgress(o.progress !== false, 'reading');
  const includes = includeScopeFor(ruleSets.flatMap((s) => s.rules));
  try {
    return await analyzeImage(input, { ...readOptions(o, { onProgress: (r, t) => progress.update(r, t) }), elf: true, includes });
  } finally {
    progress.done();
  }
}

/** The plan of each rule set with its budget's limit as the target (no safety checks: only sizes count here). */
function plansFor(specs: readonly BudgetSpec[], ruleSets: ReadonlyMap<string, RuleSet>, a: Analysis): Map<string, Plan> {
  const plans = new Map<string, Plan>();
  for (const s of specs) {
    if (s.kind !== 'plan') continue;
    const compiled = compileRules(a, ruleSets.get(s.selector!)!);
    plans.set(s.selector!, evaluatePlan(a, compiled, { target: s.limit, findings: false }).plan);
  }
  return plans;
}

function writeFile(file: string, text: string): void {
  try {
    fs.writeFileSync(file, text);
  } catch (err) {
    throw new OutputError(`writing ${file}: ${(err as Error).message}`, { cause: err });
  }
}
