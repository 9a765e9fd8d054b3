/**
 * `harvester-sim check`: every contrast plan's problem is found before anything runs, and the KB plan
 * on its own cluster is flagged only for what is real (deleting the etcd static pod moves nothing).
 * Each rule is named for the KB sentence it enforces.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../src/check/check.ts';
import type { CheckReport } from '../../src/check/problem.ts';
import { KB, KB_PROCEDURE } from '../../src/evaluate/kb-sentences.ts';
import { loadPlan, parsePlan } from '../../src/plan/format/load.ts';
import { loadScenario, parseScenario } from '../../src/scenario/load.ts';

const root = new URL('../../', import.meta.url).pathname;
const witness = loadScenario(`${root}scenarios/seed-witness.yaml`);
const plan = (name: string) => loadPlan(`${root}scenarios/plans/${name}.yaml`);
const rules = (report: CheckReport) => report.problems.map((p) => `${p.stepId}: ${p.rule}`);
const kbText = readFileSync(`${root}scenarios/plans/kb-shutdown-restart.yaml`, 'utf8');

describe('check: the KB plan on seed-witness', () => {
  it('flags only the delete-pod step: "kubectl delete pod etcd-<witness>" does not move leadership (etcd is a static pod, controlplane.md §8 S1)', () => {
    const report = checkPlan(witness, plan('kb-shutdown-restart'));
    expect(rules(report)).toEqual(['7-etcd.move-leader: etcd.delete-pod-does-not-move-leader']);
    expect(report.problems[0].source).toContain(KB.leaderOnControlPlane);
  });

  it('passes with etcdctl move-leader instead of the pod delete', () => {
    const fixed = parsePlan(kbText.replace('method: delete-pod', 'method: etcdctl'), 'kb-etcdctl.yaml');
    expect(checkPlan(witness, fixed).problems).toEqual([]);
  });

  it('computes quorum at every step: 2 of 3 etcd members form a quorum; after the etcd shutdown none is on', () => {
    const report = checkPlan(witness, plan('kb-shutdown-restart'));
    const at = (id: string) => report.steps.find((s) => s.stepId === id);
    expect(at('shutdown-etcd-members')).toMatchObject({ etcdMembersOn: 0, etcdMembers: 3, quorum: false });
    expect(at('power-on-last-shut-down')).toMatchObject({
      etcdMembersOn: 1,
      quorum: false,
      apiAndVip: false,
    });
    expect(at('power-on-etcd-members')).toMatchObject({ etcdMembersOn: 3, quorum: true, apiAndVip: true });
  });
});

describe('check: every contrast plan is flagged before it runs', () => {
  const cases: [string, string, string][] = [
    [
      'forget-scale-available',
      '2-rancher.disconnect: rancher.scale-available-not-cleared',
      KB.scaleAvailable,
    ],
    ['leader-on-witness', '5-etcd.move-leader: etcd.leader-to-witness', KB.leaderOnControlPlane],
    ['leader-on-witness', 'vip-after-first-node: vip.continuity', KB.vip],
    ['nodes-only', '0-node.shutdown: kb.vms-running-at-shutdown', KB.stopWorkloads],
    ['nodes-only', '0-node.shutdown: rancher.machines-stopped-while-connected', KB.rancherReplacesVms],
    ['power-off-all', '0-node.shutdown: kb.brutal-power-off', KB.brutalPowerOff],
    ['power-off-all', '2-node.power-on: restart.order', KB.powerOnLastFirst],
    ['remove-import', '1-rancher.remove-import: rancher.remove-import', KB.removeImport],
    ['wrong-restart-order', '8-node.power-on: restart.workers-before-etcd', KB_PROCEDURE.etcdNodesFirst],
    ['wrong-restart-order', '10-node.power-on: restart.order', KB.powerOnLastFirst],
  ];
  for (const [name, rule, sentence] of cases) {
    it(`${name}: ${rule}`, () => {
      const report = checkPlan(witness, plan(name));
      expect(rules(report)).toContain(rule);
      const problem = report.problems.find((p) => `${p.stepId}: ${p.rule}` === rule);
      expect(problem?.source).toContain(sentence);
    });
  }

  it('"generate a support-bundle file before taking any actions": plans that start elsewhere are flagged at their first action', () => {
    for (const name of ['leader-on-witness', 'nodes-only', 'power-off-all', 'wrong-restart-order'])
      expect(rules(checkPlan(witness, plan(name)))).toContain(
        `0-${plan(name).steps[0].action.type}: kb.support-bundle-first`,
      );
  });
});

describe('check: addresses', () => {
  it('"If there is no fixed IP binding, when the server restarts after some days it may get a different IP": a DHCP node off longer than its lease', () => {
    const text = readFileSync(`${root}scenarios/seed-witness.yaml`, 'utf8').replace(
      'lease: 24h, fixedBinding: true',
      'lease: 1h, fixedBinding: false',
    );
    const scenario = parseScenario(text, 'dhcp-witness.yaml');
    const report = checkPlan(
      scenario,
      parsePlan(kbText.replace('method: delete-pod', 'method: etcdctl'), 'kb.yaml'),
    );
    // harv2 is off from the worker shutdown through the 12 h offline step: more than the 1 h lease.
    expect(rules(report)).toEqual(['power-on-workers: network.dhcp-binding']);
    expect(report.problems[0].source).toContain(KB.dhcpBinding);
  });
});

describe('check: maintenance-mode pre-checks (controlplane.md §5, harvester/docs:docs/host/host.md)', () => {
  const maintenance = (node: string) =>
    parsePlan(
      `name: m\nsteps:\n  - step: node.maintenance\n    node: ${node}\n    action: enable\n`,
      'm.yaml',
    );

  // The docs say maintenance is "not allowed with only 2 control-plane nodes"; the code decides:
  // DrainPossible (pkg/util/drainhelper/helper.go) counts nodes with the control-plane or, from
  // v1.3.0 (commit 52cf79ccd), the etcd label, and wants exactly defaultHACPCount = 3 available.
  it('DrainPossible from v1.3.0 counts the witness (etcd label): harv41 on seed-witness (v1.3.0) may enter maintenance', () => {
    expect(rules(checkPlan(witness, maintenance('harv41')))).toEqual([]);
  });

  it('DrainPossible up to v1.2.2 counts control-plane nodes only: 2 of the 3 required, harv41 is refused', () => {
    const older = { ...witness, harvesterVersion: '1.2.2' };
    expect(rules(checkPlan(older, maintenance('harv41')))).toEqual([
      '0-node.maintenance: maintenance.single-control-plane',
    ]);
  });

  it('another control-plane node in maintenance: "cannot place current node in maintenance mode" (2 of 3 available)', () => {
    const both = parsePlan(
      'name: m\nsteps:\n  - step: node.maintenance\n    node: harv41\n    action: enable\n  - step: node.maintenance\n    node: harv42\n    action: enable\n',
      'm.yaml',
    );
    expect(rules(checkPlan(witness, both))).toEqual([
      '1-node.maintenance: maintenance.another-control-plane',
    ]);
  });

  it('"Live migration is only permitted when the volume access mode is set to ReadWriteMany": a VM with a ReadWriteOnce disk blocks the drain', () => {
    const text = readFileSync(`${root}scenarios/seed-witness.yaml`, 'utf8').replace(
      '{ namespace: default, name: vm1-rootdisk, size: 6442450944, used: 3Gi, replicas: 3 }',
      '{ namespace: default, name: vm1-rootdisk, size: 6442450944, used: 3Gi, replicas: 3, accessMode: ReadWriteOnce }',
    );
    const report = checkPlan(parseScenario(text, 'rwo.yaml'), maintenance('harv41'));
    expect(rules(report)).toContain('0-node.maintenance: maintenance.non-migratable-vm');
    expect(report.problems.find((p) => p.rule === 'maintenance.non-migratable-vm')?.message).toContain(
      'default/vm1 on harv41',
    );
  });

  it('production-12node: draining worker-01 (3 control-plane nodes, ReadWriteMany disks) passes', () => {
    const production = loadScenario(`${root}scenarios/production-12node.yaml`);
    expect(checkPlan(production, plan('maintenance-drain')).problems).toEqual([]);
  });
});
