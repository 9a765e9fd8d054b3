import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import type { Command } from 'commander';
import type { TraceSink } from '../../../sim/index.ts';
import { DEFAULT_SEED } from '../../../sim/random.ts';
import type { Evaluation } from '../../evaluate/evaluate.ts';
import type { Plan } from '../../plan/format/types.ts';
import type { Scenario } from '../../scenario/types.ts';
import { setExitStatus } from '../exit-status.ts';
import { explainLimit, type RunLimitOptions, runLimits } from '../options/run-limits.ts';
import { exitStatusHelp, parseFailOn, verdictExitCode } from '../options/run-verdict.ts';
import { builtIn, packageRoot } from '../package-paths.ts';
import { stepProgress } from '../progress.ts';
import { parseSeed } from '../seed-option.ts';
import { manySeedsExitCode, runManySeeds } from './compare.ts';

interface EvaluateOptions extends RunLimitOptions {
  seed: string;
  failOn: string;
  json?: boolean;
  trace?: string;
  runs?: string;
  threads?: string;
  markdown?: boolean;
  report?: string;
}

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('run a plan on a scenario and report the timeline, metrics and findings')
    .argument('[scenario]', 'scenario YAML', builtIn.scenario)
    .argument('[plan]', 'plan YAML', builtIn.plan)
    .option('--seed <n>', 'root seed of the random streams', String(DEFAULT_SEED))
    .option('--json', 'print { scenario, plan, seed, metrics, findingGroups, findings, timeline } as JSON')
    .option('--trace <file>', 'write the full trace as JSON lines (read it back with `report`)')
    .option('--runs <n>', 'run N seeds from --seed on worker threads and report them as `compare` does')
    .option('--threads <n>', 'with --runs: worker threads (default: one per core)')
    .option('--markdown', 'print the report as Markdown, for a ticket')
    .option('--report <file>', 'write a self-contained HTML page (timeline lanes, findings, metrics)')
    .option(
      '--fail-on <severity>',
      'exit 2 on a finding of this severity or above: critical, warning, info, none',
      'critical',
    )
    .option('--max-events <n>', 'stop with an error after this many simulated events (default 50000000)')
    .option(
      '--max-simulated-time <duration>',
      'stop with an error if the plan runs longer than this in simulated time, offline steps not counted (default 2160h, 90 days)',
    )
    .addHelpText('after', exitStatusHelp)
    .action(async (scenarioPath: string, planPath: string, options: EvaluateOptions) => {
      if (options.runs !== undefined) {
        if (options.trace !== undefined)
          throw new Error('--trace: one run only; drop --runs to write a trace');
        const failOnMany = parseFailOn(options.failOn);
        const comparison = await runManySeeds(scenarioPath, [planPath], {
          ...options,
          runs: options.runs,
          label: 'evaluate',
        });
        setExitStatus(manySeedsExitCode(comparison, failOnMany));
        return;
      }
      // Loaded here, not at start-up: `--help` and the other commands need none of it (issue 10).
      const { runPlan } = await import('../../plan/runner/runner.ts');
      const { evaluate } = await import('../../evaluate/evaluate.ts');
      const { JsonLinesSink } = await import('../../../sim/trace.ts');
      const seed = parseSeed(options.seed);
      const failOn = parseFailOn(options.failOn);
      const limits = runLimits(options);
      const { scenario, plan } = await inputs(scenarioPath, planPath);
      const traceFile = options.trace === undefined ? null : traceWriter(options.trace);
      const sinks: TraceSink[] = traceFile === null ? [] : [new JsonLinesSink(traceFile.line)];
      const progress = stepProgress(plan.steps.length, plan.name);
      let evaluation: Evaluation;
      try {
        // What `simulate` does with the inputs resolved (src/simulate/simulate.ts).
        const run = runPlan(scenario, plan, {
          seed,
          sinks,
          ...limits,
          onStep: (step) => progress.step(step.id),
        });
        evaluation = evaluate(run.records);
      } catch (error) {
        throw explainLimit(error);
      } finally {
        progress.stop();
        traceFile?.close();
      }
      if (options.report !== undefined) {
        const { evaluationHtml } = await import('../../report/html.ts');
        writeFileSync(options.report, await evaluationHtml(evaluation));
      }
      const { evaluationJsonText } = await import('../../report/json.ts');
      const { evaluationMarkdown } = await import('../../report/markdown.ts');
      const { terminalReport } = await import('../../report/terminal.ts');
      process.stdout.write(
        options.json
          ? evaluationJsonText(evaluation)
          : options.markdown
            ? evaluationMarkdown(evaluation)
            : terminalReport(evaluation),
      );
      setExitStatus(verdictExitCode(evaluation, failOn));
    });
}

/**
 * The scenario and plan, checked against each other (`resolveInputs` in src/simulate/simulate.ts). The
 * built CLI has the shipped files loaded at build time (shipped-inputs.ts): when both are unchanged
 * shipped files, neither the YAML parser nor the schemas (yaml, zod) are loaded.
 */
async function inputs(scenarioPath: string, planPath: string): Promise<{ scenario: Scenario; plan: Plan }> {
  const { shippedDirectory, shippedInput } = await import('../shipped-inputs.ts');
  const shipped = shippedDirectory(packageRoot);
  const scenario = shippedInput(scenarioPath, 'scenario', shipped) as Scenario | null;
  const plan = shippedInput(planPath, 'plan', shipped) as Plan | null;
  if (scenario === null || plan === null) {
    const { resolveInputs } = await import('../../simulate/simulate.ts');
    return resolveInputs(scenario ?? scenarioPath, plan ?? planPath);
  }
  const { checkPlanAgainstScenario } = await import('../../plan/format/check-against-scenario.ts');
  checkPlanAgainstScenario(plan, scenario);
  return { scenario, plan };
}

/**
 * `--trace FILE`, opened before the run (a bad path fails at once) and written as records come, in
 * 64 KiB pieces: a long run's trace is not held twice in memory.
 */
function traceWriter(path: string): { line(text: string): void; close(): void } {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    throw new Error(`--trace: cannot write "${path}" (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  let pending: string[] = [];
  let pendingLength = 0;
  const flush = () => {
    if (pending.length > 0) writeSync(fd, pending.join(''));
    pending = [];
    pendingLength = 0;
  };
  return {
    line(text) {
      pending.push(text, '\n');
      pendingLength += text.length + 1;
      if (pendingLength >= 65_536) flush();
    },
    close() {
      flush();
      closeSync(fd);
    },
  };
}
