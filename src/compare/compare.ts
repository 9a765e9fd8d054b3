/**
 * Plans side by side over many seeds: each plan run on the same seeds, then per plan the completion
 * rate, p50/p95/max of the compared metrics, findings grouped by kind with how many seeds show each,
 * and the seeds that fail with the command that replays each.
 */
import type { Severity } from '../evaluate/finding.ts';
import { checkPlanAgainstScenario } from '../plan/format/check-against-scenario.ts';
import { loadPlan } from '../plan/format/load.ts';
import { loadScenario } from '../scenario/load.ts';
import { seedsOf } from '../simulate/seeds.ts';
import { type Distribution, distribution } from './distribution.ts';
import { COMPARED_METRICS, type MetricKey, type MetricValues } from './metrics.ts';
import { plainInputs } from './run-inputs.ts';
import { type RunSeedsOptions, runSeeds, startSeedPool, threadsFor } from './run-seeds.ts';
import type { SeedOutcome } from './seed-outcome.ts';

export interface CompareOptions extends RunSeedsOptions {
  /** How many seeds, counted up from `seed` (default 1234567). */
  readonly runs?: number;
  readonly seed?: number | string;
  /** The command a replay line starts with (default `harvester-sim`). */
  readonly command?: string;
}

export interface ComparedFindingGroup {
  readonly rule: string;
  readonly severity: Severity;
  /** How many seeds show this kind of finding, and the first few of them. */
  readonly seeds: number;
  readonly exampleSeeds: readonly (number | string)[];
  /** Findings of this kind over all seeds. */
  readonly count: number;
  readonly title: string;
  readonly objects: readonly string[];
  readonly source: string;
}

export interface FailedSeed {
  readonly seed: number | string;
  readonly failedStep: number | null;
  readonly reason: string;
  /** The command that replays this run alone. */
  readonly replay: string;
}

export interface PlanComparison {
  readonly plan: string;
  readonly planPath: string;
  readonly runs: number;
  readonly completed: number;
  readonly completionRate: number;
  readonly metrics: Readonly<Record<MetricKey, Distribution>>;
  readonly findingGroups: readonly ComparedFindingGroup[];
  readonly failedSeeds: readonly FailedSeed[];
  /** Each seed's metrics, in seed order (for distributions). */
  readonly seedValues: readonly {
    readonly seed: number | string;
    readonly ok: boolean;
    readonly metrics: MetricValues;
  }[];
}

export interface Comparison {
  readonly scenario: string;
  readonly scenarioPath: string;
  readonly runs: number;
  readonly seeds: readonly (number | string)[];
  readonly plans: readonly PlanComparison[];
}

/** How many seeds a finding group lists by name (the count says how many in all). */
const EXAMPLE_SEEDS = 5;

export async function comparePlans(
  scenarioPath: string,
  planPaths: readonly string[],
  options: CompareOptions = {},
): Promise<Comparison> {
  if (planPaths.length === 0) throw new Error('compare: name at least one plan');
  // The worker threads are started first: they load their module while this thread parses the inputs.
  const runs = options.runs ?? 1;
  const threads =
    Number.isSafeInteger(runs) && runs >= 1 ? threadsFor(runs * planPaths.length, options.threads) : 0;
  const pool = threads > 0 ? await startSeedPool(threads) : undefined;
  try {
    // The scenario once; each plan checked against it (as `resolveInputs` does) and sent to the
    // workers as plain data. This thread loads no model: it runs no seed unless `threads` is 0.
    const scenario = loadScenario(scenarioPath);
    const inputs = planPaths.map((planPath) => {
      const plan = loadPlan(planPath);
      checkPlanAgainstScenario(plan, scenario);
      return plainInputs({ scenario, plan }, planPath);
    });
    const seeds = seedsOf({ runs: options.runs, seed: options.seed });
    // Seed-major order: every plan advances together, so the progress bar's ETA is fair early on.
    const tasks = seeds.flatMap((seed) =>
      planPaths.map((planPath, p) => ({ inputs: inputs[p], planPath, seed })),
    );
    const outcomes = await runSeeds(tasks, { ...options, pool });
    const command = options.command ?? 'harvester-sim';
    return {
      scenario: scenario.name,
      scenarioPath,
      runs: seeds.length,
      seeds,
      plans: planPaths.map((planPath, p) =>
        summarizePlan(
          inputs[p].plan.name,
          planPath,
          outcomes.filter((_, i) => i % planPaths.length === p),
          (seed) => replayCommand(command, scenarioPath, planPath, seed),
        ),
      ),
    };
  } finally {
    await pool?.destroy();
  }
}

export function summarizePlan(
  plan: string,
  planPath: string,
  outcomes: readonly SeedOutcome[],
  replay: (seed: number | string) => string,
): PlanComparison {
  const completed = outcomes.filter((o) => o.ok).length;
  const metrics = Object.fromEntries(
    COMPARED_METRICS.map((m) => [m.key, distribution(outcomes.map((o) => o.metrics[m.key]))]),
  ) as Record<MetricKey, Distribution>;
  return {
    plan,
    planPath,
    runs: outcomes.length,
    completed,
    completionRate: completed / outcomes.length,
    metrics,
    findingGroups: groupOverSeeds(outcomes),
    failedSeeds: outcomes
      .filter((o) => !o.ok)
      .map((o) => ({ seed: o.seed, failedStep: o.failedStep, reason: o.reason, replay: replay(o.seed) })),
    seedValues: outcomes.map((o) => ({ seed: o.seed, ok: o.ok, metrics: o.metrics })),
  };
}

const RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** Finding groups merged over seeds: most seeds first, then severity. */
function groupOverSeeds(outcomes: readonly SeedOutcome[]): ComparedFindingGroup[] {
  const byRule = new Map<
    string,
    {
      group: SeedOutcome['findings'][number];
      seeds: (number | string)[];
      count: number;
      objects: Set<string>;
      severity: Severity;
    }
  >();
  for (const o of outcomes) {
    for (const g of o.findings) {
      let entry = byRule.get(g.rule);
      if (entry === undefined) {
        entry = { group: g, seeds: [], count: 0, objects: new Set(), severity: g.severity };
        byRule.set(g.rule, entry);
      }
      entry.seeds.push(o.seed);
      entry.count += g.count;
      for (const object of g.objects) entry.objects.add(object);
      if (RANK[g.severity] < RANK[entry.severity]) entry.severity = g.severity;
    }
  }
  return [...byRule.values()]
    .map((e) => ({
      rule: e.group.rule,
      severity: e.severity,
      seeds: e.seeds.length,
      exampleSeeds: e.seeds.slice(0, EXAMPLE_SEEDS),
      count: e.count,
      title: e.group.title,
      objects: [...e.objects],
      source: e.group.source,
    }))
    .sort((a, b) => RANK[a.severity] - RANK[b.severity] || b.seeds - a.seeds || a.rule.localeCompare(b.rule));
}

/** `harvester-sim evaluate <scenario> <plan> --seed <seed>`, quoted for a POSIX shell where needed. */
export function replayCommand(
  command: string,
  scenarioPath: string,
  planPath: string,
  seed: number | string,
): string {
  return [command, 'evaluate', scenarioPath, planPath, '--seed', String(seed)].map(shellWord).join(' ');
}

function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
