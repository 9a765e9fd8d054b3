import { describe, expect, it } from 'vitest';
import { fixture } from './cluster-fixture.ts';

// KB (Rook/Ceph as a CSI driver since Harvester v1.2.0): "the provisioner for the Virtual Machine (VM)
// image in Harvester still relies on Longhorn"; a data disk on `rook-ceph.rbd.csi.ceph.com` lives in
// the external Ceph cluster, so it has no Longhorn replicas and depends on that cluster.

const DRIVER = 'rook-ceph.rbd.csi.ceph.com';

function withCephDisk() {
  return fixture({
    nodes: 4,
    volumes: [
      { name: 'root', size: '20Gi', used: '5Gi' },
      { name: 'data', size: '200Gi', used: '50Gi', externalDriver: DRIVER },
    ],
    vms: [{ name: 'vm-1', node: 'n1', volumes: ['root', 'data'], writeRate: '2MB/s' }],
  });
}

describe('external provisioners', () => {
  it('have no Longhorn replicas, never rebuild, and are not Longhorn volumes for the KB checks', () => {
    const f = withCephDisk();
    f.at(100, () => f.model.nodePoweredOff('n2', 'power-loss'));
    f.sim.run({ until: 5000 });
    expect(f.model.replicas('default/data')).toEqual([]);
    expect(f.records('rebuild.started').map((r) => r.data.volume)).toEqual(['default/root']);
    expect(f.model.attachedVolumes()).toEqual(['default/root']);
    expect(f.model.volumeRobustness('default/data')).toBe('healthy');
    // The VM's whole 2 MB/s goes to its only Longhorn volume.
    expect(f.records('volume.writes')[0].data).toEqual({ volume: 'default/root', bytesPerSecond: 2e6 });
  });

  it('are faulted while their external cluster is unreachable', () => {
    const f = withCephDisk();
    f.at(100, () => f.model.setExternalClusterReachable(DRIVER, false));
    f.at(200, () => expect(f.model.volumeRobustness('default/data')).toBe('faulted'));
    f.at(300, () => f.model.setExternalClusterReachable(DRIVER, true));
    f.sim.run({ until: 400 });
    expect(f.model.volumeRobustness('default/data')).toBe('healthy');
    expect(f.records('external.reachability').map((r) => r.data.reachable)).toEqual([false, true]);
  });
});
