/** `harvester-sim check` and the plan's own state: a `steps-done` wait reads no API (issue 15 §5). */
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../src/check/check.ts';
import { parsePlan } from '../../src/plan/format/load.ts';
import { loadScenario } from '../../src/scenario/load.ts';

const scenario = loadScenario(new URL('../../scenarios/seed-witness.yaml', import.meta.url).pathname);

describe('check: background steps', () => {
  it('a steps-done wait with the API down is no quorum problem; a no-vmis wait there is', () => {
    const plan = (condition: string) =>
      parsePlan(
        `name: bg
steps:
  - { step: sleep, id: pause, duration: 1m, background: true }
  - { step: node.shutdown, group: all, mode: power-loss, order: parallel }
  - { step: wait-for, ${condition}, timeout: 5m }
`,
        'bg.yaml',
      );
    const quorum = (text: string) =>
      checkPlan(scenario, plan(text))
        .problems.filter((p) => p.rule === 'etcd.quorum-at-step')
        .map((p) => p.stepId);
    expect(quorum('condition: steps-done, steps: [pause]')).toEqual([]);
    expect(quorum('condition: no-vmis')).toEqual(['2-wait-for']);
  });
});
