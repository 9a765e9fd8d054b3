import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { DEFAULT_SEED } from '../../../sim/random.ts';
import type { Comparison } from '../../compare/compare.ts';
import type { Evaluation } from '../../evaluate/evaluate.ts';
import type { Severity } from '../../evaluate/finding.ts';
import { EXIT_OK, EXIT_VERDICT, type FailOn } from '../options/run-verdict.ts';
import { runProgress } from '../progress.ts';
import { parseSeed } from '../seed-option.ts';

export interface ManySeedsOptions {
  runs: string;
  seed: string;
  threads?: string;
  json?: boolean;
  markdown?: boolean;
  report?: string;
  /** The progress bar's label: the command that runs (default `compare`). */
  label?: string;
}

/** Default seed count of `compare` (`--runs`). */
export const DEFAULT_RUNS = 20;

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description(
      'run plans side by side over many seeds: completion rate, metric percentiles, findings, failing seeds',
    )
    .argument('<scenario>', 'scenario YAML')
    .argument('<plans...>', 'plan YAML files')
    .option('--runs <n>', 'how many seeds, counted up from --seed', String(DEFAULT_RUNS))
    .option('--seed <n>', 'first root seed', String(DEFAULT_SEED))
    .option('--threads <n>', 'worker threads (default: one per core; 0 runs on the main thread)')
    .option(
      '--json',
      'print the comparison as JSON (completionRate, metric distributions, findingGroups, failedSeeds)',
    )
    .option('--markdown', 'print the comparison as Markdown, for a ticket')
    .option('--report <file>', 'write a self-contained HTML page (timelines, findings, distributions)')
    .addHelpText(
      'after',
      '\nExit status:\n  0  the plans ran (seeds that fail are part of the report)\n  1  bad input or an internal error; one line on stderr\n',
    )
    .action(async (scenarioPath: string, planPaths: string[], options: ManySeedsOptions) => {
      await runManySeeds(scenarioPath, planPaths, options);
    });
}

/** `compare`, and `evaluate --runs N` for one plan: run, print, and write the HTML page if asked. */
export async function runManySeeds(
  scenarioPath: string,
  planPaths: string[],
  options: ManySeedsOptions,
): Promise<Comparison> {
  const runs = Number(options.runs);
  if (!Number.isSafeInteger(runs) || runs < 1)
    throw new Error(`--runs: expected a whole number ≥ 1, found '${options.runs}'`);
  const threads = options.threads === undefined ? undefined : Number(options.threads);
  if (threads !== undefined && (!Number.isSafeInteger(threads) || threads < 0))
    throw new Error(`--threads: expected a whole number ≥ 0, found '${options.threads}'`);
  // Loaded here, not at start-up: `--help` and the other commands need none of it (issue 10). The
  // reports load while the seeds run (the worker threads start first).
  const { comparePlans } = await import('../../compare/compare.ts');
  const reports = Promise.all([
    import('../../report/comparison-terminal.ts'),
    import('../../report/html.ts'),
    import('../../report/markdown.ts'),
  ]);
  reports.catch(() => {}); // a failure is thrown where the reports are awaited
  const total = runs * planPaths.length;
  const progress = runProgress(options.label ?? 'compare', total);
  let comparison: Comparison;
  try {
    comparison = await comparePlans(scenarioPath, planPaths, {
      runs,
      seed: parseSeed(options.seed),
      threads,
      onProgress: (done) => progress.update(done),
    });
  } finally {
    progress.stop();
  }
  const [{ comparisonTerminalReport }, { comparisonHtml }, { comparisonMarkdown }] = await reports;
  if (options.report !== undefined)
    writeFileSync(options.report, await comparisonHtml(comparison, await representativeRuns(comparison)));
  process.stdout.write(
    options.json
      ? `${JSON.stringify(comparison, null, 2)}\n`
      : options.markdown
        ? comparisonMarkdown(comparison)
        : comparisonTerminalReport(comparison),
  );
  return comparison;
}

const AT_OR_ABOVE: Record<FailOn, readonly Severity[]> = {
  critical: ['critical'],
  warning: ['critical', 'warning'],
  info: ['critical', 'warning', 'info'],
  none: [],
};

/** `evaluate --runs N`'s verdict, as one run's: 2 when a seed's plan stopped or a finding is at or above `failOn`. */
export function manySeedsExitCode(comparison: Comparison, failOn: FailOn): number {
  const failed = comparison.plans.some(
    (p) => p.completed < p.runs || p.findingGroups.some((g) => AT_OR_ABOVE[failOn].includes(g.severity)),
  );
  return failed ? EXIT_VERDICT : EXIT_OK;
}

/** One run per plan for the page's timeline, replayed with its trace: the first failing seed, else the first seed. */
async function representativeRuns(comparison: Comparison): Promise<Evaluation[]> {
  const { simulate } = await import('../../simulate/simulate.ts');
  return comparison.plans.map((p) => {
    const seed = p.failedSeeds[0]?.seed ?? comparison.seeds[0];
    return simulate(comparison.scenarioPath, p.planPath, { seed }).evaluation;
  });
}
