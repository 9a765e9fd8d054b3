import { describe, expect, it } from 'vitest';
import { fixture, GiB, vm1 } from './cluster-fixture.ts';

// longhorn/longhorn-manager: controller/volume_controller.go replenishReplicas;
// scheduler/replica_scheduler.go CheckAndReuseFailedReplica, RequireNewReplica;
// controller/replica_controller.go CanStartRebuildingReplica. Harvester StorageClass staleReplicaTimeout "30" (minutes);
// replica-replenishment-wait-interval 600 s; engine-replica-timeout 8 s; rebuild stream ≈ 61.3 MB/s
// (LL#1948). Volume vol-1: 100 GiB nominal, 40 GiB written; vm-1 on n1 writes 1 MB/s.

const STREAM = 61.3e6;
const SETUP = 5;
const ACTUAL = 40 * GiB;

function outage(downSeconds: number, nodes = 3, harvesterVersion?: string) {
  const f = fixture({
    nodes,
    harvesterVersion,
    vms: [{ name: 'vm-1', node: 'n1', volumes: ['vol-1'], writeRate: '1MB/s' }],
  });
  f.at(100, () => f.model.nodePoweredOff('n2', 'power-loss'));
  f.at(100 + downSeconds, () => f.model.nodeReady('n2'));
  return f;
}

describe('three outage regimes on a 3-node cluster (docs/model/longhorn.md, "Replenishment")', () => {
  it('back within 600 s: the failed replica is reused; only the head and the outage writes move', () => {
    // Power loss at 100 s, replica failed at 108 s (engine-replica-timeout 8 s), node Ready at 400 s.
    const f = outage(300);
    f.sim.run({ until: 2000 });
    const failed = f.records('replica.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      timeSeconds: 108,
      data: { node: 'n2', reason: 'engine-replica-timeout' },
    });
    expect(f.records('replica.reused')[0]).toMatchObject({
      timeSeconds: 400,
      data: { failedForSeconds: 292 },
    });
    const started = f.records('rebuild.started');
    expect(started).toHaveLength(1);
    // Head at failure = 108 s × 1 MB/s; outage writes = 292 s × 1 MB/s (fast rebuild, LH 1.7.2).
    expect(started[0].data).toMatchObject({ kind: 'fast', destination: 'n2', bytesToSend: 400e6 });
    const completed = f.records('rebuild.completed')[0];
    expect(completed.timeSeconds).toBeCloseTo(400 + SETUP + 400e6 / STREAM, 6);
    expect(f.model.volumeRobustness('default/vol-1')).toBe('healthy');
  });

  it('600 s to 30 min: no eligible node, the volume stays degraded with no rebuild traffic, then reuses', () => {
    const f = outage(900); // back at 1000 s
    f.at(999, () => {
      expect(f.records('rebuild.started')).toHaveLength(0);
      expect(f.model.volumeRobustness('default/vol-1')).toBe('degraded');
      expect(f.model.degradedVolumes()).toEqual(['default/vol-1']);
    });
    f.sim.run({ until: 3000 });
    expect(f.records('replenish.waiting')[0].data.untilSeconds).toBe(708);
    // LH >= 1.7 prechecks: no replica CR without a disk candidate.
    expect(f.records('replica.unschedulable')[0]).toMatchObject({
      timeSeconds: 708,
      data: { reason: 'ReplicaSchedulingFailure', replicaCreated: false },
    });
    expect(f.records('replica.reused')[0].timeSeconds).toBe(1000);
    expect(f.records('rebuild.started')[0].data).toMatchObject({ kind: 'fast', bytesToSend: 1000e6 });
  });

  it('600 s to 30 min on LH <= 1.6: the pre-created CR lands on the returning node as a full rebuild', () => {
    const f = outage(900, 3, '1.3.1'); // Longhorn 1.6.2
    f.sim.run({ until: 3000 });
    expect(f.records('replica.created').filter((r) => r.data.reason === 'replenish')[0]).toMatchObject({
      timeSeconds: 708,
      data: { node: null },
    });
    expect(f.records('replica.reused')).toHaveLength(0);
    const started = f.records('rebuild.started')[0];
    expect(started).toMatchObject({
      timeSeconds: 1000,
      data: { kind: 'full', destination: 'n2', bytesToSend: ACTUAL },
    });
  });

  it('over 30 min: the failed replica is deleted at failedAt + 1800 s and the return is a full rebuild', () => {
    const f = outage(2400); // back at 2500 s
    f.sim.run({ until: 5000 });
    expect(f.records('replica.deleted')[0]).toMatchObject({
      timeSeconds: 108 + 1800,
      data: { reason: 'stale' },
    });
    const started = f.records('rebuild.started');
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({
      timeSeconds: 2500,
      data: { kind: 'full', destination: 'n2', bytesToSend: ACTUAL },
    });
    expect(f.records('rebuild.completed')[0].timeSeconds).toBeCloseTo(2500 + SETUP + ACTUAL / STREAM, 6);
  });
});

