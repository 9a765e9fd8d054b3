import { describe, expect, it } from 'vitest';
import { checkPlanAgainstScenario } from '../../src/plan/format/check-against-scenario.ts';
import { parsePlan } from '../../src/plan/format/load.ts';
import { DocumentError } from '../../src/scenario/document-error.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import { minimalScenarioYaml } from '../scenario/minimal-scenario.ts';
import { minimalPlanYaml } from './minimal-plan.ts';

function errorLines(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DocumentError);
    return (error as DocumentError).message.split('\n');
  }
  throw new Error('expected a DocumentError');
}

const parse = (text: string) => () => parsePlan(text, 'plan.yaml');
const replace = (from: string, to: string) => {
  expect(minimalPlanYaml).toContain(from);
  return minimalPlanYaml.replace(from, to);
};

describe('plans', () => {
  it('parses the minimal plan into typed steps with seconds', () => {
    const plan = parsePlan(minimalPlanYaml, 'plan.yaml');
    expect(plan.steps.map((step) => step.action.type)).toEqual([
      'vm.stop',
      'node.shutdown',
      'etcd.move-leader',
      'wait-for',
      'sleep',
    ]);
    expect(plan.steps[0].waits).toEqual([
      { condition: { kind: 'no-vmis' }, timeoutSeconds: 600, pollSeconds: 5 },
    ]);
    expect(plan.steps[1].action).toEqual({
      type: 'node.shutdown',
      nodes: { kind: 'nodes', nodes: [{ kind: 'etcd-follower' }, { kind: 'name', name: 'node-1' }] },
      mode: 'graceful',
      order: 'sequential',
      waitEachDown: true,
    });
    expect(plan.steps[2].action).toEqual({
      type: 'etcd.move-leader',
      to: { kind: 'off-witness' },
      method: 'etcdctl',
    });
    expect(plan.steps[4].action).toEqual({ type: 'sleep', durationSeconds: 180 });
  });
});

describe('invalid plans give one clear line naming file, line, path, expected and found', () => {
  it('an unknown step', () => {
    const [line] = errorLines(parse(replace('step: sleep', 'step: vm.reboot')));
    expect(line).toMatch(
      /^plan\.yaml:16:11: steps\[4\]\.step: expected one of "support-bundle", "rancher\.disconnect", /,
    );
    expect(line).toMatch(/"sleep", found "vm\.reboot"$/);
  });

  it('a bad duration', () => {
    expect(errorLines(parse(replace('duration: 3m', 'duration: 3 minutes')))).toEqual([
      'plan.yaml:17:15: steps[4].duration: expected a Go duration such as "150s", "1h30m", "33.6h" or "300ms" (a bare number is seconds), found "3 minutes" (missing unit after "3")',
    ]);
  });

  it('a wait without a timeout', () => {
    expect(
      errorLines(parse(replace('{ condition: no-vmis, timeout: 10m }', '{ condition: no-vmis }'))),
    ).toEqual([
      'plan.yaml:6:9: steps[0].waitFor[0].timeout: expected a Go duration such as "150s", "1h30m" or a number of seconds, found nothing',
    ]);
  });

  it('a zero timeout: every wait has a limit, from 100ms (src/scenario/limits.ts)', () => {
    expect(errorLines(parse(replace('timeout: 15m', 'timeout: 0s')))).toEqual([
      'plan.yaml:15:14: steps[3].timeout: expected from 100ms to 7 days (168h), found "0s"',
    ]);
  });

  it('an unknown run-time node reference', () => {
    expect(errorLines(parse(replace("'@etcd-follower'", "'@etcd-candidate'")))).toEqual([
      'plan.yaml:8:13: steps[1].nodes[0]: expected a node name or one of "@etcd-leader", "@etcd-follower", "@witness", "@last-shut-down", found "@etcd-candidate"',
    ]);
  });

  it('a node step with no nodes', () => {
    expect(errorLines(parse(replace("    nodes: ['@etcd-follower', node-1]\n", '')))).toEqual([
      'plan.yaml:7:5: steps[1]: expected one of the fields node, nodes or group, found none of them',
    ]);
  });

  it('both nodes and group', () => {
    expect(errorLines(parse(replace('    mode: graceful', '    group: worker\n    mode: graceful')))).toEqual(
      [
        'plan.yaml:9:12: steps[1].group: expected only one of node, nodes or group (nodes is already given), found "worker"',
      ],
    );
  });

  it('a parameter the condition does not take', () => {
    expect(
      errorLines(
        parse(
          replace('{ condition: no-vmis, timeout: 10m }', '{ condition: no-vmis, group: all, timeout: 10m }'),
        ),
      ),
    ).toEqual([
      'plan.yaml:6:38: steps[0].waitFor[0].group: expected no parameters for condition "no-vmis", found field "group"',
    ]);
  });

  it('a wrong type', () => {
    expect(
      errorLines(
        parse(
          replace(
            '    vms: all\n    waitFor:\n      - { condition: no-vmis, timeout: 10m }',
            '    vms: all\n    waitFor: { condition: no-vmis, timeout: 10m }',
          ),
        ),
      ),
    ).toEqual(['plan.yaml:5:14: steps[0].waitFor: expected a list, found a mapping']);
  });

  it('an empty plan', () => {
    expect(errorLines(parse('name: empty\nsteps: []\n'))).toEqual([
      'plan.yaml:2:8: steps: expected at least 1 item, found a list of 0 items',
    ]);
  });
});

