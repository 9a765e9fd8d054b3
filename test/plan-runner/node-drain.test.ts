/**
 * Draining as operators do it (issue 15 §6): `node.drain` is kubectl drain through KubeVirt's
 * pod-eviction webhook; `node.maintenance` is Harvester's maintenance mode with its pre-checks
 * (harvester/harvester:pkg/controller/master/nodedrain, pkg/util/drainhelper) and `force`.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.ts';
import { planFromData } from '../../src/plan/format/load.ts';
import { runPlan } from '../../src/plan/runner/runner.ts';
import type { EvictionStrategy } from '../../src/profiles/types.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import type { AccessMode, Scenario, ScenarioVm } from '../../src/scenario/types.ts';
import { select } from '../../src/trace/record.ts';

const file = (path: string) => new URL(`../../scenarios/${path}`, import.meta.url).pathname;
const seed = loadScenario(file('seed-witness.yaml'));

/** seed-witness with the named VMs moved onto `node`, each with an eviction strategy and access mode. */
function onNode(node: string, vms: Record<string, [EvictionStrategy, AccessMode]>): Scenario {
  const own = (vm: ScenarioVm) => vms[vm.name];
  return {
    ...seed,
    vms: seed.vms.map((vm) => (own(vm) ? { ...vm, nodeName: node, evictionStrategy: own(vm)[0] } : vm)),
    volumes: seed.volumes.map((volume) => {
      const vm = seed.vms.find(
        (v) => v.namespace === volume.namespace && v.volumeNames.includes(volume.name),
      );
      return vm !== undefined && own(vm) ? { ...volume, accessMode: own(vm)[1] } : volume;
    }),
  };
}

const plan = (steps: Record<string, unknown>[]) => planFromData({ name: 'drain', steps }, 'drain.yaml');
const evictions = (run: ReturnType<typeof runPlan>) =>
  Object.fromEntries(
    select(run.records, 'kubevirt', 'maintenance.eviction').map((r) => [r.data.vmi, r.data.action]),
  );

