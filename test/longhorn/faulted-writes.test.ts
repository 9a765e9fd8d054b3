import { describe, expect, it } from 'vitest';
import { GuestModel } from '../../src/guest/model.ts';
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
  // three replica nodes leaves the attached volume with no healthy replica. The guest is wired as the
  // world wires it (src/world/world.ts).
  let guests: GuestModel | undefined;
  const f = fixture({
    nodes: 4,
    volumes: [{ name: 'vol-1', size: '20Gi', used: '2Gi' }],
    vms: [{ name: 'vm-1', node: null, volumes: ['vol-1'], writeRate: '1MB/s' }],
    options: { onIoFailing: (volume, vms, failing) => guests?.volumeIoFailing(volume, vms, failing) },
  });
  guests = new GuestModel({ sim: f.sim, scenario: f.scenario, storage: f.model });
  const vm = { namespace: 'default', name: 'vm-1' };
  const replicaNodes = f.model.replicas('default/vol-1').map((r) => r.node as string);
  const free = ['n1', 'n2', 'n3', 'n4'].find((n) => !replicaNodes.includes(n)) as string;
  f.at(1, () => {
    f.model.vmStarted(vm, free);
    guests.vmStarted(vm, free);
  });
  replicaNodes.forEach((node, i) => {
    f.at(10 + i, () => f.model.nodeDrained(node));
  });
  const guestRecords = () =>
    f.sink.records.filter((r) => r.subsystem === 'guest').map((r) => [r.timeSeconds, r.kind, r.data]);
  return { f, replicaNodes, guestRecords };
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

  it('the VM writing to it pauses with an IO error at the fault and resumes when the volume is salvaged', () => {
    // research longhorn.md §4: "VM Paused due to IO error at the volume: disk-0".
    const { f, replicaNodes, guestRecords } = faultedByDrains();
    f.at(100, () => f.model.nodeReady(replicaNodes[2]));
    f.sim.run({ until: 200 });
    expect(guestRecords()).toEqual([
      [
        12,
        'vm.paused',
        {
          vm: 'default/vm-1',
          reason: 'io-error',
          volume: 'default/vol-1',
          disk: 'disk-0',
          cause: 'volume-faulted',
          flap: 1,
        },
      ],
      [100, 'vm.unpaused', { vm: 'default/vm-1', pausedSeconds: 88, flap: 1 }],
    ]);
  });
});
