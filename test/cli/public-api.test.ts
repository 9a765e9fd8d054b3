import { describe, expect, it } from 'vitest';
import { evaluate, loadPlan, loadScenario, runPlan, simulate, simulateMany } from '../../src/index.ts';

const scenarioPath = new URL('../../scenarios/seed-witness.yaml', import.meta.url).pathname;
const planPath = new URL('../../scenarios/plans/kb-shutdown-restart.yaml', import.meta.url).pathname;

describe('public API (harvester-sim)', () => {
  it('loads, runs and evaluates the built-in scenario and plan from code, step by step', () => {
    const scenario = loadScenario(scenarioPath);
    const plan = loadPlan(planPath);
    const run = runPlan(scenario, plan, { seed: 1234567 });
    const evaluation = evaluate(run.records);
    expect(evaluation.ok).toBe(true);
    // KB: the cluster stays off for the offline step of the plan (12 h) before the restart.
    expect(evaluation.metrics.durationSeconds).toBeGreaterThan(12 * 3600);
    expect(evaluation.metrics).toHaveProperty('storage');
    expect(evaluation.metrics).toHaveProperty('migration');
  });

  it('simulate(scenario, plan, { seed }) is the same run in one call, from file paths', () => {
    const direct = evaluate(runPlan(loadScenario(scenarioPath), loadPlan(planPath), { seed: 42 }).records);
    const { evaluation } = simulate(scenarioPath, planPath, { seed: 42 });
    expect(evaluation).toEqual(direct);
    expect(evaluation.seed).toBe(42);
  });

  it('simulateMany runs one evaluation per seed, counted up from the first', () => {
    const evaluations = simulateMany(scenarioPath, planPath, { runs: 2, seed: 7 });
    expect(evaluations.map((e) => e.seed)).toEqual([7, 8]);
    expect(evaluations[1]).toEqual(simulate(scenarioPath, planPath, { seed: 8 }).evaluation);
  });
});
