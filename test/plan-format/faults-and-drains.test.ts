/** The plan format of issue 15 §5–6: `faults:`, `background:`, `steps-done`, `node.drain`, `force`. */
import { describe, expect, it } from 'vitest';
import { checkPlanAgainstScenario } from '../../src/plan/format/check-against-scenario.ts';
import { parsePlan } from '../../src/plan/format/load.ts';
import { DocumentError } from '../../src/scenario/document-error.ts';
import { loadScenario } from '../../src/scenario/load.ts';

const parse = (text: string) => parsePlan(text, 'plan.yaml');

function errorLines(text: string): string[] {
  try {
    parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(DocumentError);
    return (error as DocumentError).message.split('\n');
  }
  throw new Error('expected a DocumentError');
}

const withFaults = `name: faults
steps:
  - step: vm.migrate
    id: migrate
    vms: all
    background: true
  - step: node.drain
    node: harv2
    gracePeriod: 30s
    timeout: 5m
  - step: wait-for
    condition: steps-done
    steps: [migrate]
    timeout: 10m
  - step: node.maintenance
    node: harv2
    action: enable
    force: true
faults:
  - { at: 90s, fault: node.power-loss, node: harv2 }
  - { at: { step: migrate, after: 20s }, fault: node.shutdown, node: '@etcd-leader' }
  - { at: { step: migrate }, fault: link.degrade, node: harv41, bandwidth: 1Gbps, for: 2m }
`;

describe('faults, background steps, drains', () => {
  it('parse into typed faults with seconds and node references', () => {
    const plan = parse(withFaults);
    expect(plan.faults).toEqual([
      {
        index: 0,
        at: { kind: 'plan', seconds: 90 },
        action: { type: 'node.power-loss', node: { kind: 'name', name: 'harv2' } },
      },
      {
        index: 1,
        at: { kind: 'step', step: 'migrate', afterSeconds: 20 },
        action: { type: 'node.shutdown', node: { kind: 'etcd-leader' } },
      },
      {
        index: 2,
        at: { kind: 'step', step: 'migrate', afterSeconds: 0 },
        action: {
          type: 'link.degrade',
          node: { kind: 'name', name: 'harv41' },
          network: 'management',
          bandwidthBytesPerSecond: 125e6,
          durationSeconds: 120,
        },
      },
    ]);
    expect(plan.steps[0].background).toBe(true);
    expect(plan.steps[1].action).toEqual({
      type: 'node.drain',
      node: { kind: 'name', name: 'harv2' },
      graceSeconds: 30,
      timeoutSeconds: 300,
    });
    expect(plan.steps[2].action).toMatchObject({
      wait: { condition: { kind: 'steps-done', steps: ['migrate'] } },
    });
    expect(plan.steps[3].action).toMatchObject({ type: 'node.maintenance', enable: true, force: true });
  });

  it('kubectl drain without --grace-period leaves each pod its own grace (kubectl: -1)', () => {
    const plan = parse('name: d\nsteps:\n  - { step: node.drain, node: harv2, timeout: 4m }\n');
    expect(plan.steps[0].action).toMatchObject({ graceSeconds: null, timeoutSeconds: 240 });
  });

  it('a drain without --timeout is refused: every wait has a limit', () => {
    expect(errorLines('name: d\nsteps:\n  - { step: node.drain, node: harv2 }\n')[0]).toMatch(
      /^plan\.yaml:3:5: steps\[0\]\.timeout: expected a Go duration/,
    );
  });

  it('a fault after a step the plan does not have', () => {
    const text = withFaults.replace('{ step: migrate, after: 20s }', '{ step: migrat, after: 20s }');
    expect(errorLines(text)).toEqual([
      'plan.yaml:21:19: faults[1].at.step: expected the id of a step of this plan, found "migrat"',
    ]);
  });

  it('steps-done on a step that is not in the background', () => {
    const text = withFaults.replace('    background: true\n', '');
    expect(errorLines(text)[0]).toMatch(
      /^plan\.yaml:\d+:\d+: steps\[2\]\.steps: expected the id of an earlier step with background: true, found "migrate"$/,
    );
  });

  it('force on disabling maintenance', () => {
    const text = withFaults.replace('action: enable', 'action: disable');
    expect(errorLines(text)[0]).toMatch(
      /steps\[3\]\.force: expected force only with action: enable, found force: true$/,
    );
  });

  it('an unknown fault', () => {
    const text = withFaults.replace('fault: node.power-loss', 'fault: node.meteor');
    expect(errorLines(text)[0]).toMatch(
      /^plan\.yaml:20:23: faults\[0\]\.fault: expected one of "node\.power-loss", /,
    );
  });

  it('a fault on a node the scenario does not have is found by the scenario check', () => {
    const scenario = loadScenario(new URL('../../scenarios/seed-witness.yaml', import.meta.url).pathname);
    const plan = parse(withFaults.replace('node: harv41, bandwidth', 'node: harv99, bandwidth'));
    expect(() => checkPlanAgainstScenario(plan, scenario)).toThrow(
      /^plan\.yaml:22:57: faults\[2\]\.node: expected a node declared in .*seed-witness\.yaml, found "harv99"$/,
    );
  });
});