describe('checkPlanAgainstScenario', () => {
  const scenario = parseScenario(minimalScenarioYaml, 'minimal.yaml');

  it('accepts a plan whose nodes exist', () => {
    expect(() => checkPlanAgainstScenario(parsePlan(minimalPlanYaml, 'plan.yaml'), scenario)).not.toThrow();
  });

  it('names a node the scenario lacks, with the plan line', () => {
    const plan = parsePlan(replace('node-1]', 'node-9]'), 'plan.yaml');
    expect(errorLines(() => checkPlanAgainstScenario(plan, scenario))).toEqual([
      'plan.yaml:8:31: steps[1].nodes[1]: expected a node declared in minimal.yaml, found "node-9"',
    ]);
  });

  it('hints at "@" when a run-time word is written as a node name', () => {
    const plan = parsePlan(replace('node-1]', 'etcd-leader]'), 'plan.yaml');
    expect(errorLines(() => checkPlanAgainstScenario(plan, scenario))).toEqual([
      'plan.yaml:8:31: steps[1].nodes[1]: expected a node declared in minimal.yaml (did you mean "@etcd-leader"?), found "etcd-leader"',
    ]);
  });

  it('accepts off-witness on a cluster without a witness (a no-op) but refuses shutting down @witness', () => {
    const noWitness = parseScenario(
      `${minimalScenarioYaml.split('  - name: node-3')[0].replace('vms:', '')}  - name: node-3
    role: management
    cpu: 4
    memory: 8Gi
    disks: [{ name: sda, size: 100Gi }]
    ip: { mode: static, address: 10.0.0.3 }
`,
      'three.yaml',
    );
    expect(() => checkPlanAgainstScenario(parsePlan(minimalPlanYaml, 'plan.yaml'), noWitness)).not.toThrow();
    const plan = parsePlan(
      replace("nodes: ['@etcd-follower', node-1]", "nodes: ['@witness', node-1]"),
      'plan.yaml',
    );
    expect(errorLines(() => checkPlanAgainstScenario(plan, noWitness))).toEqual([
      'plan.yaml:8:13: steps[1].nodes[0]: expected a node the scenario has (three.yaml declares no witness), found "@witness"',
    ]);
  });

  it('refuses moving the etcd leader to a worker', () => {
    const withWorker = parseScenario(
      minimalScenarioYaml.replace(
        'vms:',
        '  - name: worker-1\n    role: worker\n    cpu: 8\n    memory: 32Gi\n    disks: [{ name: sda, size: 500Gi }]\n    ip: { mode: static, address: 10.0.0.4 }\nvms:',
      ),
      'worker.yaml',
    );
    const plan = parsePlan(replace('to: off-witness', 'to: worker-1'), 'plan.yaml');
    expect(errorLines(() => checkPlanAgainstScenario(plan, withWorker))).toEqual([
      'plan.yaml:11:9: steps[2].to: expected an etcd member (a management or witness node), found worker node "worker-1"',
    ]);
  });
});

describe('checkPlanAgainstScenario counts followers', () => {
  it('refuses more "@etcd-follower" in one step than the cluster has (3 members → 2 followers)', () => {
    const scenario = parseScenario(minimalScenarioYaml, 'minimal.yaml');
    const plan = parsePlan(
      replace("['@etcd-follower', node-1]", "['@etcd-follower', '@etcd-follower', '@etcd-follower']"),
      'plan.yaml',
    );
    expect(errorLines(() => checkPlanAgainstScenario(plan, scenario))).toEqual([
      'plan.yaml:8:49: steps[1].nodes[2]: expected at most 2 "@etcd-follower" in one step (minimal.yaml has 3 etcd members), found 3',
    ]);
  });
});
