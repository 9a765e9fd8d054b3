import { describe, expect, it } from 'vitest';
import { MemorySink, Simulation } from '../../sim/index.ts';
import { MAINTAIN_MODE_STRATEGY_LABEL } from '../../src/harvester/maintenance-defaults.ts';
import { MaintenanceController, type MaintenanceResult } from '../../src/harvester/maintenance-mode.ts';
import { EvacuationController } from '../../src/kubevirt/controller/evacuation.ts';
import { MigrationController } from '../../src/kubevirt/controller/migration-controller.ts';
import { kubevirtMigrationDefaults } from '../../src/profiles/kubevirt-migration-defaults.ts';
import { valuesOf } from '../../src/profiles/sourced.ts';
import {
  type FixedDurationOptions,
  FixedDurationWorld,
  recordsOf,
  type TestVmi,
  testVmi,
} from '../kubevirt/controller/fixed-duration-world.ts';

// Harvester maintenance mode: harvester/harvester:pkg/controller/master/nodedrain/nodedrain_controller.go
// (OnNodeChange, FindNonMigratableVMS), pkg/util/drainhelper/helper.go (grace 180 s, timeout 240 s,
// maintain-mode-strategy filter), pkg/controller/master/node/maintain_controller.go (10 s check);
// research/migration.md §5.

function setup(vmis: TestVmi[], options: Partial<FixedDurationOptions> = {}) {
  const sim = new Simulation({ seed: 7 });
  const sink = sim.trace.addSink(new MemorySink());
  const world = new FixedDurationWorld(sim, vmis, {
    nodes: ['n1', 'n2', 'n3'],
    migrationSeconds: 60,
    ...options,
  });
  const migrations = new MigrationController<TestVmi>(sim, {
    config: valuesOf(kubevirtMigrationDefaults()),
    hooks: world.hooks,
  });
  const evacuation = new EvacuationController(sim, migrations);
  const maintenance = new MaintenanceController(sim, world.world, evacuation);
  return { sim, sink, world, migrations, maintenance };
}

const rwoVm = testVmi('db', 'n1', {
  liveMigratable: false,
  notMigratableReason: 'DisksNotLiveMigratable',
  evictionStrategy: 'None',
});

describe('maintenance mode pre-check (nodedrain_controller.go FindNonMigratableVMS)', () => {
  it('a non-live-migratable VM with evictionStrategy None blocks maintenance and the reason is reported', () => {
    const { sim, sink, world, maintenance } = setup([rwoVm, testVmi('web', 'n1')]);
    const result = maintenance.enable('n1');
    sim.run({ until: 1000 });
    const value = result.value as MaintenanceResult;
    expect(value.outcome).toBe('blocked');
    const message =
      "enabling maintenance mode is impossible. Non-migratable VMs found: default/db cannot be migrated due to DisksNotLiveMigratable. Use 'force drain' to perform a collective shutdown";
    expect(value).toMatchObject({ message, vmis: [{ vmi: 'default/db', reason: 'DisksNotLiveMigratable' }] });
    const blocked = recordsOf(sink.records, 'maintenance.blocked');
    expect(blocked).toHaveLength(1);
    expect(blocked[0].data.message).toBe(message);
    // Nothing was cordoned, evicted, stopped or migrated.
    expect(world.cordoned.size).toBe(0);
    expect(world.stops).toEqual([]);
    expect(recordsOf(sink.records, 'migration.created')).toEqual([]);
  });

  it('forced: the non-migratable VM is shut down, the others migrate, maintenance completes', () => {
    const { sim, sink, world, maintenance } = setup([rwoVm, testVmi('web', 'n1')], { shutdownSeconds: 20 });
    const result = maintenance.enable('n1', { forced: true });
    sim.run({ until: 2000 });
    expect((result.value as MaintenanceResult).outcome).toBe('completed');
    expect(world.stops).toEqual([{ vmi: 'default/db', graceSeconds: undefined }]);
    expect(world.where.get('default/web')).not.toBe('n1');
    expect(recordsOf(sink.records, 'maintenance.completed')).toHaveLength(1);
  });
});

