import { describe, expect, it } from 'vitest';
import { DATA_DISKS_PER_NODE, scaleClusterDocument, VMS_PER_NODE } from '../../bench/scale-cluster.ts';
import { scenarioFromData } from '../../src/scenario/load.ts';

// The `scale` benchmark's cluster (issue 10): "3 management nodes + workers, 30 VMs per node, 2
// Longhorn volumes per VM, 6 data disks per node", generated without randomness.
describe('the scale benchmark cluster', () => {
  const scenario = scenarioFromData(scaleClusterDocument(12), '(scale 12)');

  it('has 3 management nodes and the rest workers', () => {
    expect(scenario.nodes.filter((n) => n.role === 'management').map((n) => n.name)).toEqual([
      'mgmt-1',
      'mgmt-2',
      'mgmt-3',
    ]);
    expect(scenario.nodes.filter((n) => n.role === 'worker')).toHaveLength(9);
  });

  it('pins 30 VMs to every node, each with 2 Longhorn volumes', () => {
    expect(VMS_PER_NODE).toBe(30);
    expect(scenario.vms).toHaveLength(12 * 30);
    for (const node of scenario.nodes)
      expect(scenario.vms.filter((vm) => vm.nodeName === node.name)).toHaveLength(30);
    expect(scenario.volumes).toHaveLength(12 * 30 * 2);
    expect(scenario.vms.every((vm) => vm.volumeNames.length === 2)).toBe(true);
    expect(scenario.volumes.every((v) => v.provisioner.kind === 'longhorn')).toBe(true);
  });

  it('gives every node 6 Longhorn data disks beside its system disk', () => {
    expect(DATA_DISKS_PER_NODE).toBe(6);
    for (const node of scenario.nodes) {
      expect(node.disks.filter((d) => d.longhorn)).toHaveLength(6);
      expect(node.disks.filter((d) => !d.longhorn)).toHaveLength(1);
    }
  });

  it('is the same document every time', () => {
    expect(JSON.stringify(scaleClusterDocument(25))).toBe(JSON.stringify(scaleClusterDocument(25)));
  });

  it('refuses fewer than the 3 management nodes', () => {
    expect(() => scaleClusterDocument(2)).toThrow(/from 3/);
  });
});