describe('new replica elsewhere: with ≥ 4 nodes a full rebuild starts at lastDegradedAt + 600 s (replica_scheduler.go timeToReplacementReplica)', () => {
  it('4 nodes: a full rebuild onto n4 starts at 108 + 600 s', () => {
    const f = outage(5000, 4);
    f.sim.run({ until: 3000 });
    const started = f.records('rebuild.started');
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({
      timeSeconds: 708,
      data: { kind: 'full', destination: 'n4', bytesToSend: ACTUAL },
    });
  });

  it('Harvester upgrades raise the wait to 1800 s (harvester/harvester:pkg/controller/master/upgrade/upgrade_controller.go)', () => {
    const f = outage(5000, 4);
    f.at(0, () => f.model.setUpgradeInProgress(true));
    f.sim.run({ until: 3000 });
    expect(f.records('rebuild.started')[0].timeSeconds).toBe(108 + 1800);
  });
});

describe('failure detection (LW 1.10 rebuilding doc; engine-replica-timeout, types/setting.go)', () => {
  it('a graceful shutdown fails replicas at once; power loss after engine-replica-timeout (8 s)', () => {
    const f = fixture();
    f.at(50, () => f.model.nodeShuttingDown('n2'));
    f.at(60, () => f.model.nodePoweredOff('n3', 'power-loss'));
    f.sim.run({ until: 100 });
    const failed = f.records('replica.failed').map((r) => [r.timeSeconds, r.data.node, r.data.reason]);
    expect(failed).toEqual([
      [50, 'n2', 'node-shutdown'],
      [68, 'n3', 'engine-replica-timeout'],
    ]);
  });

  it("losing the engine's node makes the volume unknown and is recorded", () => {
    const f = fixture();
    f.at(50, () => f.model.nodePoweredOff('n1', 'power-loss'));
    f.sim.run({ until: 100 });
    expect(f.model.volumeRobustness('default/vol-1')).toBe('unknown');
    expect(f.records('volume.attached-at-power-off')[0].data).toEqual({
      volume: 'default/vol-1',
      node: 'n1',
      mode: 'power-loss',
    });
  });

  it('the VM restarts elsewhere while n1 is down: its replica fails at attach and the volume degrades', () => {
    const f = fixture();
    f.at(50, () => f.model.nodePoweredOff('n1', 'power-loss'));
    f.at(350, () => f.model.vmStopped(vm1, 'n1', 'force-reset'));
    f.at(360, () => f.model.vmStarted(vm1, 'n2'));
    f.sim.run({ until: 400 });
    expect(f.records('replica.failed')[0]).toMatchObject({
      timeSeconds: 360,
      data: { node: 'n1', reason: 'node-down-at-attach' },
    });
    expect(f.model.volumeRobustness('default/vol-1')).toBe('degraded');
  });
});

describe('detached volumes never rebuild (replenishReplicas skips them; offline-replica-rebuilding is off by default)', () => {
  it('a stopped VM: the volume is detached/unknown and nothing rebuilds across a 2-hour outage', () => {
    const f = fixture({ nodes: 4 });
    f.at(10, () => f.model.vmStopped(vm1, 'n1', 'stopped'));
    f.at(100, () => f.model.nodePoweredOff('n2', 'graceful'));
    f.at(7300, () => f.model.nodeReady('n2'));
    f.sim.run({ until: 10_000 });
    expect(f.model.allVolumesDetached()).toBe(true);
    expect(f.model.attachedVolumes()).toEqual([]);
    expect(f.model.volumeRobustness('default/vol-1')).toBe('unknown');
    expect(f.records('replica.failed')).toHaveLength(0);
    expect(f.records('rebuild.started')).toHaveLength(0);
  });
});

