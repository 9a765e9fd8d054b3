import { describe, expect, it } from 'vitest';
import { longhornModelParameters } from '../../src/longhorn/defaults.ts';
import { DiskInventory, type NodeStatus } from '../../src/longhorn/disk-inventory.ts';
import {
  initialReplica,
  type ManagerView,
  reconcileVolume,
  replenishmentRules,
  surplusReplica,
} from '../../src/longhorn/manager.ts';
import type { Replica } from '../../src/longhorn/replica.ts';
import { newVolume, type Volume } from '../../src/longhorn/volume.ts';
import { fixtureScenario } from './cluster-fixture.ts';

// The manager is longhorn-manager's volume controller as a pure function
// (longhorn/longhorn-manager:controller/volume_controller.go replenishReplicas, shouldCleanUpFailedReplica;
// scheduler/replica_scheduler.go). Harvester StorageClass staleReplicaTimeout "30" (minutes),
// replica-replenishment-wait-interval 600 s (longhorn/longhorn-manager:types/setting.go), Harvester
// upgrades 1800 s (harvester/harvester:pkg/controller/master/upgrade/upgrade_controller.go).

function cluster(nodeCount = 3, upgradeInProgress = false) {
  const scenario = fixtureScenario({ nodes: nodeCount });
  const parameters = longhornModelParameters(scenario.profile.components.longhorn);
  const settings = scenario.settings.longhorn;
  const nodes = new Map<string, NodeStatus>(
    scenario.nodes.map((spec) => [spec.name, { spec, ready: true, cordoned: false }]),
  );
  const v = newVolume(scenario.volumes[0], {}, 0);
  const volumes = new Map<string, Volume>([[v.key, v]]);
  const disks = new DiskInventory(nodes, volumes, settings, parameters, {});
  const view: ManagerView = {
    settings,
    parameters,
    rules: replenishmentRules(settings, parameters, undefined, upgradeInProgress),
    nodes,
    diskTags: {},
    schedulingDisks: (without) => disks.schedulingDisks(without),
  };
  return { v, view, nodes };
}

function replica(name: string, node: string, failedAtSeconds: number | null, retry = 0): Replica {
  return {
    name,
    volume: 'default/vol-1',
    node,
    disk: 'data',
    mode: failedAtSeconds === null ? 'RW' : 'ERR',
    failedAtSeconds,
    healthyAtSeconds: 0,
    rebuildRetryCount: retry,
    missedBytes: 0,
    headBytesAtFailure: 0,
    awaitingRebuild: false,
  };
}

/** An attached, degraded volume: r-0 on n1 and r-2 on n3 healthy, r-1 on n2 failed at 108 s. */
function degraded(nodeCount = 3, upgradeInProgress = false) {
  const c = cluster(nodeCount, upgradeInProgress);
  Object.assign(c.v, {
    state: 'attached',
    engineNode: 'n1',
    robustness: 'degraded',
    lastDegradedAtSeconds: 108,
  });
  c.v.replicas = [
    replica('vol-1-r-0', 'n1', null),
    replica('vol-1-r-1', 'n2', 108),
    replica('vol-1-r-2', 'n3', null),
  ];
  c.v.replicaSequence = 3;
  return c;
}

describe('reconcileVolume returns actions and requeue times; it changes nothing', () => {
  it('waits until lastDegradedAt + replica-replenishment-wait-interval (108 + 600 s) while the failed replica may come back', () => {
    const { v, view, nodes } = degraded(4);
    (nodes.get('n2') as NodeStatus).ready = false;
    const before = structuredClone({ ...v, writers: [], suspended: [] });
    const result = reconcileVolume(v, view, 200);
    expect(result.actions).toEqual([{ kind: 'wait', untilSeconds: 708 }]);
    // The stale deadline (108 + 1800 s) and the end of the wait.
    expect(result.requeueAtSeconds).toEqual([1908, 708]);
    expect({ ...v, writers: [], suspended: [] }).toEqual(before);
  });

  it('waits 1800 s instead during a Harvester upgrade', () => {
    const { v, view, nodes } = degraded(4, true);
    (nodes.get('n2') as NodeStatus).ready = false;
    expect(reconcileVolume(v, view, 200).actions).toEqual([{ kind: 'wait', untilSeconds: 108 + 1800 }]);
  });

  it('after the wait, creates a replacement on the free node (retry count at the limit, 5) and starts its rebuild', () => {
    const { v, view, nodes } = degraded(4);
    (nodes.get('n2') as NodeStatus).ready = false;
    const { actions } = reconcileVolume(v, view, 708);
    expect(actions.map((a) => a.kind)).toEqual(['create-replica', 'start-rebuild']);
    const created = actions[0].kind === 'create-replica' ? actions[0].replica : null;
    expect(created).toMatchObject({
      name: 'vol-1-r-3',
      node: 'n4',
      rebuildRetryCount: 5,
      awaitingRebuild: true,
    });
    expect(v.replicas).toHaveLength(3);
  });

  it('reuses the failed replica once its node is Ready again', () => {
    const { v, view } = degraded();
    const { actions } = reconcileVolume(v, view, 400);
    expect(actions).toEqual([
      { kind: 'reuse-replica', replica: v.replicas[1] },
      { kind: 'start-rebuild', replica: v.replicas[1] },
    ]);
  });

  it('deletes a replica failed for staleReplicaTimeout (30 min) and schedules its replacement without it', () => {
    const { v, view, nodes } = degraded();
    (nodes.get('n2') as NodeStatus).ready = false;
    const { actions, requeueAtSeconds } = reconcileVolume(v, view, 108 + 1800);
    expect(actions[0]).toEqual({ kind: 'delete-replica', replica: v.replicas[1], reason: 'stale' });
    // n2 is down and n1, n3 hold replicas: nothing fits (LH >= 1.7 creates no CR).
    expect(actions.slice(1).map((a) => a.kind)).toEqual(['report-unschedulable']);
    expect(requeueAtSeconds).toEqual([]);
  });
});

describe('creation and data locality', () => {
  it("places a new volume's first replica on the engine's node (data locality), healthy from creation", () => {
    const { v, view } = cluster();
    const first = initialReplica(v, view, 'n2', 0);
    expect(first.placed).toBe(true);
    expect(first.actions[0]).toMatchObject({
      kind: 'create-replica',
      replica: { node: 'n2', healthyAtSeconds: 0 },
    });
  });

  it('after a data-locality rebuild, drops the last remote replica by name', () => {
    const { v } = degraded();
    v.replicas[1] = replica('vol-1-r-1', 'n2', null);
    v.replicas.push(replica('vol-1-r-3', 'n1', null));
    v.engineNode = 'n1';
    expect(surplusReplica(v)?.name).toBe('vol-1-r-2');
  });
});
