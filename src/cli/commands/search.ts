import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_SEED } from '../../../sim/random.ts';
import type { Plan } from '../../plan/format/types.ts';
import type { Scenario } from '../../scenario/types.ts';
import { parseDurationSeconds } from '../../scenario/units.ts';
import { OBJECTIVES, type Objective } from '../../search/score.ts';
import type { SearchProgress } from '../../search/search.ts';
import { loadCliProgress } from '../load-cli-progress.ts';
import { parseCount } from '../options/plain-numbers.ts';
import { readOption } from '../options/read-option.ts';
import { builtIn } from '../package-paths.ts';
import { parseSeed } from '../seed-option.ts';

interface SearchCommandOptions {
  objective: string;
  budget: string;
  seeds: string;
  seed: string;
  output?: string;
  baseline?: string;
  json?: boolean;
}

/** Defaults of `search` (issue 12: a 60 s budget; seeds enough to catch the KB plan's 6-in-20 failure). */
export const SEARCH_DEFAULTS = { budget: '60s', seeds: '8', objective: 'duration' } as const;

export function registerSearch(program: Command): void {
  program
    .command('search')
    .description(
      'search shutdown/restart orderings for a plan at least as good as the KB plan, scored over seeds; writes plan YAML',
    )
    .argument('<scenario>', 'scenario YAML')
    .option(
      '--objective <name>',
      `what to minimise after completion and findings: ${OBJECTIVES.join(', ')}`,
      SEARCH_DEFAULTS.objective,
    )
    .option('--budget <duration>', 'wall time to search, e.g. 60s, 2m', SEARCH_DEFAULTS.budget)
    .option('--seeds <n>', 'seeds each candidate is scored on', SEARCH_DEFAULTS.seeds)
    .option('--seed <n>', 'first seed', String(DEFAULT_SEED))
    .option(
      '--baseline <plan>',
      'plan to compare with (default: the KB plan, scenarios/plans/kb-shutdown-restart.yaml)',
    )
    .option('-o, --output <file>', 'write the best plan as YAML (default: print it)')
    .option('--json', 'print { best, baseline, reasons, plan } as JSON')
    .action(async (scenarioPath: string, options: SearchCommandOptions) => {
      const objective = options.objective as Objective;
      if (!OBJECTIVES.includes(objective))
        throw new Error(
          `--objective: expected one of ${OBJECTIVES.join(', ')}, found "${options.objective}"`,
        );
      // Loaded here, not at start-up: `--help` and the other commands need none of it (issue 10).
      const { loadScenario } = await import('../../scenario/load.ts');
      const { bestPlanYaml, reasons } = await import('../../search/explain.ts');
      const { searchPlan } = await import('../../search/search.ts');
      const { seedsOf } = await import('../../simulate/simulate.ts');
      const budgetSeconds = readOption('--budget', options.budget, (t) => parseDurationSeconds(t));
      const runs = readOption('--seeds', options.seeds, (t) => parseCount(t, 1));
      const seeds = seedsOf({ runs, seed: parseSeed(options.seed) });
      const scenario = loadScenario(scenarioPath);
      const baseline = await baselinePlan(scenario, options.baseline);
      const bar = progressBar(budgetSeconds);
      const result = searchPlan(scenario, {
        seeds,
        objective,
        budgetMs: budgetSeconds * 1000,
        // performance.now() counts from the process start, so the budget covers loading too.
        nowMs: () => performance.now(),
        startedMs: 0,
        baseline,
        onProgress: bar.update,
      });
      bar.stop();
      const name = `search-${basename(scenarioPath).replace(/\.ya?ml$/, '')}`;
      const yaml = bestPlanYaml(scenario, result, name);
      if (options.output !== undefined) writeFileSync(options.output, yaml);
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({ best: { candidate: result.best.candidate, score: result.best.score }, baseline: result.baseline === null ? null : { plan: result.baseline.plan.name, score: result.baseline.score }, scored: result.scored, pruned: result.pruned.length, reasons: reasons(result), plan: yaml }, null, 2)}\n`,
        );
        return;
      }
      if (options.output !== undefined)
        process.stdout.write(`${reasons(result).join('\n')}\nwrote ${options.output}\n`);
      else process.stdout.write(yaml);
    });
}

/** The KB plan (or `--baseline`), when it fits the scenario. */
async function baselinePlan(scenario: Scenario, path: string | undefined): Promise<Plan | null> {
  const { checkPlanAgainstScenario } = await import('../../plan/format/check-against-scenario.ts');
  const { loadPlan } = await import('../../plan/format/load.ts');
  const plan = loadPlan(path ?? builtIn.plan);
  try {
    checkPlanAgainstScenario(plan, scenario);
    return plan;
  } catch (error) {
    if (path !== undefined) throw error;
    return null;
  }
}

/** Budget bar on a terminal; nothing when stderr is piped. */
function progressBar(budgetSeconds: number): { update(p: SearchProgress): void; stop(): void } {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const cliProgress = loadCliProgress();
  const bar = new cliProgress.SingleBar(
    {
      format: 'search [{bar}] {value}/{total} s  {scored} scored, {pruned} pruned  best: {best}',
      stream: process.stderr,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.round(budgetSeconds), 0, { scored: 0, pruned: 0, best: '-' });
  return {
    update: (p) =>
      bar.update(Math.min(Math.round(p.elapsedMs / 1000), Math.round(budgetSeconds)), {
        scored: p.scored,
        pruned: p.pruned,
        best:
          p.best === null
            ? '-'
            : `${p.best.completed}/${p.best.runs} completed, ${p.best.objectiveMean.toFixed(0)}`,
      }),
    stop: () => bar.stop(),
  };
}
