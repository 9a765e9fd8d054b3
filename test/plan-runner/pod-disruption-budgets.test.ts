/**
 * PodDisruptionBudgets in drains (issue 15 §6): kubectl drain's evictions go through the eviction
 * API, which answers 429 while a budget allows no disruption (kubernetes/kubernetes:
 * pkg/registry/core/pod/storage/eviction.go); kubectl retries every 5 s until --timeout
 * (kubernetes/kubectl:pkg/drain/drain.go). The budgets: Longhorn's on each instance manager
 * (longhorn/longhorn-manager:controller/instance_manager_controller.go, node-drain-policy), and
 * the scenario's own over VMs' launcher pods.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import { planFromData } from '../../src/plan/format/load.ts';
import { runPlan } from '../../src/plan/runner/runner.ts';
import type { NodeDrainPolicy } from '../../src/profiles/types.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { select } from '../../src/trace/record.ts';

const file = (path: string) => new URL(`../../scenarios/${path}`, import.meta.url).pathname;
const seed = loadScenario(file('seed-witness.yaml'));
/** Budget refusals of a run that name the volume. */
const refusalsFor = (run: ReturnType<typeof runPlan>, volume: string) =>
  select(run.records, 'kubevirt', 'drain.pdb-refused').filter((r) =>
    r.data.objects.includes(`volume/${volume}`),
  );
const plan = (steps: Record<string, unknown>[]) => planFromData({ name: 'pdb', steps }, 'pdb.yaml');

/** seed-witness with vm1's root disk on one replica, and the given node-drain-policy. */
function oneReplica(policy: NodeDrainPolicy): Scenario {
  return {
    ...seed,
    settings: { ...seed.settings, longhorn: { ...seed.settings.longhorn, nodeDrainPolicy: policy } },
    volumes: seed.volumes.map((v) =>
      v.name === 'vm1-rootdisk' && v.provisioner.kind === 'longhorn'
        ? { ...v, provisioner: { ...v.provisioner, replicas: 1 } }
        : v,
    ),
  };
}

/** The node holding vm1-rootdisk's only replica. */
function holder(scenario: Scenario): string {
  const probe = runPlan(scenario, plan([{ step: 'sleep', duration: '1s' }]));
  return probe.world.longhorn.replicas('default/vm1-rootdisk')[0].node as string;
}

/** vm1 stopped (its volume detaches), a minute later `kubectl drain` of `node` with a 1 min timeout. */
const stopThenDrain = (node: string) =>
  plan([
    { step: 'vm.stop', vms: { names: ['default/vm1'] } },
    { step: 'sleep', duration: '1m' },
    { step: 'node.drain', node, timeout: '1m' },
  ]);

describe("Longhorn's instance-manager PodDisruptionBudget (canDeleteInstanceManagerPDB, node-drain-policy)", () => {
  it('block-if-contains-last-replica (the default): the drain of the node with the last healthy replica is refused until --timeout, naming budget and volume', () => {
    const scenario = oneReplica('block-if-contains-last-replica');
    const node = holder(scenario);
    const run = runPlan(scenario, stopThenDrain(node));
    expect(run.ok).toBe(false);
    const [refusal] = refusalsFor(run, 'default/vm1-rootdisk');
    expect(refusal.data.message).toContain(
      'node-drain-policy block-if-contains-last-replica: the node holds the last healthy replica',
    );
    const [result] = select(run.records, 'kubevirt', 'drain.result');
    expect(result.data.drained).toBe(false);
    expect(result.data.blockedByPdb?.map((b) => b.objects)).toEqual([['volume/default/vm1-rootdisk']]);
    const refused = select(run.records, 'kubevirt', 'drain.pdb-refused');
    expect(refused[0].data.message).toMatch(
      /^Cannot evict pod as it would violate the pod's disruption budget\./,
    );
    const finding = evaluate(run.records).findings.find((f) => f.rule === 'drain.blocked-by-pdb');
    expect(finding?.severity).toBe('critical');
    expect(finding?.title).toContain(`longhorn-system/instance-manager (${node})`);
    expect(finding?.objects).toContain('volume/default/vm1-rootdisk');
  });

  it('allow-if-replica-is-stopped: "lets the drain through when the last replica is stopped" (volume detached), not while it runs', () => {
    const scenario = oneReplica('allow-if-replica-is-stopped');
    const node = holder(scenario);
    const stopped = runPlan(scenario, stopThenDrain(node));
    expect(refusalsFor(stopped, 'default/vm1-rootdisk')).toEqual([]);
    const [drainedStopped] = select(stopped.records, 'kubevirt', 'drain.result');
    expect(drainedStopped.data.blockedByPdb ?? []).toEqual([]);

    const running = runPlan(scenario, plan([{ step: 'node.drain', node, timeout: '1m' }]));
    const [result] = select(running.records, 'kubevirt', 'drain.result');
    expect(result.data.blockedByPdb?.flatMap((b) => b.objects)).toContain('volume/default/vm1-rootdisk');
  });

  it('always-allow: the budget is deleted as soon as no engine runs on the node ("risks data loss")', () => {
    const scenario = oneReplica('always-allow');
    const node = holder(scenario);
    const run = runPlan(scenario, stopThenDrain(node));
    expect(refusalsFor(run, 'default/vm1-rootdisk')).toEqual([]);
  });

  it("Harvester's maintenance drain goes through the same budget: each 240 s attempt times out, one finding names it", () => {
    const scenario = oneReplica('block-if-contains-last-replica');
    const node = holder(scenario);
    const run = runPlan(
      scenario,
      plan([
        { step: 'vm.stop', vms: { names: ['default/vm1'] } },
        { step: 'sleep', duration: '1m' },
        { step: 'node.maintenance', node, action: 'enable' },
      ]),
    );
    const timeouts = select(run.records, 'kubevirt', 'maintenance.drain-timeout');
    expect(timeouts.length).toBeGreaterThan(1);
    expect(timeouts[0].data.blockedByPdb?.flatMap((b) => b.objects)).toContain('volume/default/vm1-rootdisk');
    const findings = evaluate(run.records).findings.filter((f) => f.rule === 'maintenance.blocked-by-pdb');
    expect(findings.length).toBe(1);
    expect(findings[0].objects).toEqual([`node/${node}`, 'volume/default/vm1-rootdisk']);
  });

  it('three replicas: a healthy replica on another schedulable node lets the budget go', () => {
    const scenario = { ...seed };
    const run = runPlan(scenario, stopThenDrain('harv41'));
    expect(refusalsFor(run, 'default/vm1-rootdisk')).toEqual([]);
  });
});