describe('rebuild concurrency', () => {
  const volumes = Array.from({ length: 7 }, (_, i) => ({ name: `vol-${i}`, size: '10Gi', used: '1Gi' }));
  const vms = volumes.map((v, i) => ({ name: `vm-${i}`, node: 'n1', volumes: [v.name] }));
  // n4's disk is half full of other data, so every volume starts on n1-n3 (most usable space wins)
  // and every rebuild after losing n2 lands on n4.
  const options = { diskOtherUsedBytes: { 'n4/data': 1024 * GiB } };

  it('at most concurrent-replica-rebuild-per-node-limit (5) rebuilds run on one destination node', () => {
    const f = fixture({ nodes: 4, volumes, vms, options });
    f.at(100, () => f.model.nodePoweredOff('n2', 'power-loss'));
    f.sim.run({ until: 3000 });
    const started = f.records('rebuild.started');
    expect(started).toHaveLength(7);
    expect(started.filter((r) => r.timeSeconds === 708)).toHaveLength(5);
    expect(f.records('rebuild.queued').filter((r) => r.timeSeconds === 708)).toHaveLength(2);
    // Each stream is capped at 61.3 MB/s; 5 × 61.3 MB/s fits the 10 Gbps NIC and 2 GB/s disk.
    const firstDone = 708 + SETUP + GiB / STREAM;
    expect(started[5].timeSeconds).toBeCloseTo(firstDone, 6);
    expect(started[6].timeSeconds).toBeCloseTo(firstDone, 6);
  });

  it('a limit of 1 serialises them; 0 disables rebuilding', () => {
    const one = fixture({
      nodes: 4,
      volumes,
      vms,
      options,
      settings: { concurrentReplicaRebuildPerNodeLimit: 1 },
    });
    one.at(100, () => one.model.nodePoweredOff('n2', 'power-loss'));
    one.sim.run({ until: 800 });
    expect(one.model.rebuildingVolumes()).toHaveLength(1);
    const zero = fixture({
      nodes: 4,
      volumes,
      vms,
      options,
      settings: { concurrentReplicaRebuildPerNodeLimit: 0 },
    });
    zero.at(100, () => zero.model.nodePoweredOff('n2', 'power-loss'));
    zero.sim.run({ until: 3000 });
    expect(zero.records('rebuild.started')).toHaveLength(0);
  });

  it('at most one rebuild per volume: a second failed replica waits for the first rebuild', () => {
    const f = fixture({ nodes: 5 });
    f.at(100, () => f.model.nodePoweredOff('n2', 'power-loss'));
    f.at(100, () => f.model.nodePoweredOff('n3', 'power-loss'));
    f.sim.run({ until: 5000 });
    const started = f.records('rebuild.started');
    expect(started).toHaveLength(2);
    expect(started[0].timeSeconds).toBe(708);
    expect(started[1].timeSeconds).toBeCloseTo(708 + SETUP + ACTUAL / STREAM, 6);
  });
});

describe('cordon and drain (disable-scheduling-on-cordoned-node; LW archives/1.9.0/maintenance/maintenance.md)', () => {
  it('drained replicas fail at once and are reused only after uncordon', () => {
    const f = fixture();
    f.at(50, () => f.model.nodeCordoned('n2', true));
    f.at(60, () => f.model.nodeDrained('n2'));
    f.at(300, () => f.model.nodeCordoned('n2', false));
    f.sim.run({ until: 1000 });
    expect(f.records('replica.failed')[0]).toMatchObject({ timeSeconds: 60, data: { node: 'n2' } });
    // Within the wait interval (60 + 600 s) and uncordoned at 300 s: reused then, not before.
    expect(f.records('replica.reused')[0].timeSeconds).toBe(300);
  });

  it('a replica on a node still cordoned after the wait interval is not reused; with 4 nodes a new one goes elsewhere', () => {
    const f = fixture({ nodes: 4 });
    f.at(50, () => f.model.nodeCordoned('n2', true));
    f.at(60, () => f.model.nodeDrained('n2'));
    f.sim.run({ until: 1000 });
    expect(f.records('replica.reused')).toHaveLength(0);
    expect(f.records('rebuild.started')[0]).toMatchObject({
      timeSeconds: 660,
      data: { destination: 'n4', kind: 'full' },
    });
  });
});

