import { describe, expect, it } from 'vitest';
import { fixture } from './cluster-fixture.ts';

// research longhorn.md §1.2 (LM controller/volume_controller.go `ReconcileEngineReplicaState`): "No
// healthy active replica remains, or every replica has failed […] → faulted. With auto-salvage,
// Longhorn then detaches, revives the usable replicas and requests a remount." A faulted engine fails
// every I/O, so the volume takes no writes until it is salvaged. Found by the seeded swarm
// (`npm run swarm -- --seed 2 --runs 18`: three nodes in maintenance, the last healthy replica drained,
// writes still accepted).

const MB = 1_000_000;

function faultedByDrains() {
  // 4 nodes, one volume with 3 replicas: the VM runs on the node without a replica, so draining the
  // three replica nodes leaves the attached volume with no healthy replica.
  const f = fixture({
    nodes: 4,
    volumes: [{ name: 'vol-1', size: '20Gi', used: '2Gi' }],
    vms: [{ name: 'vm-1', node: null, volumes: ['vol-1'], writeRate: '1MB/s' }],
  });
  const replicaNodes = f.model.replicas('default/vol-1').map((r) => r.node as string);
  const free = ['n1', 'n2', 'n3', 'n4'].find((n) => !replicaNodes.includes(n)) as string;
  f.at(1, () => f.model.vmStarted({ namespace: 'default', name: 'vm-1' }, free));
  replicaNodes.forEach((node, i) => {
    f.at(10 + i, () => f.model.nodeDrained(node));
  });
  return { f, replicaNodes };
}

describe('a faulted volume takes no writes', () => {
  it('the engine fails I/O once the last healthy replica fails: the write rate drops to 0 with the fault', () => {
    const { f } = faultedByDrains();
    f.sim.run({ until: 20 });
    const writes = f.records('volume.writes').map((r) => [r.timeSeconds, r.data.bytesPerSecond]);
    // 1 MB/s from the start at 1 s, 0 when the third replica fails at 12 s.
    expect(writes).toEqual([
      [1, 1 * MB],
      [12, 0],
    ]);
    const faulted = f.records('volume.robustness').filter((r) => r.data.robustness === 'faulted');
    expect(faulted.map((r) => [r.timeSeconds, r.data.healthyReplicas])).toEqual([[12, 0]]);
    expect(f.model.volumeRobustness('default/vol-1')).toBe('faulted');
  });

  it('no write reaches the volume while it is faulted, and writes resume once auto-salvage revives a replica', () => {
    const { f, replicaNodes } = faultedByDrains();
    f.at(100, () => f.model.nodeReady(replicaNodes[2]));
    f.sim.run({ until: 200 });
    const salvaged = f.records('volume.salvaged');
    expect(salvaged.map((r) => r.timeSeconds)).toEqual([100]);
    const writes = f.records('volume.writes').map((r) => [r.timeSeconds, r.data.bytesPerSecond]);
    expect(writes).toEqual([
      [1, 1 * MB],
      [12, 0],
      [100, 1 * MB],
    ]);
  });
});
