/**
 * The compare target (issue 12): 200 seeds of two plans on seed-witness (the KB plan and the
 * leader-on-witness contrast) under 5 s on the project's 2-core machine, on worker threads. Reports
 * wall time, the CPU time of every thread (what an idle machine would need at best), and the load
 * average, since the machine is shared.
 */
import { availableParallelism, loadavg } from 'node:os';
import { comparePlans } from '../src/compare/compare.ts';

const scenarios = new URL('../scenarios/', import.meta.url).pathname;

export async function compareBenchmark(options: { runs: number; threads?: number }) {
  const plans = [`${scenarios}plans/kb-shutdown-restart.yaml`, `${scenarios}plans/leader-on-witness.yaml`];
  const loadBefore = loadavg()[0];
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const comparison = await comparePlans(`${scenarios}seed-witness.yaml`, plans, options);
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    benchmark: 'compare',
    scenario: comparison.scenario,
    plans: comparison.plans.map((p) => ({ plan: p.plan, completionRate: p.completionRate })),
    runs: options.runs,
    threads: options.threads ?? availableParallelism(),
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    runsPerSecond: (options.runs * plans.length) / seconds,
    targetSeconds: 5,
    loadAverageBefore: loadBefore,
    loadAverageAfter: loadavg()[0],
  };
}
