/**
 * Fault schedules as plan data (issue 15 §5; STYLE.md "Faults and schedules are data"):
 * `planFaults` generates a plan's `faults:` list that loads, strikes during the step it names, and
 * shrinks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planFromData } from '../../src/plan/format/load.ts';
import { runPlan } from '../../src/plan/runner/runner.ts';
import { scenarioFromData } from '../../src/scenario/load.ts';
import {
  busiestNode,
  cluster,
  evacuationUnderFaults,
  type PlanFaultDocument,
  planFaults,
} from '../../src/testing/arbitraries.ts';
import { select } from '../../src/trace/record.ts';
import { assertProperty } from '../fast-check-seed.ts';

describe('planFaults', () => {
  it('generates fault lists every plan loader accepts, timed from the plan or from a step', () => {
    const faults = fc.sample(planFaults(['a-1', 'b-2'], { steps: ['maintenance'], maxFaults: 4 }), {
      seed: 3,
      numRuns: 50,
    });
    expect(faults.some((list) => list.some((f) => typeof f.at === 'object'))).toBe(true);
    for (const list of faults) {
      const plan = planFromData(evacuationUnderFaults('a-1', list), 'faults.yaml');
      expect(plan.faults ?? []).toHaveLength(list.length);
    }
  });

  it('shrinks a failing schedule to one fault, at the plan start, on the first node', () => {
    const result = fc.check(
      fc.property(
        planFaults(['n1', 'n2', 'n3'], { maxFaults: 5, horizonSeconds: 900 }),
        (faults) => faults.length === 0,
      ),
      { seed: 11, numRuns: 100 },
    );
    expect(result.failed).toBe(true);
    expect(result.counterexample?.[0]).toEqual([{ at: '0s', fault: 'node.power-loss', node: 'n1' }]);
  });

  it('faults after the maintenance step starts strike while it runs', () => {
    const cases = cluster({ workers: { min: 1, max: 2 }, vms: { min: 2, max: 4 } }).chain((scenario) => {
      const evacuated = busiestNode(scenario);
      const others = scenario.nodes
        .filter((n) => n.role === 'worker' && n.name !== evacuated)
        .map((n) => n.name);
      const faults =
        others.length === 0
          ? fc.constant<PlanFaultDocument[]>([])
          : planFaults(others, { maxFaults: 2, horizonSeconds: 30, steps: ['maintenance'] });
      return faults.map((list) => ({ scenario, plan: evacuationUnderFaults(evacuated, list) }));
    });
    assertProperty(
      fc.property(cases, ({ scenario, plan }) => {
        const run = runPlan(scenarioFromData(scenario), planFromData(plan, 'plan.yaml'));
        const started = select(run.records, 'plan', 'step.start').find((r) => r.data.id === 'maintenance');
        const struck = select(run.records, 'plan', 'fault.injected');
        expect(struck).toHaveLength(plan.faults?.length ?? 0);
        for (const fault of struck)
          expect(fault.timeSeconds).toBeGreaterThanOrEqual(started?.timeSeconds ?? Number.NaN);
      }),
      { seed: 21, numRuns: 4 },
    );
  }, 300_000);
});
