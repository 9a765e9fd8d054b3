import { describe, expect, it } from 'vitest';
import { MemorySink, Simulation } from '../../../sim/index.ts';
import { QUEUE_PRIORITY } from '../../../src/kubevirt/controller/defaults.ts';
import { EvacuationController } from '../../../src/kubevirt/controller/evacuation.ts';
import { MigrationController } from '../../../src/kubevirt/controller/migration-controller.ts';
import { kubevirtMigrationDefaults } from '../../../src/profiles/kubevirt-migration-defaults.ts';
import { valuesOf } from '../../../src/profiles/sourced.ts';
import {
  type FixedDurationOptions,
  FixedDurationWorld,
  peakConcurrency,
  recordsOf,
  type TestVmi,
  testVmi,
} from './fixed-duration-world.ts';

// Admission and queueing: kubevirt/kubevirt:pkg/virt-controller/watch/migration/migration.go
// (handleTargetPodCreation, findRunningMigrations, outboundMigrationsOnNode,
// getRequeueDelayForPriority, reEnqueueHighestPriorityPendingMigrations); research/migration.md §2.

function setup(vmis: TestVmi[], options: FixedDurationOptions, kubevirtVersion?: string) {
  const sim = new Simulation({ seed: 1 });
  const sink = sim.trace.addSink(new MemorySink());
  const world = new FixedDurationWorld(sim, vmis, options);
  const controller = new MigrationController<TestVmi>(sim, {
    config: valuesOf(kubevirtMigrationDefaults()),
    hooks: world.hooks,
    kubevirtVersion,
  });
  const evacuation = new EvacuationController(sim, controller);
  return { sim, sink, world, controller, evacuation };
}

function vmisOn(node: string, count: number, prefix = node): TestVmi[] {
  return Array.from({ length: count }, (_, i) =>
    testVmi(`${prefix}-vm${String(i + 1).padStart(2, '0')}`, node),
  );
}

function schedulingTimes(records: ReturnType<typeof recordsOf>, migration: string): number[] {
  return records
    .filter((r) => r.data.migration === migration && r.data.phase === 'Scheduling')
    .map((r) => r.timeSeconds);
}

describe('admission (handleTargetPodCreation)', () => {
  it('evacuating 12 VMs from one node never runs more than 2 outbound (parallelOutboundMigrationsPerNode)', () => {
    const { sim, sink, evacuation } = setup(vmisOn('n1', 12), {
      nodes: ['n1', 'n2', 'n3', 'n4'],
      migrationSeconds: 60,
    });
    const results = vmisOn('n1', 12).map((v) => evacuation.evacuate(v));
    sim.run({ until: 10_000, maxEvents: 1_000_000 });
    const peak = peakConcurrency(sink.records);
    expect(peak.perNode.get('n1')).toBe(2);
    expect(peak.cluster).toBe(2);
    expect(results.every((r) => r.triggered && (r.value as { evacuated: boolean }).evacuated)).toBe(true);
    // 12 VMs, 2 at a time, 60 s each, next pair admitted the instant a pair finishes: 6 × 60 s.
    const done = recordsOf(sink.records, 'evacuation.done').map((r) => r.timeSeconds);
    expect(Math.max(...done)).toBe(360);
  });

  it('never more than 5 in the cluster (parallelMigrationsPerCluster) when 3 nodes drain at once', () => {
    const vmis = [...vmisOn('n1', 4), ...vmisOn('n2', 4), ...vmisOn('n3', 4)];
    const { sim, sink, evacuation } = setup(vmis, {
      nodes: ['n1', 'n2', 'n3', 'n4', 'n5'],
      migrationSeconds: 45,
    });
    for (const v of vmis) evacuation.evacuate(v);
    sim.run({ until: 10_000, maxEvents: 1_000_000 });
    const peak = peakConcurrency(sink.records);
    expect(peak.cluster).toBe(5);
    for (const node of ['n1', 'n2', 'n3']) expect(peak.perNode.get(node)).toBeLessThanOrEqual(2);
    const refused = recordsOf(sink.records, 'migration.queued');
    expect(refused.some((r) => r.data.reason === 'cluster-limit')).toBe(true);
    expect(refused.some((r) => r.data.reason === 'node-limit')).toBe(true);
  });

  it('a refused VMIM stays Pending: no phase change until admitted', () => {
    const { sim, sink, controller } = setup(vmisOn('n1', 3), { nodes: ['n1', 'n2'], migrationSeconds: 100 });
    const vmis = vmisOn('n1', 3);
    for (const v of vmis) controller.create(v, { origin: 'user' });
    sim.run({ until: 50 });
    expect(controller.migrations.map((m) => m.phase)).toEqual(['Running', 'Running', 'Pending']);
    expect(controller.runningCount).toBe(2);
    expect(recordsOf(sink.records, 'migration.queued').every((r) => r.data.migration === 'vmim-3')).toBe(
      true,
    );
  });
});