describe('faulted volumes and auto-salvage (volume_controller.go; auto-salvage true)', () => {
  it('every replica failed → faulted; the first node back is salvaged without a rebuild', () => {
    // 4 nodes, the VM (engine) on n4, replicas on n1-n3; all three lose power at 100 s.
    const f = fixture({
      nodes: 4,
      vms: [{ name: 'vm-1', node: 'n4', volumes: ['vol-1'], writeRate: '1MB/s' }],
    });
    expect(f.model.replicas('default/vol-1').map((r) => r.node)).toEqual(['n1', 'n2', 'n3']);
    for (const node of ['n1', 'n2', 'n3']) f.at(100, () => f.model.nodePoweredOff(node, 'power-loss'));
    f.at(200, () => expect(f.model.volumeRobustness('default/vol-1')).toBe('faulted'));
    f.at(500, () => f.model.nodeReady('n2'));
    f.sim.run({ until: 1200 });
    expect(f.records('volume.salvaged')[0]).toMatchObject({
      timeSeconds: 500,
      data: { replicas: ['vol-1-r-1'] },
    });
    const robustness = f.records('volume.robustness').map((r) => [r.timeSeconds, r.data.robustness]);
    expect(robustness).toContainEqual([108, 'faulted']);
    expect(robustness).toContainEqual([500, 'degraded']);
    // Degraded again from 500 s: a new replica on n4 (the only unused Ready node) at 500 + 600 s.
    expect(f.records('rebuild.started')[0]).toMatchObject({
      timeSeconds: 1100,
      data: { destination: 'n4', kind: 'full' },
    });
  });
});

describe('the world reports the VMI lost before the power-off (src/world/world.ts onPoweredOff)', () => {
  it('vmStopped(node-lost) then nodePoweredOff still records the volume attached at power-off', () => {
    const f = fixture();
    f.at(50, () => {
      f.model.vmStopped(vm1, 'n1', 'node-lost');
      f.model.nodePoweredOff('n1', 'graceful');
    });
    f.sim.run({ until: 100 });
    expect(f.records('volume.attached-at-power-off').map((r) => [r.timeSeconds, r.data])).toEqual([
      [50, { volume: 'default/vol-1', node: 'n1', mode: 'graceful' }],
    ]);
    expect(f.model.volumeState('default/vol-1')).toBe('detached');
  });

  it('a node that comes back without a Ready change is found by the world probe', () => {
    let running = false;
    const f = fixture({ options: { nodeIsRunning: () => running } });
    f.at(100, () => f.model.nodePoweredOff('n2', 'power-loss'));
    f.at(200, () => f.model.nodePoweringOn('n2'));
    f.at(290, () => {
      running = true;
    });
    f.sim.run({ until: 400 });
    // Probed every 5 s from 200 s: first seen running at 290 s.
    expect(f.records('replica.reused')[0].timeSeconds).toBe(290);
  });
});

describe('longhorn-manager needs the Kubernetes API (controllers reconcile through it)', () => {
  it('no replacement while the API is down; it starts once the API serves again', () => {
    let api = true;
    const f = fixture({ nodes: 4, options: { controlPlaneAvailable: () => api } });
    f.at(100, () => {
      api = false;
      f.model.nodePoweredOff('n2', 'power-loss');
    });
    f.at(1000, () => {
      api = true;
    });
    f.sim.run({ until: 2000 });
    // The engine still fails the replica at 108 s; the new replica waits for the API (probe every 5 s).
    expect(f.records('replica.failed')[0].timeSeconds).toBe(108);
    expect(f.records('rebuild.started')[0].timeSeconds).toBeGreaterThanOrEqual(1000);
    expect(f.records('rebuild.started')[0].timeSeconds).toBeLessThan(1005);
  });
});

describe('offline-replica-rebuilding (LM types/setting.go: general from LH 1.9.0, default false)', () => {
  function stoppedDegraded(harvesterVersion: string, offlineRebuilding: boolean) {
    const f = fixture({ nodes: 4, harvesterVersion, options: { offlineRebuilding } });
    f.at(100, () => f.model.nodePoweredOff('n2', 'power-loss'));
    f.at(200, () => f.model.vmStopped(vm1, 'n1', 'stopped'));
    f.sim.run({ until: 5000 });
    return f;
  }

  it('off (the default): the detached, once-degraded volume does not rebuild', () => {
    expect(stoppedDegraded('1.6.0', false).records('rebuild.started')).toHaveLength(0);
  });

  it('on with LH 1.9 (Harvester 1.6.0): it rebuilds while detached; ignored before 1.9', () => {
    const on = stoppedDegraded('1.6.0', true);
    expect(on.records('rebuild.started')[0]).toMatchObject({
      timeSeconds: 200,
      data: { destination: 'n4', kind: 'full' },
    });
    expect(on.model.volumeState('default/vol-1')).toBe('detached');
    expect(stoppedDegraded('1.5.0', true).records('rebuild.started')).toHaveLength(0);
  });
});
