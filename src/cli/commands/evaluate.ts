import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { DEFAULT_SEED, JsonLinesSink, type TraceSink } from '../../../sim/index.ts';
import { terminalReport } from '../../report/terminal.ts';
import { resolveInputs, simulate } from '../../simulate/simulate.ts';
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
    .option('--seed <n>', 'root seed of the random streams', String(DEFAULT_SEED))
    .option('--json', 'print { scenario, plan, seed, metrics, findings, timeline } as JSON')
    .option('--trace <file>', 'write the full trace as JSON lines (read it back with `report`)')
    .action((scenarioPath: string, planPath: string, options: EvaluateOptions) => {
      const seed = parseSeed(options.seed);
      const { scenario, plan } = resolveInputs(scenarioPath, planPath);
      const lines: string[] = [];
      const sinks: TraceSink[] =
        options.trace === undefined ? [] : [new JsonLinesSink((line) => lines.push(line))];
      const progress = stepProgress(plan.steps.length, plan.name);
      const { evaluation } = simulate(scenario, plan, {
        seed,
        sinks,
        onStep: (step) => progress.step(step.id),
      });
      progress.stop();
      if (options.trace !== undefined) writeFileSync(options.trace, `${lines.join('\n')}\n`);
      process.stdout.write(
        options.json ? `${JSON.stringify(evaluation, null, 2)}\n` : terminalReport(evaluation),
      );
    });
}