describe('evacuation without the priority queue (evacuation.go sync @v1.6.0)', () => {
  it('creates VMIMs only into free slots: 2 at a time from one node, none refused, done at 6 × 60 s', () => {
    const { sim, sink, evacuation } = setup(
      vmisOn('n1', 12),
      { nodes: ['n1', 'n2', 'n3', 'n4'], migrationSeconds: 60 },
      'v1.6.0',
    );
    for (const v of vmisOn('n1', 12)) evacuation.evacuate(v);
    sim.run({ until: 10_000, maxEvents: 1_000_000 });
    const created = recordsOf(sink.records, 'migration.created').map((r) => r.timeSeconds);
    expect(created).toEqual([0, 0, 60, 60, 120, 120, 180, 180, 240, 240, 300, 300]);
    expect(recordsOf(sink.records, 'migration.queued')).toEqual([]);
    expect(peakConcurrency(sink.records).perNode.get('n1')).toBe(2);
    expect(Math.max(...recordsOf(sink.records, 'evacuation.done').map((r) => r.timeSeconds))).toBe(360);
  });

  it('counts only VMIMs past Pending as running, so nodes syncing at once over-create; admission holds at 5', () => {
    const vmis = [...vmisOn('n1', 2), ...vmisOn('n2', 2), ...vmisOn('n3', 2)];
    const { sim, sink, evacuation } = setup(
      vmis,
      { nodes: ['n1', 'n2', 'n3', 'n4'], migrationSeconds: 12 },
      'v1.6.0',
    );
    for (const v of vmis) evacuation.evacuate(v);
    sim.run({ until: 1000 });
    // The three node syncs run at t = 0 before any VMIM leaves Pending: each sees 5 free cluster
    // slots and 2 free node slots, so 6 VMIMs are created. Admission takes 5; the sixth (n3-vm02) is
    // refused (cluster limit), retried every 5 s without re-enqueue, and starts at t = 15.
    expect(recordsOf(sink.records, 'migration.created').filter((r) => r.timeSeconds === 0)).toHaveLength(6);
    const queued = recordsOf(sink.records, 'migration.queued');
    expect(queued.map((r) => [r.data.vmi, r.data.reason, r.timeSeconds])).toEqual([
      ['default/n3-vm02', 'cluster-limit', 0],
      ['default/n3-vm02', 'cluster-limit', 5],
      ['default/n3-vm02', 'cluster-limit', 10],
    ]);
    const phases = recordsOf(sink.records, 'migration.phase');
    expect(
      phases.find((r) => r.data.vmi === 'default/n3-vm02' && r.data.phase === 'Scheduling')?.timeSeconds,
    ).toBe(15);
    expect(peakConcurrency(sink.records).cluster).toBe(5);
  });
});

describe('requeue delays by priority (getRequeueDelayForPriority)', () => {
  const cases: [string, number, number][] = [
    ['system-critical (100) → 1 s', QUEUE_PRIORITY.systemCritical.value, 1],
    ['user-triggered (50) → 3 s', QUEUE_PRIORITY.userTriggered.value, 3],
    ['system-maintenance (20) → 5 s', QUEUE_PRIORITY.systemMaintenance.value, 5],
    ['default (0) → 5 s', QUEUE_PRIORITY.default.value, 5],
  ];
  it.each(cases)('%s', (_name, priority, delay) => {
    const vmis = vmisOn('n1', 3);
    const { sim, sink, controller } = setup(vmis, { nodes: ['n1', 'n2'], migrationSeconds: 100 });
    for (const v of vmis) controller.create(v, { origin: 'user', priority });
    sim.run({ until: 20 });
    const queued = recordsOf(sink.records, 'migration.queued').filter((r) => r.data.migration === 'vmim-3');
    const times = queued.map((r) => r.timeSeconds);
    const expected = Array.from({ length: Math.ceil(20 / delay) }, (_, i) => i * delay);
    expect(times).toEqual(expected);
    expect(queued.every((r) => r.data.delaySeconds === delay && r.data.reason === 'node-limit')).toBe(true);
  });

  it('without the priority queue (default before v1.9) every requeue is 5 s, whatever the priority', () => {
    const vmis = vmisOn('n1', 3);
    const { sim, sink, controller } = setup(vmis, { nodes: ['n1', 'n2'], migrationSeconds: 100 }, 'v1.6.0');
    for (const v of vmis)
      controller.create(v, { origin: 'evacuation', priority: QUEUE_PRIORITY.systemCritical.value });
    sim.run({ until: 12 });
    const times = recordsOf(sink.records, 'migration.queued').map((r) => r.timeSeconds);
    expect(times).toEqual([0, 5, 10]);
  });
});

