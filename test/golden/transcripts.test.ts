import { readdirSync } from 'node:fs';
import { describe, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import { planScenarioIssues } from '../../src/plan/format/check-against-scenario.ts';
import { loadPlan } from '../../src/plan/format/load.ts';
import { runPlan } from '../../src/plan/runner/runner.ts';
import { terminalReport } from '../../src/report/terminal.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { expectGolden } from './golden-file.ts';

/**
 * Golden transcripts (etcd raft's testdata/*.txt): the report of each shipped plan on seed-witness
 * (or on the shipped scenario a plan was written for), seed 1234567. A change in behaviour shows as a diff here; regenerate on purpose with
 * `REWRITE=1 npx vitest run test/golden`.
 */
const scenarios = new URL('../../scenarios/', import.meta.url).pathname;
const plans = readdirSync(`${scenarios}plans`)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .sort();

describe('golden transcripts', () => {
  // Each plan on the first of these scenarios it fits (seed-witness for the KB plan and its contrasts).
  const candidates = ['seed-witness', 'trim-during-rebuild', 'production-12node'].map((s) =>
    loadScenario(`${scenarios}${s}.yaml`),
  );
  for (const name of plans) {
    const plan = loadPlan(`${scenarios}plans/${name}.yaml`);
    const scenario = candidates.find((s) => planScenarioIssues(plan, s).length === 0) ?? candidates[0];
    it(`${scenario.name} / ${name}`, () => {
      const run = runPlan(scenario, plan, { seed: 1234567 });
      const text = terminalReport(evaluate(run.records));
      const golden = new URL(`./${scenario.name}--${name}.txt`, import.meta.url).pathname;
      expectGolden(golden, text);
    });
  }
});