describe('node.drain: kubectl drain through the eviction webhook (pod-eviction-admitter.go)', () => {
  // The table: LiveMigrate migrates a live-migratable VM and blocks one that is not;
  // LiveMigrateIfPossible migrates or shuts down; None evicts (the pod is deleted).
  const table = onNode('harv2', {
    vm1: ['LiveMigrate', 'ReadWriteMany'],
    db1: ['LiveMigrate', 'ReadWriteOnce'],
    'rke2-prod-pool1-7d9f8-abcde': ['LiveMigrateIfPossible', 'ReadWriteOnce'],
    'rke2-prod-pool1-7d9f8-fghij': ['None', 'ReadWriteMany'],
    'rke2-prod-pool1-7d9f8-klmno': ['LiveMigrateIfPossible', 'ReadWriteMany'],
  });

  it('answers each VM per its evictionStrategy, and a blocked VM holds the drain until --timeout', () => {
    const run = runPlan(table, plan([{ step: 'node.drain', node: 'harv2', timeout: '2m' }]));
    expect(evictions(run)).toEqual({
      'default/vm1': 'migrate',
      'default/db1': 'block',
      'default/rke2-prod-pool1-7d9f8-abcde': 'shutdown',
      'default/rke2-prod-pool1-7d9f8-fghij': 'shutdown',
      'default/rke2-prod-pool1-7d9f8-klmno': 'migrate',
    });
    expect(run.ok).toBe(false);
    expect(run.reason).toBe('kubectl drain harv2 timed out after 120 s: default/db1 (block)');
    const [result] = select(run.records, 'kubevirt', 'drain.result');
    expect(result.timeSeconds - run.startSeconds).toBe(120);
    const findings = evaluate(run.records).findings;
    const timedOut = findings.find((f) => f.rule === 'drain.timed-out');
    expect(timedOut?.objects).toEqual(['node/harv2', 'vm/default/db1']);
    expect(timedOut?.detail).toMatch(/LiveMigrate on a VM that is not live-migratable/);
    const shutDown = findings.find((f) => f.rule === 'drain.vm-shut-down');
    expect(shutDown?.objects).toEqual([
      'node/harv2',
      'vm/default/rke2-prod-pool1-7d9f8-abcde',
      'vm/default/rke2-prod-pool1-7d9f8-fghij',
    ]);
    // The migrated ones run elsewhere; the cordoned node takes nothing back.
    const fleet = run.world.fleet;
    expect(fleet.get({ namespace: 'default', name: 'vm1' }).node).not.toBe('harv2');
    expect(fleet.get({ namespace: 'default', name: 'db1' }).node).toBe('harv2');
    expect(run.world.capacities().find((c) => c.name === 'harv2')?.unschedulableReason).toBe(
      'node(s) were unschedulable',
    );
  });

  it('an evicted VM with runStrategy Always starts again on another node; RerunOnFailure stays stopped', () => {
    const scenario = onNode('harv2', {
      vm1: ['None', 'ReadWriteMany'],
      db1: ['None', 'ReadWriteMany'],
    });
    const always: Scenario = {
      ...scenario,
      vms: scenario.vms.map((vm) => (vm.name === 'vm1' ? { ...vm, runStrategy: 'Always' } : vm)),
    };
    const run = runPlan(
      always,
      plan([
        { step: 'node.drain', node: 'harv2', timeout: '10m' },
        { step: 'sleep', duration: '5m' },
      ]),
    );
    expect(run.ok, run.reason).toBe(true);
    const vm1 = run.world.fleet.get({ namespace: 'default', name: 'vm1' });
    expect(vm1.phase).toBe('Running');
    expect(vm1.node).not.toBe('harv2');
    expect(run.world.fleet.get({ namespace: 'default', name: 'db1' }).phase).toBe('Stopped');
  });

  it('--grace-period bounds the guest shutdown: the pod is killed when it runs out', () => {
    // The guest shutdown is drawn with a median of 20 s (profiles guestShutdown); a 1 s grace ends
    // it first for every VM.
    const scenario = onNode('harv2', { vm1: ['None', 'ReadWriteMany'], db1: ['None', 'ReadWriteMany'] });
    const run = runPlan(
      scenario,
      plan([{ step: 'node.drain', node: 'harv2', gracePeriod: '1s', timeout: '1m' }]),
    );
    expect(run.ok, run.reason).toBe(true);
    const stopped = select(run.records, 'kubevirt', 'vm.phase').filter((r) => r.data.phase === 'Stopped');
    expect(stopped.map((r) => r.data.reason)).toEqual([
      'killed at the end of the grace period',
      'killed at the end of the grace period',
    ]);
    for (const r of stopped) expect(r.timeSeconds - run.startSeconds).toBe(1);
  });
});