describe('re-enqueue when one finishes (reEnqueueHighestPriorityPendingMigrations)', () => {
  it('a queued VMIM starts the instant a slot frees, not at its next 5 s requeue', () => {
    const vmis = vmisOn('n1', 3);
    const { sim, sink, controller } = setup(vmis, { nodes: ['n1', 'n2'], migrationSeconds: 7 });
    for (const v of vmis) controller.create(v, { origin: 'user' });
    sim.run({ until: 100 });
    expect(schedulingTimes(recordsOf(sink.records, 'migration.phase'), 'vmim-3')).toEqual([7]);
  });

  it('without the priority queue it waits for its own requeue (t = 10 s)', () => {
    const vmis = vmisOn('n1', 3);
    const { sim, sink, controller } = setup(vmis, { nodes: ['n1', 'n2'], migrationSeconds: 7 }, 'v1.6.0');
    for (const v of vmis) controller.create(v, { origin: 'user' });
    sim.run({ until: 100 });
    expect(schedulingTimes(recordsOf(sink.records, 'migration.phase'), 'vmim-3')).toEqual([10]);
  });

  it('the higher-priority Pending VMIM takes the freed slot first', () => {
    const vmis = vmisOn('n1', 4);
    const { sim, sink, controller } = setup(vmis, { nodes: ['n1', 'n2'], migrationSeconds: 7 });
    controller.create(vmis[0], { origin: 'user' });
    controller.create(vmis[1], { origin: 'user' });
    controller.create(vmis[2], { origin: 'user', priority: QUEUE_PRIORITY.default.value });
    controller.create(vmis[3], { origin: 'evacuation', priority: QUEUE_PRIORITY.systemCritical.value });
    // vmim-3 (priority 0, created first) and vmim-4 (priority 100) wait behind the node limit; both
    // running ones end at t = 7 and the re-enqueue syncs Pending VMIMs by priority: vmim-4 first.
    sim.run({ until: 100 });
    const order = recordsOf(sink.records, 'migration.phase')
      .filter((r) => r.data.phase === 'Scheduling' && r.timeSeconds === 7)
      .map((r) => r.data.migration);
    expect(order).toEqual(['vmim-4', 'vmim-3']);
  });
});

