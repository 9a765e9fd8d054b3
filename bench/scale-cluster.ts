/**
 * The cluster the `scale` benchmark runs (issue 10): 3 management nodes and `nodes − 3` workers, 30
 * VMs pinned to each node (round robin), 2 Longhorn volumes per VM (root and data), 6 Longhorn data
 * disks per node beside a system disk, three racks as zones. Deterministic: no randomness, no clock;
 * the same `nodes` gives the same document (test/bench/scale-cluster.test.ts checks the counts).
 */

export const VMS_PER_NODE = 30;
export const VOLUMES_PER_VM = 2;
export const DATA_DISKS_PER_NODE = 6;
export const MANAGEMENT_NODES = 3;

/** VM shapes, cycled: cores, memory, root and data volume sizes, guest write rate. */
const shapes = [
  { cpu: 2, memory: '4Gi', root: '20Gi', data: '50Gi', write: '1MB/s', tier: 'web' },
  { cpu: 4, memory: '8Gi', root: '20Gi', data: '100Gi', write: '5MB/s', tier: 'app' },
  { cpu: 8, memory: '16Gi', root: '30Gi', data: '200Gi', write: '10MB/s', tier: 'db' },
] as const;

const namespaces = ['payments', 'catalog', 'search', 'analytics', 'internal-tools'] as const;

export function nodeName(index: number): string {
  return index < MANAGEMENT_NODES
    ? `mgmt-${index + 1}`
    : `worker-${String(index - MANAGEMENT_NODES + 1).padStart(3, '0')}`;
}

/** The scenario document (what `scenarioFromData` reads) of a cluster of `nodes` nodes (≥ 3). */
export function scaleClusterDocument(nodes: number): Record<string, unknown> {
  if (!Number.isInteger(nodes) || nodes < MANAGEMENT_NODES || nodes > 60_000)
    throw new Error(`scale cluster: expected a whole number of nodes from 3 to 60000, found ${nodes}`);
  const nodeDocs = Array.from({ length: nodes }, (_, i) => ({
    name: nodeName(i),
    role: i < MANAGEMENT_NODES ? 'management' : 'worker',
    cpu: 128,
    memory: '1Ti',
    nic: '25Gbps',
    disks: [
      { name: 'sda', size: '960Gi', kind: 'ssd', longhorn: false },
      ...Array.from({ length: DATA_DISKS_PER_NODE }, (_, d) => ({
        name: `nvme${d}n1`,
        size: '3.84T',
        kind: 'nvme',
      })),
    ],
    ip: { mode: 'static', address: `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}` },
    zone: `rack-${'abc'[i % 3]}`,
  }));
  const vms: Record<string, unknown>[] = [];
  const volumes: Record<string, unknown>[] = [];
  for (let i = 0; i < nodes * VMS_PER_NODE; i++) {
    const namespace = namespaces[i % namespaces.length];
    const shape = shapes[i % shapes.length];
    const name = `vm-${String(i + 1).padStart(5, '0')}`;
    vms.push({
      namespace,
      name,
      cpu: shape.cpu,
      memory: shape.memory,
      labels: { tier: shape.tier },
      volumes: [`${name}-root`, `${name}-data`],
      node: nodeName(i % nodes),
      guest: { writeRate: shape.write },
    });
    volumes.push({ namespace, name: `${name}-root`, size: shape.root });
    volumes.push({ namespace, name: `${name}-data`, size: shape.data });
  }
  return {
    name: `scale-${nodes}node`,
    description: `${MANAGEMENT_NODES} management + ${nodes - MANAGEMENT_NODES} workers, ${vms.length} VMs, ${volumes.length} Longhorn volumes`,
    harvesterVersion: '1.6.1',
    vip: { address: '10.0.0.100' },
    networks: {
      management: { vlan: 100, bandwidth: '25Gbps' },
      storage: { vlan: 200, cidr: '10.200.0.0/16', bandwidth: '25Gbps' },
    },
    nodes: nodeDocs,
    vms,
    volumes,
  };
}
