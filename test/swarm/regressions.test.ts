/**
 * Cases the seeded swarm found, shrunk, kept as the YAML it printed (test/swarm/regressions/, each
 * file naming its swarm seed and the violation), run again with every swarm invariant.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { planFromData } from '../../src/plan/format/load.ts';
import { scenarioFromData } from '../../src/scenario/load.ts';
import { simulate } from '../../src/simulate/simulate.ts';
import type { SwarmCase } from './cases.ts';
import { swarmViolations } from './swarm-run.ts';

function swarmCaseFrom(name: string): SwarmCase {
  const read = (kind: string) =>
    parse(readFileSync(new URL(`./regressions/${name}.${kind}.yaml`, import.meta.url), 'utf8'));
  return { scenario: read('scenario'), plan: read('plan') };
}

describe('swarm regressions', () => {
  it.each([
    [
      'seed-2',
      1,
      'a faulted volume takes no writes (three maintenance drains fail the last healthy replica)',
    ],
    ['seed-3', 1, 'a faulted volume takes no writes (maintenance, then two power losses)'],
    ['seed-14', 10, 'two power-ons of a node at one instant boot it once'],
    [
      'seed-101',
      2084915029,
      'a leader restarted with uncommitted entries probes below the rejected index (raft MaybeDecrTo), no event storm',
    ],
    ['seed-102', 1, "a stop at the plan's last instant is seen: the run ends at the end of its last instant"],
  ])('%s (simulation seed %i): %s', (name, simulationSeed) => {
    expect(swarmViolations(swarmCaseFrom(name), simulationSeed)).toEqual([]);
  });

  it.each([
    ['seed-4', 1],
    ['seed-11', 555514549],
  ])(
    '%s (simulation seed %i): a maintenance that never completes ends at its step timeout, within the run limits',
    {
      timeout: 120_000,
    },
    (name, simulationSeed) => {
      expect(swarmViolations(swarmCaseFrom(name), simulationSeed)).toEqual([]);
    },
  );

  it('seed-3: the VM whose volume faulted pauses with an IO error, and the report says so', () => {
    const input = swarmCaseFrom('seed-3');
    const result = simulate(
      scenarioFromData(input.scenario, 'seed-3.scenario.yaml'),
      planFromData(input.plan, 'seed-3.plan.yaml'),
      { seed: 1 },
    );
    const paused = result.evaluation.findings.filter((f) => f.rule === 'longhorn.vm-paused-volume-faulted');
    expect(paused.map((f) => f.objects)).toEqual([['vm/default/vm-1', 'volume/default/vm-1-root']]);
  });

  it("seed-2: since Harvester's maintenance pre-checks are modelled, the third drain is refused and no volume faults", () => {
    // pkg/controller/master/nodedrain DrainPossible: the drain that would take the control planes
    // below three out of maintenance (or a volume's last healthy replica) is refused.
    const input = swarmCaseFrom('seed-2');
    const result = simulate(
      scenarioFromData(input.scenario, 'seed-2.scenario.yaml'),
      planFromData(input.plan, 'seed-2.plan.yaml'),
      { seed: 1 },
    );
    const rules = result.evaluation.findings.map((f) => f.rule);
    expect(result.evaluation.findings.find((f) => f.rule === 'maintenance.blocked')?.objects).toEqual([
      'node/node-2',
    ]);
    expect(rules).not.toContain('longhorn.vm-paused-volume-faulted');
  });
});