describe('phases (processMigrationPhase)', () => {
  it('Pending → Scheduling → Scheduled → PreparingTarget → TargetReady → Running → Succeeded', () => {
    const vm = testVmi('vm1', 'n1');
    const { sim, sink, controller } = setup([vm], {
      nodes: ['n1', 'n2'],
      migrationSeconds: 30,
      targetPodStartSeconds: 10,
    });
    const m = controller.create(vm, { origin: 'user' });
    sim.run({ until: 100 });
    const phases = recordsOf(sink.records, 'migration.phase').map((r) => [r.data.phase, r.timeSeconds]);
    expect(phases).toEqual([
      ['Pending', 0],
      ['Scheduling', 0],
      ['Scheduled', 10],
      ['PreparingTarget', 10],
      ['TargetReady', 10],
      ['Running', 10],
      ['Succeeded', 40],
    ]);
    expect(m.done.value).toEqual({ succeeded: true, reason: undefined, sourceNode: 'n1', targetNode: 'n2' });
    expect(controller.nodeOf(vm)).toBe('n2');
  });

  it('an unschedulable target pod fails the migration after 5 min (defaultUnschedulablePendingTimeoutSeconds)', () => {
    const vm = testVmi('vm1', 'n1');
    const { sim, sink, controller } = setup([vm], { nodes: ['n1'], migrationSeconds: 30 });
    const m = controller.create(vm, { origin: 'user' });
    sim.run({ until: 1000 });
    expect(m.phase).toBe('Failed');
    const failed = recordsOf(sink.records, 'migration.phase').find((r) => r.data.phase === 'Failed');
    expect(failed?.timeSeconds).toBe(300);
    expect(controller.runningCount).toBe(0);
  });

  it('a target pod still Pending 15 min after creation fails it (defaultCatchAllPendingTimeoutSeconds)', () => {
    const vm = testVmi('vm1', 'n1');
    const { sim, sink, controller } = setup([vm], {
      nodes: ['n1', 'n2'],
      migrationSeconds: 30,
      targetPodStartSeconds: 1000,
    });
    const m = controller.create(vm, { origin: 'user' });
    sim.run({ until: 2000 });
    expect(m.phase).toBe('Failed');
    expect(
      recordsOf(sink.records, 'migration.phase').find((r) => r.data.phase === 'Failed')?.timeSeconds,
    ).toBe(900);
  });

  it('resolves the MigrationPolicy at handoff and passes it to the migration model', () => {
    const vm = testVmi('vm1', 'n1', { labels: { workload: 'db' } });
    const sim = new Simulation();
    const world = new FixedDurationWorld(sim, [vm], { nodes: ['n1', 'n2'], migrationSeconds: 1 });
    const controller = new MigrationController<TestVmi>(sim, {
      config: valuesOf(kubevirtMigrationDefaults()),
      policies: [
        {
          name: 'db',
          selectors: { virtualMachineInstanceSelector: { workload: 'db' } },
          allowPostCopy: true,
        },
      ],
      hooks: world.hooks,
    });
    controller.create(vm, { origin: 'user' });
    sim.run({ until: 10 });
    expect(world.configs.get('default/vm1')).toMatchObject({
      policyName: 'db',
      allowPostCopy: true,
      allowWorkloadDisruption: true,
      completionTimeoutPerGiBSeconds: 150,
    });
  });

  it('a second in-flight VMIM for the same VMI is refused', () => {
    const vm = testVmi('vm1', 'n1');
    const { controller } = setup([vm], { nodes: ['n1', 'n2'], migrationSeconds: 30 });
    controller.create(vm, { origin: 'user' });
    expect(() => controller.create(vm, { origin: 'user' })).toThrow(/in-flight/);
  });
});

describe('evacuation retry backoff (handleMigrationBackoff)', () => {
  it('20 s after the first failure, doubling per consecutive failure, capped at 320 s by GC of 5 VMIMs', () => {
    const vm = testVmi('vm1', 'n1');
    const sim = new Simulation();
    const sink = sim.trace.addSink(new MemorySink());
    const world = new FixedDurationWorld(sim, [vm], {
      nodes: ['n1', 'n2'],
      migrationSeconds: 10,
      failure: () => 'migration aborted: progress timeout',
    });
    const controller = new MigrationController<TestVmi>(sim, {
      config: valuesOf(kubevirtMigrationDefaults()),
      hooks: world.hooks,
    });
    const evacuation = new EvacuationController(sim, controller, { maxAttemptsPerVmi: 7 });
    const result = evacuation.evacuate(vm);
    sim.run({ until: 5000 });
    const retries = recordsOf(sink.records, 'evacuation.retry');
    expect(retries.map((r) => r.data.backoffSeconds)).toEqual([20, 40, 80, 160, 320, 320]);
    expect(retries.map((r) => r.data.consecutiveFailures)).toEqual([1, 2, 3, 4, 5, 5]);
    // Each attempt fails 10 s after it starts; the next starts failure time + backoff:
    // 0 →F10 +20→ 30 →F40 +40→ 80 →F90 +80→ 170 →F180 +160→ 340 →F350 +320→ 670 →F680 +320→ 1000.
    const starts = recordsOf(sink.records, 'migration.phase')
      .filter((r) => r.data.phase === 'Scheduling')
      .map((r) => r.timeSeconds);
    expect(starts).toEqual([0, 30, 80, 170, 340, 670, 1000]);
    expect(result.value).toEqual({ evacuated: false, reason: 'gave up after 7 migrations', attempts: 7 });
  });

  it('user-created VMIMs get no backoff', () => {
    const vm = testVmi('vm1', 'n1');
    const { sim, sink, controller } = setup([vm], {
      nodes: ['n1', 'n2'],
      migrationSeconds: 10,
      failure: (_v, attempt) => (attempt === 1 ? 'aborted' : undefined),
    });
    const first = controller.create(vm, { origin: 'user' });
    sim.run({ until: 11 });
    expect(first.phase).toBe('Failed');
    controller.create(vm, { origin: 'user' });
    sim.run({ until: 100 });
    expect(recordsOf(sink.records, 'evacuation.retry')).toEqual([]);
  });
});
