/**
 * `trace-hashes`: the fingerprint a speed change must keep. For every shipped scenario × plan that
 * fits (seeds 1234567, 1, 2) and the generated 12- and 15-node clusters under every plan that fits
 * (seeds 1234567, 2): SHA-256 of every record as JSON, one per line, and of the terminal report. Run
 * it before and after a change and compare the two outputs (`diff`); the event count is printed
 * beside them, as that is what a speed change may lower.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { evaluate } from '../src/evaluate/evaluate.ts';
import { checkPlanAgainstScenario } from '../src/plan/format/check-against-scenario.ts';
import { loadPlan } from '../src/plan/format/load.ts';
import type { Plan } from '../src/plan/format/types.ts';
import { runPlan } from '../src/plan/runner/runner.ts';
import { terminalReport } from '../src/report/terminal.ts';
import { loadScenario, scenarioFromData } from '../src/scenario/load.ts';
import type { Scenario } from '../src/scenario/types.ts';
import { scaleClusterDocument } from './scale-cluster.ts';

const scenarios = fileURLToPath(new URL('../scenarios/', import.meta.url));

export interface TraceHash {
  readonly scenario: string;
  readonly plan: string;
  readonly seed: number;
  readonly recordsSha256: string;
  readonly reportSha256: string;
  readonly records: number;
  readonly events: number;
}

export function traceHashes(): TraceHash[] {
  const inputs: [string, Scenario][] = readdirSync(scenarios)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => [f, loadScenario(`${scenarios}${f}`)]);
  for (const n of [12, 15])
    inputs.push([`scale-${n}`, scenarioFromData(scaleClusterDocument(n), `scale-${n}`)]);
  const plans: [string, Plan][] = readdirSync(`${scenarios}plans`)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => [f, loadPlan(`${scenarios}plans/${f}`)]);
  const hashes: TraceHash[] = [];
  for (const [scenarioName, scenario] of inputs) {
    for (const [planName, plan] of plans) {
      try {
        checkPlanAgainstScenario(plan, scenario);
      } catch {
        continue;
      }
      const seeds = scenarioName.startsWith('scale-') ? [1234567, 2] : [1234567, 1, 2];
      for (const seed of seeds) {
        const run = runPlan(scenario, plan, { seed });
        const records = createHash('sha256');
        for (const r of run.records) records.update(JSON.stringify(r)).update('\n');
        hashes.push({
          scenario: scenarioName,
          plan: planName,
          seed,
          recordsSha256: records.digest('hex'),
          reportSha256: createHash('sha256')
            .update(terminalReport(evaluate(run.records)))
            .digest('hex'),
          records: run.records.length,
          events: run.world.sim.eventCount,
        });
      }
    }
  }
  return hashes;
}
