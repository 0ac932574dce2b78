import { InvalidArgumentError, type Command } from 'commander';
import { analyzeImage } from '../../analysis/analyze.js';
import { EXIT } from '../../errors.js';
import { compileRules, includeScopeFor } from '../../prune/compile.js';
import { evaluatePlan } from '../../prune/evaluate.js';
import { loadRuleSet } from '../../prune/load-rules.js';
import { planToJson } from '../../prune/plan-json.js';
import { renderPlanText } from '../../prune/plan-text.js';
import { colorEnabled, style } from '../../report/format.js';
import { parseSize } from '../../util/size.js';
import { addImageOptions, parseIntOption, readOptions, type ImageCliOptions } from '../common.js';
import { outputWidth, writeJson, writeStdout } from '../output.js';
import { createProgress } from '../progress.js';
import { toolVersion } from '../version.js';

interface PlanOptions extends ImageCliOptions {
  rules: string[];
  target?: number;
  json?: boolean;
  strict?: boolean;
  allRules?: boolean;
  maxFindings?: number;
  timings?: boolean;
}

function sizeOption(value: string): number {
  const n = parseSize(value);
  if (n === null) throw new InvalidArgumentError(`"${value}" is not a size (e.g. 1GB, 500MiB, 123456)`);
  return n;
}

export function registerPlan(program: Command): void {
  addImageOptions(
    program
      .command('plan')
      .description('show what prune rules would remove, without writing anything: bytes per rule, projected size, the gap to a target, safety findings')
      .argument('<image>', 'docker save archive, OCI layout (directory or tar), layer tar, or - for stdin')
      .requiredOption('-r, --rules <name|file...>', 'rule sets, composed in order: built-in names (generic, ups, el, debian, mu2e) or .json rule files; also comma-separated')
      .option('--target <size>', 'size the merged tree should get down to, e.g. 1GB or 800MiB', sizeOption)
      .option('--json', 'print the plan as JSON (schema: docs/plan.schema.json)')
      .option('--strict', 'exit 1 when the plan has safety findings')
      .option('--all-rules', 'list the rules that remove nothing too')
      .option('--max-findings <n>', 'list at most n findings of each kind (all are counted; default 200)', parseIntOption('--max-findings'))
      .option('--timings', 'print how long compiling and evaluating the rules took, on stderr'),
  ).action(async (input: string, o: PlanOptions) => {
    // Rules first: a typo in a rule file should not cost a read of a 15 GB image.
    const ruleSet = loadRuleSet(o.rules.flatMap((r) => r.split(',')).map((r) => r.trim()).filter((r) => r !== ''));
    const progress = createProgress(o.progress !== false, 'reading');
    let a;
    try {
      a = await analyzeImage(input, { ...readOptions(o, { onProgress: (r, t) => progress.update(r, t) }), elf: true, includes: includeScopeFor(ruleSet.rules) });
    } finally {
      progress.done();
    }
    const t0 = performance.now();
    const compiled = compileRules(a, ruleSet);
    const t1 = performance.now();
    const { plan } = evaluatePlan(a, compiled, {
      target: o.target ?? null,
      ...(o.maxFindings !== undefined ? { maxFindingsPerKind: o.maxFindings } : {}),
    });
    const t2 = performance.now();
    if (o.timings) {
      // what the UI pays per rule toggle: evaluation without the safety checks
      const quick: number[] = [];
      for (let i = 0; i < 9; i++) {
        const s = performance.now();
        evaluatePlan(a, compiled, { target: o.target ?? null, findings: false, enabled: compiled.rules.map((_, r) => r !== i) });
        quick.push(performance.now() - s);
      }
      quick.sort((x, y) => x - y);
      process.stderr.write(
        `compile ${(t1 - t0).toFixed(0)} ms, evaluate with checks ${(t2 - t1).toFixed(0)} ms, without checks ${quick[4]!.toFixed(0)} ms (median of 9 rule toggles; ${a.paths.size} nodes, ${compiled.rules.length} rules)\n`,
      );
    }
    if (o.json) writeJson(planToJson(a, plan, { toolVersion: toolVersion(), sources: ruleSet.sources }));
    else writeStdout(renderPlanText(a, plan, { width: outputWidth(), style: style(colorEnabled(process.stdout)), allRules: o.allRules === true }));
    if (o.strict && plan.findings.length > 0) process.exitCode = EXIT.failed;
  });
}
