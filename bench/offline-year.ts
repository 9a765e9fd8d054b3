/**
 * `offline-year`: seed-witness powered off for a year (power-off-all with an 8760h offline step),
 * built, simulated and evaluated; issue 15's target is well under a second per run. It reports the
 * certificates the year leaves expired (on rke2 v1.27: the RKE2 leaf certificates will not come back).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { evaluate } from '../src/evaluate/evaluate.ts';
import { parsePlan } from '../src/plan/format/load.ts';
import { runPlan } from '../src/plan/runner/runner.ts';
import { loadScenario } from '../src/scenario/load.ts';

export interface OfflineYearOptions {
  readonly runs: number;
}

const scenarios = fileURLToPath(new URL('../scenarios/', import.meta.url));

export function offlineYearBenchmark(options: OfflineYearOptions): object {
  const scenario = loadScenario(`${scenarios}seed-witness.yaml`);
  const plan = parsePlan(
    readFileSync(`${scenarios}plans/power-off-all.yaml`, 'utf8').replace('duration: 12h', 'duration: 8760h'),
    'power-off-year.yaml',
  );
  const once = (seed: number) => evaluate(runPlan(scenario, plan, { seed }).records);
  once(0); // warm-up: the first run pays for compiling the hot paths
  const millis: number[] = [];
  let certificates: string[] = [];
  for (let seed = 1; seed <= options.runs; seed++) {
    const started = performance.now();
    const evaluation = once(seed);
    millis.push(performance.now() - started);
    certificates = evaluation.findings
      .filter((f) => f.rule === 'certificate.expired')
      .map((f) => `${f.severity} ${f.objects.join(' ')}`);
  }
  millis.sort((a, b) => a - b);
  return {
    benchmark: 'offline-year',
    runs: options.runs,
    medianMs: Math.round(millis[Math.floor(millis.length / 2)]),
    maxMs: Math.round(millis[millis.length - 1]),
    targetMs: 1000,
    certificates,
  };
}
