import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { JsonLinesSink, type TraceSink } from '../../../sim/index.ts';
import { evaluate } from '../../evaluate/evaluate.ts';
import { standardEvaluators, standardExtensions } from '../../evaluate/standard.ts';
import { checkPlanAgainstScenario } from '../../plan/format/check-against-scenario.ts';
import { loadPlan } from '../../plan/format/load.ts';
import { runPlan } from '../../plan/runner/runner.ts';
import { terminalReport } from '../../report/terminal.ts';
import { loadScenario } from '../../scenario/load.ts';
import { builtIn } from '../package-paths.ts';
import { stepProgress } from '../progress.ts';
import { parseSeed } from '../seed-option.ts';

interface EvaluateOptions {
  seed: string;
  json?: boolean;
  trace?: string;
}

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('run a plan on a scenario and report the timeline, metrics and findings')
    .argument('[scenario]', 'scenario YAML', builtIn.scenario)
    .argument('[plan]', 'plan YAML', builtIn.plan)
    .option('--seed <n>', 'root seed of the random streams', '1234567')
    .option('--json', 'print { scenario, plan, seed, metrics, findings, timeline } as JSON')
    .option('--trace <file>', 'write the full trace as JSON lines')
    .action((scenarioPath: string, planPath: string, options: EvaluateOptions) => {
      const seed = parseSeed(options.seed);
      const scenario = loadScenario(scenarioPath);
      const plan = loadPlan(planPath);
      checkPlanAgainstScenario(plan, scenario);
      const lines: string[] = [];
      const sinks: TraceSink[] =
        options.trace === undefined ? [] : [new JsonLinesSink((line) => lines.push(line))];
      const progress = stepProgress(plan.steps.length, plan.name);
      const run = runPlan(scenario, plan, {
        seed,
        sinks,
        extensions: standardExtensions,
        onStep: (step) => progress.step(step.id),
      });
      progress.stop();
      if (options.trace !== undefined) writeFileSync(options.trace, `${lines.join('\n')}\n`);
      const evaluation = evaluate(run, scenario, plan, seed, standardEvaluators);
      process.stdout.write(
        options.json ? `${JSON.stringify(evaluation, null, 2)}\n` : terminalReport(evaluation),
      );
    });
}
