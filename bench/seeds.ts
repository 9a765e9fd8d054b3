/**
 * `seeds`: seed-witness under the knowledge-base plan over `runs` seeds in one process (what a
 * seed sweep does): runs per second, each run built, simulated and evaluated (simulateMany).
 */
import { fileURLToPath } from 'node:url';
import { simulateMany } from '../src/simulate/simulate.ts';

export interface SeedsOptions {
  readonly runs: number;
}

const scenarios = fileURLToPath(new URL('../scenarios/', import.meta.url));

export function seedsBenchmark(options: SeedsOptions): object {
  const scenario = `${scenarios}seed-witness.yaml`;
  const plan = `${scenarios}plans/kb-shutdown-restart.yaml`;
  // One warm-up run: the first pays for compiling the hot paths.
  simulateMany(scenario, plan, { runs: 1, seed: 1 });
  const cpu = process.cpuUsage();
  const started = performance.now();
  const evaluations = simulateMany(scenario, plan, { runs: options.runs, seed: 1 });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  return {
    benchmark: 'seeds',
    scenario: 'seed-witness',
    plan: 'kb-shutdown-restart',
    runs: evaluations.length,
    seconds: round(seconds),
    cpuSeconds: round(cpuSeconds),
    runsPerSecond: round(evaluations.length / seconds),
    runsPerCpuSecond: round(evaluations.length / cpuSeconds),
    /** Issue 10: at least 150 runs per second in one process. */
    targetRunsPerSecond: 150,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
