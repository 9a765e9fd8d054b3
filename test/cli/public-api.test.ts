import { describe, expect, it } from 'vitest';
import {
  evaluate,
  loadPlan,
  loadScenario,
  runPlan,
  standardEvaluators,
  standardExtensions,
} from '../../src/index.ts';

describe('public API (harvester-sim)', () => {
  it('loads, runs and evaluates the built-in scenario and plan from code', () => {
    const scenario = loadScenario(new URL('../../scenarios/seed-witness.yaml', import.meta.url).pathname);
    const plan = loadPlan(
      new URL('../../scenarios/plans/kb-shutdown-restart.yaml', import.meta.url).pathname,
    );
    const run = runPlan(scenario, plan, { seed: 1234567, extensions: standardExtensions });
    const evaluation = evaluate(run, scenario, plan, 1234567, standardEvaluators);
    expect(evaluation.ok).toBe(true);
    expect(evaluation.metrics.durationSeconds).toBeGreaterThan(12 * 3600);
    expect(evaluation.metrics).toHaveProperty('storage');
    expect(evaluation.metrics).toHaveProperty('migration');
  });
});
