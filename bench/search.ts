/**
 * The search target (issue 12): `search` on production-12node within its default 60 s budget, on the
 * project's shared 2-core machine. Reports the wall time of the whole search (the KB plan and every
 * candidate scored on the same seeds), the CPU time, what it found, and the load average.
 */
import { loadavg } from 'node:os';
import { loadPlan } from '../src/plan/format/load.ts';
import { loadScenario } from '../src/scenario/load.ts';
import { compareScores } from '../src/search/score.ts';
import { searchPlan } from '../src/search/search.ts';
import { seedsOf } from '../src/simulate/simulate.ts';

const scenarios = new URL('../scenarios/', import.meta.url).pathname;

export function searchBenchmark(options: { scenario: string; budgetSeconds: number; seeds: number }) {
  const scenario = loadScenario(`${scenarios}${options.scenario}.yaml`);
  const loadBefore = loadavg()[0];
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const result = searchPlan(scenario, {
    seeds: seedsOf({ runs: options.seeds }),
    objective: 'duration',
    budgetMs: options.budgetSeconds * 1000,
    nowMs: () => performance.now(),
    baseline: loadPlan(`${scenarios}plans/kb-shutdown-restart.yaml`),
  });
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const verdict = result.baseline === null ? null : compareScores(result.best.score, result.baseline.score);
  return {
    benchmark: 'search',
    scenario: scenario.name,
    seeds: options.seeds,
    scored: result.scored,
    pruned: result.pruned.length,
    converged: result.converged,
    atLeastAsGoodAsKb: verdict === null ? null : verdict <= 0,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    targetSeconds: options.budgetSeconds,
    loadAverageBefore: loadBefore,
    loadAverageAfter: loadavg()[0],
  };
}