describe("Harvester's node webhook on kubectl drain's cordon (validator.go validateCordonAndMaintenanceMode)", () => {
  it('"can\'t enable maintenance mode or cordon on the last available node": the drain evicts nothing', () => {
    const run = runPlan(
      seed,
      plan([
        { step: 'node.drain', node: 'harv41', timeout: '10m' },
        { step: 'node.drain', node: 'harv42', timeout: '10m' },
        { step: 'node.drain', node: 'harv43', timeout: '10m' },
        { step: 'node.drain', node: 'harv2', timeout: '10m' },
      ]),
    );
    expect(run.failedStep, run.reason).toBe(3);
    const [, , , last] = select(run.records, 'kubevirt', 'drain.result');
    expect(last.data).toMatchObject({ node: 'harv2', drained: false, evicted: [], remaining: [] });
    const refused = evaluate(run.records).findings.find((f) => f.rule === 'drain.refused');
    expect(refused?.detail).toMatch(/can't enable maintenance mode or cordon on the last available node$/);
    expect(run.world.fleet.all().filter((vm) => vm.node === 'harv2' && vm.phase === 'Running').length).toBe(
      5,
    );
  });
});

describe("node.maintenance: Harvester's pre-checks and force (nodedrain_controller.go)", () => {
  it('a non-migratable VM refuses maintenance unless forced; forced, it is shut down and maintenance completes', () => {
    const scenario = onNode('harv2', { db1: ['LiveMigrate', 'ReadWriteOnce'] });
    const refused = runPlan(scenario, plan([{ step: 'node.maintenance', node: 'harv2', action: 'enable' }]));
    expect(refused.ok).toBe(false);
    const blocked = evaluate(refused.records).findings.find((f) => f.rule === 'maintenance.blocked');
    expect(blocked?.objects).toContain('vm/default/db1');
    expect(blocked?.detail).toMatch(/default\/db1: DisksNotLiveMigratable/);

    const forced = runPlan(
      scenario,
      plan([{ step: 'node.maintenance', node: 'harv2', action: 'enable', force: true }]),
    );
    expect(forced.ok, forced.reason).toBe(true);
    const shutdown = select(forced.records, 'kubevirt', 'maintenance.shutdown').map((r) => r.data);
    expect(shutdown).toContainEqual({ node: 'harv2', vmi: 'default/db1', cause: 'forced' });
    expect(select(forced.records, 'kubevirt', 'maintenance.requested')[0].data.forced).toBe(true);
    expect(select(forced.records, 'kubevirt', 'maintenance.result')[0].data.outcome).toBe('completed');
  });

  it('another control-plane node already in maintenance refuses the next one (DrainPossible: 3 available)', () => {
    // seed-witness has 3 control-plane/etcd nodes (harv41, harv42, witness harv43): one may go.
    const run = runPlan(
      seed,
      plan([
        { step: 'node.maintenance', node: 'harv41', action: 'enable' },
        { step: 'node.maintenance', node: 'harv42', action: 'enable' },
      ]),
    );
    expect(run.failedStep).toBe(1);
    const blocked = evaluate(run.records).findings.find((f) => f.rule === 'maintenance.blocked');
    expect(blocked?.title).toMatch(
      /^maintenance of harv42 refused: another controlplane is already in maintenance mode/,
    );
    expect(blocked?.objects).toEqual(['node/harv42']);
  });

  it('a single control-plane cluster never puts its control plane in maintenance (defaultSingleCPCount)', () => {
    const single: Scenario = {
      ...seed,
      nodes: seed.nodes
        .filter((n) => n.role !== 'witness')
        .map((n) => (n.name === 'harv42' ? { ...n, role: 'worker' } : n)),
    };
    const run = runPlan(
      single,
      plan([{ step: 'node.maintenance', node: 'harv41', action: 'enable', force: true }]),
    );
    expect(run.ok).toBe(false);
    expect(run.reason).toMatch(/single controlplane cluster, cannot place controlplane in maintenance mode/);
  });

  it('a VM whose volume has its last healthy replica on the node refuses maintenance, naming the volume', () => {
    // listVolumeNames: "identify volumes with only 1 working replica which is currently on the node".
    const oneReplica: Scenario = {
      ...seed,
      volumes: seed.volumes.map((v) =>
        v.name === 'vm1-rootdisk' && v.provisioner.kind === 'longhorn'
          ? { ...v, provisioner: { ...v.provisioner, replicas: 1 } }
          : v,
      ),
    };
    const probe = runPlan(oneReplica, plan([{ step: 'sleep', duration: '1s' }]));
    const [replica] = probe.world.longhorn.replicas('default/vm1-rootdisk');
    const holder = replica.node as string;
    const run = runPlan(oneReplica, plan([{ step: 'node.maintenance', node: holder, action: 'enable' }]));
    expect(run.ok).toBe(false);
    const blocked = evaluate(run.records).findings.find((f) => f.rule === 'maintenance.blocked');
    expect(blocked?.objects).toContain('vm/default/vm1');
    expect(blocked?.detail).toContain('default/vm1: LastHealthyReplica (volume default/vm1-rootdisk)');
  });

  it('a VM no other Ready, schedulable node can take refuses maintenance (NodeSchedulingRequirementsNotMet)', () => {
    // Every other node cordoned by kubectl drain first. The witness too: the upstream check looks
    // at Ready and unschedulable only, not at taints, so an uncordoned witness would count.
    const scenario = onNode('harv2', {});
    const run = runPlan(
      scenario,
      plan([
        { step: 'node.drain', node: 'harv41', timeout: '10m' },
        { step: 'node.drain', node: 'harv42', timeout: '10m' },
        { step: 'node.drain', node: 'harv43', timeout: '10m' },
        { step: 'node.maintenance', node: 'harv2', action: 'enable' },
      ]),
    );
    expect(run.failedStep, run.reason).toBe(3);
    const blocked = evaluate(run.records).findings.find((f) => f.rule === 'maintenance.blocked');
    const onHarv2 = run.world.fleet.all().filter((vm) => vm.node === 'harv2' && vm.phase === 'Running');
    expect(onHarv2.length).toBeGreaterThan(0);
    for (const vm of onHarv2)
      expect(blocked?.detail).toContain(`${vm.key}: NodeSchedulingRequirementsNotMet`);
  });
});
