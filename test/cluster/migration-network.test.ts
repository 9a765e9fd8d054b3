import { describe, expect, it } from 'vitest';
import { Simulation } from '../../sim/index.ts';
import { Fabric } from '../../src/cluster/fabric.ts';
import { scenarioFromData } from '../../src/scenario/load.ts';

function scenario(migration?: { cidr: string; bandwidth: string }, guest?: Record<string, unknown>) {
  return scenarioFromData({
    name: 'migration-network',
    description: 'two nodes',
    harvesterVersion: '1.6.1',
    vip: { address: '10.0.0.10' },
    networks: { management: { bandwidth: '10Gbps' }, ...(migration === undefined ? {} : { migration }) },
    nodes: [
      {
        name: 'n1',
        role: 'management',
        cpu: 16,
        memory: '64Gi',
        nic: '10Gbps',
        ip: { mode: 'static', address: '10.0.0.11' },
        disks: [{ name: 'data', size: '1Ti', kind: 'nvme', writeRate: '2GB/s' }],
      },
      {
        name: 'n2',
        role: 'worker',
        cpu: 16,
        memory: '64Gi',
        nic: '10Gbps',
        ip: { mode: 'static', address: '10.0.0.12' },
        disks: [{ name: 'data', size: '1Ti', kind: 'nvme', writeRate: '2GB/s' }],
      },
    ],
    ...(guest === undefined
      ? {}
      : { vms: [{ namespace: 'default', name: 'vm-1', cpu: 2, memory: '4Gi', node: 'n1', guest }] }),
  });
}

describe("Harvester's vm-migration-network (networks.migration)", () => {
  it('is read from the scenario in bytes per second', () => {
    const s = scenario({ cidr: '10.30.0.0/24', bandwidth: '1Gbps' });
    expect(s.networks.migration).toEqual({
      vlan: null,
      cidr: '10.30.0.0/24',
      bandwidthBytesPerSecond: 1.25e8,
    });
    expect(scenario().networks.migration).toBeNull();
  });

  it('carries migrations on its own links, apart from the management network', () => {
    const sim = new Simulation({ seed: 1 });
    const fabric = new Fabric(sim, scenario({ cidr: '10.30.0.0/24', bandwidth: '1Gbps' }));
    const path = fabric.path('n1', 'n2', 'migration');
    expect(path.map((l) => l.name)).toEqual(['n1/migration/tx', 'n2/migration/rx']);
    expect(path.map((l) => l.capacityBytesPerSecond)).toEqual([1.25e8, 1.25e8]);
    expect(fabric.path('n1', 'n2', 'management').map((l) => l.name)).toEqual(['n1/mgmt/tx', 'n2/mgmt/rx']);
  });

  it('falls back to the management network when not set', () => {
    const sim = new Simulation({ seed: 1 });
    const fabric = new Fabric(sim, scenario());
    expect(fabric.hasMigrationNetwork).toBe(false);
    expect(fabric.path('n1', 'n2', 'migration').map((l) => l.name)).toEqual(['n1/mgmt/tx', 'n2/mgmt/rx']);
  });

  it('shares its bandwidth between concurrent migrations (two 1 GB streams on 1 Gbps: 16 s, not 8)', () => {
    const sim = new Simulation({ seed: 1 });
    const fabric = new Fabric(sim, scenario({ cidr: '10.30.0.0/24', bandwidth: '1Gbps' }));
    const path = fabric.path('n1', 'n2', 'migration');
    const a = fabric.net.startFlow({ path, sizeBytes: 1e9, name: 'vm-a' });
    const b = fabric.net.startFlow({ path, sizeBytes: 1e9, name: 'vm-b' });
    const ends: number[] = [];
    a.done.addCallback(() => ends.push(sim.now));
    b.done.addCallback(() => ends.push(sim.now));
    sim.run({ until: 100, maxEvents: 1000 });
    // 2 × 1e9 bytes over one 1.25e8 B/s link: both end at 16 s.
    expect(ends).toHaveLength(2);
    for (const end of ends) expect(end).toBeCloseTo(16, 6);
  });
});

describe('VMs in plans as guests (scenario `guest`)', () => {
  it('reads touched memory and hot set; by default every page is touched and the hot set is the measured one', () => {
    const given = scenario(undefined, {
      touchedMemory: '3Gi',
      workingSet: '1Gi',
      hotSet: '2Mi',
      dirtyRate: '16MiB/s',
    });
    const g = given.vms[0].guest;
    expect(g.touchedMemoryBytes).toBe(3 * 2 ** 30);
    expect(g.hotSetBytes).toBe(2 * 2 ** 20);
    expect(g.workingSetBytes).toBe(2 ** 30);
    const defaults = scenario(undefined, {}).vms[0].guest;
    expect(defaults.touchedMemoryBytes).toBe(4 * 2 ** 30);
    expect(defaults.hotSetBytes).toBeNull();
  });
});