describe('podDisruptionBudgets of the scenario over launcher pods (eviction.go checkAndDecrement)', () => {
  /** The three Rancher machine VMs (label harvesterhci.io/creator) on harv2, evictionStrategy None. */
  function machines(minAvailable: number): Scenario {
    const machine = (name: string) => name.startsWith('rke2-prod-pool1');
    return {
      ...seed,
      vms: seed.vms.map((vm) =>
        machine(vm.name) ? { ...vm, nodeName: 'harv2', evictionStrategy: 'None' as const } : vm,
      ),
      podDisruptionBudgets: [
        {
          namespace: 'default',
          name: 'rke2-prod-pool1',
          matchLabels: { 'harvesterhci.io/creator': 'docker-machine-driver-harvester' },
          minAvailable,
        },
      ],
    };
  }

  it('"needs 3 healthy pods and has 3 currently": no eviction passes, the drain names the budget and each VM', () => {
    const run = runPlan(machines(3), plan([{ step: 'node.drain', node: 'harv2', timeout: '1m' }]));
    expect(run.ok).toBe(false);
    const [result] = select(run.records, 'kubevirt', 'drain.result');
    expect(result.data.evicted).toEqual([]);
    // Their volumes stay attached on harv2, so Longhorn's instance-manager budget holds as well.
    expect(result.data.blockedByPdb?.map((b) => b.pdb)).toEqual([
      'default/rke2-prod-pool1',
      'default/rke2-prod-pool1',
      'default/rke2-prod-pool1',
      'longhorn-system/instance-manager (harv2)',
    ]);
    expect(result.data.blockedByPdb?.[0].message).toContain(
      'The disruption budget rke2-prod-pool1 needs 3 healthy pods and has 3 currently',
    );
    const finding = evaluate(run.records).findings.find((f) => f.rule === 'drain.blocked-by-pdb');
    expect(finding?.objects).toContain('vm/default/rke2-prod-pool1-7d9f8-abcde');
  });

  it('minAvailable 2 of 3: one eviction passes (disruptionsAllowed 1), the next is refused while that pod terminates', () => {
    const run = runPlan(machines(2), plan([{ step: 'node.drain', node: 'harv2', timeout: '1m' }]));
    const [result] = select(run.records, 'kubevirt', 'drain.result');
    expect(result.data.evicted.length).toBe(1);
    const byUserBudget = result.data.blockedByPdb?.filter((b) => b.pdb === 'default/rke2-prod-pool1');
    expect(byUserBudget?.length).toBe(2);
  });
});

describe('DrainPossible per release (pkg/util/drainhelper/helper.go): check and run time agree', () => {
  it('v1.3.0 counts the witness: maintenance of harv41 on seed-witness is not refused by DrainPossible', () => {
    const run = runPlan(seed, plan([{ step: 'node.maintenance', node: 'harv41', action: 'enable' }]));
    const [requested] = select(run.records, 'kubevirt', 'maintenance.blocked');
    expect(requested?.data.message ?? '').not.toMatch(/draining of this node is not possible/);
    expect(select(run.records, 'kubevirt', 'maintenance.drain-started').length).toBeGreaterThan(0);
  });

  it('v1.2.2 counts control-plane nodes only: 2 available of 3 required, refused', () => {
    const older: Scenario = { ...seed, harvesterVersion: '1.2.2' };
    const run = runPlan(older, plan([{ step: 'node.maintenance', node: 'harv41', action: 'enable' }]));
    expect(run.ok).toBe(false);
    expect(run.reason).toMatch(/another controlplane is already in maintenance mode/);
  });
});