describe('drain (drainhelper DrainNode, KubeVirt eviction webhook)', () => {
  it('a migratable VM with evictionStrategy None is evicted and shut down with the 180 s grace period', () => {
    const vm = testVmi('batch', 'n1', { evictionStrategy: 'None' });
    const { sim, sink, world, maintenance } = setup([vm], { shutdownSeconds: 45 });
    maintenance.enable('n1');
    sim.run({ until: 1000 });
    expect(world.stops).toEqual([{ vmi: 'default/batch', graceSeconds: 180 }]);
    const eviction = recordsOf(sink.records, 'maintenance.eviction')[0];
    expect(eviction.data).toMatchObject({ action: 'shutdown', allowed: true });
  });

  it('LiveMigrate VMs are marked and migrated; the drain waits for them', () => {
    const vmis = [testVmi('a', 'n1'), testVmi('b', 'n1')];
    const { sim, sink, world, maintenance } = setup(vmis, { migrationSeconds: 59.5 });
    const result = maintenance.enable('n1');
    sim.run({ until: 1000 });
    expect((result.value as MaintenanceResult).outcome).toBe('completed');
    expect(world.cordoned.has('n1')).toBe(true);
    // Both fit under the outbound limit (2) and leave at 59.5 s; kubectl polls every 1 s: drained at 60 s.
    expect(recordsOf(sink.records, 'maintenance.drained')[0].timeSeconds).toBe(60);
    expect(recordsOf(sink.records, 'maintenance.eviction').map((r) => r.data.action)).toEqual([
      'migrate',
      'migrate',
    ]);
  });

  it('a drain longer than 240 s times out and is retried; the migrations carry on meanwhile', () => {
    const vmis = Array.from({ length: 12 }, (_, i) => testVmi(`vm${i + 1}`, 'n1'));
    const { sim, sink, maintenance } = setup(vmis, { migrationSeconds: 50 });
    const result = maintenance.enable('n1');
    sim.run({ until: 5000, maxEvents: 1_000_000 });
    expect((result.value as MaintenanceResult).outcome).toBe('completed');
    const timeouts = recordsOf(sink.records, 'maintenance.drain-timeout');
    expect(timeouts[0].timeSeconds).toBe(240);
    // 12 VMs, 2 at a time, 50 s each (pairs leave at 50, 100, 150, 200, 250, 300): 4 left at 240 s.
    expect(timeouts[0].data.remaining).toHaveLength(4);
    expect(timeouts[0].data.remaining.every((r: { action: string }) => r.action === 'migrate')).toBe(true);
    // The second drain starts after the rate limiter's 5 ms and polls every 1 s from there; the last
    // pair leaves at 300 s, seen by the poll at 240.005 + 60 s.
    const drained = recordsOf(sink.records, 'maintenance.drained');
    expect(drained[0].data.attempt).toBe(2);
    expect(drained[0].timeSeconds).toBeCloseTo(300.005, 6);
  });
});

describe('per-VM maintain-mode-strategy labels (drainhelper maintainModeStrategyFilter)', () => {
  it('Shutdown* VMs are stopped, skipped by the drain, and RestartAfterEnable ones start again', () => {
    const vmis = [
      testVmi('stop', 'n1', { labels: { [MAINTAIN_MODE_STRATEGY_LABEL]: 'Shutdown' } }),
      testVmi('restart', 'n1', {
        labels: { [MAINTAIN_MODE_STRATEGY_LABEL]: 'ShutdownAndRestartAfterEnable' },
      }),
      testVmi('move', 'n1', { labels: { [MAINTAIN_MODE_STRATEGY_LABEL]: 'Migrate' } }),
    ];
    const { sim, sink, world, maintenance } = setup(vmis, { shutdownSeconds: 25, migrationSeconds: 5 });
    const result = maintenance.enable('n1');
    sim.run({ until: 1000 });
    expect(world.stops.map((s) => s.vmi).sort()).toEqual(['default/restart', 'default/stop']);
    expect(recordsOf(sink.records, 'maintenance.eviction').map((r) => r.data.vmi)).toEqual(['default/move']);
    expect(result.value).toEqual({ outcome: 'completed', drainAttempts: 1, restarted: ['default/restart'] });
    expect(world.started).toEqual(['default/restart']);
  });

  it('the maintain controller re-checks every 10 s until no VMI is left', () => {
    const vmis = [testVmi('stop', 'n1', { labels: { [MAINTAIN_MODE_STRATEGY_LABEL]: 'Shutdown' } })];
    const { sim, sink, maintenance } = setup(vmis, { shutdownSeconds: 25 });
    maintenance.enable('n1');
    sim.run({ until: 1000 });
    // The drain has nothing to evict (drained at 0); the VM leaves at 25 s: checks at 0, 10, 20, 30.
    const checks = recordsOf(sink.records, 'maintenance.check').map((r) => [
      r.timeSeconds,
      r.data.remainingVmis,
    ]);
    expect(checks).toEqual([
      [0, 1],
      [10, 1],
      [20, 1],
      [30, 0],
    ]);
  });
});
