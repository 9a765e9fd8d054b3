/**
 * What the adapter reads of a live cluster (or the testbed), through the API only, with the field
 * paths of controlplane.md §7. What cannot be read is listed in `unknowns`, never invented.
 */
import type { NodeRole } from '../trace/run.ts';
import { EtcdAccess, type EtcdView } from './etcd.ts';
import { ApiError, type KubeClient } from './kube-client.ts';

export interface NodeSnapshot {
  readonly name: string;
  readonly role: NodeRole;
  readonly ready: boolean;
  readonly cpuCores: number | null;
  readonly memoryBytes: number | null;
  readonly pods: number | null;
  readonly address: string | null;
  readonly zone: string | null;
  readonly unschedulable: boolean;
  /** From the Longhorn Node (`longhorn.io/v1beta2 Node`); null when not readable. */
  readonly disks: readonly { name: string; sizeBytes: number; kind: string; longhorn: boolean }[] | null;
}

export interface VmSnapshot {
  readonly namespace: string;
  readonly name: string;
  readonly runStrategy: string | null;
  readonly evictionStrategy: string | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly cpuCores: number | null;
  readonly memoryBytes: number | null;
  readonly volumes: readonly string[];
  readonly printableStatus: string | null;
}

export interface VmiSnapshot {
  readonly namespace: string;
  readonly name: string;
  readonly phase: string;
  readonly node: string | null;
  readonly liveMigratable: boolean | null;
}

export interface VolumeSnapshot {
  readonly name: string;
  readonly pvcNamespace: string | null;
  readonly pvcName: string | null;
  readonly sizeBytes: number | null;
  readonly actualSizeBytes: number | null;
  readonly replicas: number | null;
  readonly robustness: string;
  readonly state: string;
}

export interface AddonSnapshot {
  readonly namespace: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly status: string;
  readonly pvcs: readonly { name: string; sizeBytes: number }[];
}

export interface ClusterSnapshot {
  readonly server: string;
  readonly kubernetesVersion: string | null;
  readonly nodes: readonly NodeSnapshot[];
  readonly vms: readonly VmSnapshot[];
  readonly vmis: readonly VmiSnapshot[];
  readonly volumes: readonly VolumeSnapshot[];
  readonly addons: readonly AddonSnapshot[];
  /** `KubeVirt.spec.configuration.migrations` as the cluster holds it. */
  readonly kubevirtMigrations: Readonly<Record<string, unknown>> | null;
  /** `migrations.kubevirt.io/v1alpha1` MigrationPolicies (name and spec); null when not readable. */
  readonly migrationPolicies: readonly { name: string; spec: Readonly<Record<string, unknown>> }[] | null;
  /** Namespaces with their labels; null when not readable. */
  readonly namespaces: readonly { name: string; labels: Readonly<Record<string, string>> }[] | null;
  /** Harvester settings: `value`, or `default` when the value is empty. */
  readonly settings: Readonly<Record<string, string>>;
  readonly rancher: { scaleAvailable: string | null; replicas: number | null; agentReplicas: number | null };
  readonly vip: string | null;
  readonly vipBound: boolean | null;
  readonly etcd: EtcdView | null;
  readonly unknowns: readonly string[];
}

type Obj = {
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [key: string]: unknown;
};

export const PATHS = {
  nodes: '/api/v1/nodes',
  node: (name: string) => `/api/v1/nodes/${name}`,
  setting: (name: string) => `/apis/harvesterhci.io/v1beta1/settings/${name}`,
  supportBundles: (ns: string) => `/apis/harvesterhci.io/v1beta1/namespaces/${ns}/supportbundles`,
  supportBundle: (ns: string, name: string) =>
    `/apis/harvesterhci.io/v1beta1/namespaces/${ns}/supportbundles/${name}`,
  pvcs: (ns: string) => `/api/v1/namespaces/${ns}/persistentvolumeclaims`,
  configMap: (ns: string, name: string) => `/api/v1/namespaces/${ns}/configmaps/${name}`,
  ingressExpose: '/api/v1/namespaces/kube-system/services/ingress-expose',
  deployment: (name: string) => `/apis/apps/v1/namespaces/cattle-system/deployments/${name}`,
  scale: (name: string) => `/apis/apps/v1/namespaces/cattle-system/deployments/${name}/scale`,
  vms: '/apis/kubevirt.io/v1/virtualmachines',
  vm: (ns: string, name: string) => `/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachines/${name}`,
  vmSubresource: (ns: string, name: string, action: 'start' | 'stop') =>
    `/apis/subresources.kubevirt.io/v1/namespaces/${ns}/virtualmachines/${name}/${action}`,
  vmis: '/apis/kubevirt.io/v1/virtualmachineinstances',
  vmims: (ns: string) => `/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachineinstancemigrations`,
  allVmims: '/apis/kubevirt.io/v1/virtualmachineinstancemigrations',
  kubevirt: '/apis/kubevirt.io/v1/namespaces/harvester-system/kubevirts/kubevirt',
  volumes: '/apis/longhorn.io/v1beta2/namespaces/longhorn-system/volumes',
  longhornNodes: '/apis/longhorn.io/v1beta2/namespaces/longhorn-system/nodes',
  engines: '/apis/longhorn.io/v1beta2/namespaces/longhorn-system/engines',
  replicas: '/apis/longhorn.io/v1beta2/namespaces/longhorn-system/replicas',
  migrationPolicies: '/apis/migrations.kubevirt.io/v1alpha1/migrationpolicies',
  namespaces: '/api/v1/namespaces',
  settings: '/apis/harvesterhci.io/v1beta1/settings',
  addons: '/apis/harvesterhci.io/v1beta1/addons',
  addon: (ns: string, name: string) => `/apis/harvesterhci.io/v1beta1/namespaces/${ns}/addons/${name}`,
  power: (node: string) => `/testbed/v1/nodes/${node}/power`,
} as const;

const UNITS: Record<string, number> = {
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  m: 1e-3,
};

/** A Kubernetes quantity ("256Gi", "32", "500m") as a plain number, or null. */
export function quantity(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return null;
  const m = /^(\d+(?:\.\d+)?)([KMGT]i|[kmMGT])?$/.exec(value.trim());
  if (m === null) return null;
  return Number(m[1]) * (m[2] === undefined ? 1 : UNITS[m[2]]);
}

const at = (o: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (v, k) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined),
      o,
    );

function roleOf(labels: Record<string, string>): NodeRole {
  if ('node-role.harvesterhci.io/witness' in labels) return 'witness';
  if ('node-role.kubernetes.io/control-plane' in labels || 'node-role.harvesterhci.io/management' in labels)
    return 'management';
  return 'worker';
}

async function optionalList(
  client: KubeClient,
  path: string,
  unknowns: string[],
  what: string,
): Promise<Obj[] | null> {
  try {
    return await client.list<Obj>(path);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 403)) {
      unknowns.push(`${what}: ${error.message}`);
      return null;
    }
    throw error;
  }
}

/** The etcd endpoints: given, or published by the testbed in `kube-system/harvester-sim-testbed`. */
export async function etcdEndpoints(
  client: KubeClient,
  given: readonly string[] | null,
): Promise<string[] | null> {
  if (given !== null && given.length > 0) return [...given];
  const cm = await client.find<Obj & { data?: Record<string, string> }>(
    PATHS.configMap('kube-system', 'harvester-sim-testbed'),
  );
  const endpoints = cm?.data?.etcdEndpoints;
  return endpoints === undefined || endpoints === '' ? null : endpoints.split(',');
}

export async function readSnapshot(
  client: KubeClient,
  options: { etcdEndpoints?: readonly string[] } = {},
): Promise<ClusterSnapshot> {
  const unknowns: string[] = [];
  const version = await client.find<{ gitVersion?: string }>('/version');
  const longhornNodes = await optionalList(client, PATHS.longhornNodes, unknowns, 'Longhorn nodes (disks)');
  const nodes = (await client.list<Obj>(PATHS.nodes)).map((n): NodeSnapshot => {
    const labels = n.metadata.labels ?? {};
    const conditions = (at(n, 'status.conditions') ?? []) as { type: string; status: string }[];
    const addresses = (at(n, 'status.addresses') ?? []) as { type: string; address: string }[];
    const lh = longhornNodes?.find((l) => l.metadata.name === n.metadata.name);
    const diskStatus = (at(lh, 'status.diskStatus') ?? {}) as Record<string, { storageMaximum?: number }>;
    const diskSpec = (at(lh, 'spec.disks') ?? {}) as Record<
      string,
      { allowScheduling?: boolean; tags?: string[] }
    >;
    const disks =
      lh === undefined
        ? null
        : Object.entries(diskSpec).map(([name, d]) => ({
            name,
            sizeBytes: Number(diskStatus[name]?.storageMaximum ?? 0),
            kind: ['nvme', 'ssd', 'hdd'].find((k) => d.tags?.includes(k)) ?? 'ssd',
            longhorn: d.allowScheduling !== false,
          }));
    return {
      name: n.metadata.name,
      role: roleOf(labels),
      ready: conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
      cpuCores: quantity(at(n, 'status.allocatable.cpu')),
      memoryBytes: quantity(at(n, 'status.capacity.memory') ?? at(n, 'status.allocatable.memory')),
      pods: quantity(at(n, 'status.allocatable.pods')),
      address: addresses.find((a) => a.type === 'InternalIP')?.address ?? null,
      zone: labels['topology.kubernetes.io/zone'] ?? null,
      unschedulable: at(n, 'spec.unschedulable') === true,
      disks,
    };
  });
  const vms = ((await optionalList(client, PATHS.vms, unknowns, 'KubeVirt VirtualMachines')) ?? []).map(
    (vm): VmSnapshot => {
      const template = at(vm, 'spec.template') as Record<string, unknown> | undefined;
      const vols = (at(template, 'spec.volumes') ?? []) as {
        persistentVolumeClaim?: { claimName?: string };
      }[];
      return {
        namespace: vm.metadata.namespace ?? '',
        name: vm.metadata.name,
        runStrategy:
          (at(vm, 'spec.runStrategy') as string | undefined) ??
          (at(vm, 'spec.running') === true ? 'Always' : at(vm, 'spec.running') === false ? 'Halted' : null),
        evictionStrategy: (at(template, 'spec.evictionStrategy') as string | undefined) ?? null,
        labels: (at(template, 'metadata.labels') ?? vm.metadata.labels ?? {}) as Record<string, string>,
        cpuCores: quantity(at(template, 'spec.domain.cpu.cores')),
        memoryBytes: quantity(
          at(template, 'spec.domain.resources.requests.memory') ?? at(template, 'spec.domain.memory.guest'),
        ),
        volumes: vols.flatMap((v) =>
          v.persistentVolumeClaim?.claimName === undefined ? [] : [v.persistentVolumeClaim.claimName],
        ),
        printableStatus: (at(vm, 'status.printableStatus') as string | undefined) ?? null,
      };
    },
  );
  const vmis = (
    (await optionalList(client, PATHS.vmis, unknowns, 'KubeVirt VirtualMachineInstances')) ?? []
  ).map((vmi): VmiSnapshot => {
    const conditions = (at(vmi, 'status.conditions') ?? []) as { type: string; status: string }[];
    const lm = conditions.find((c) => c.type === 'LiveMigratable');
    return {
      namespace: vmi.metadata.namespace ?? '',
      name: vmi.metadata.name,
      phase: String(at(vmi, 'status.phase') ?? ''),
      node: (at(vmi, 'status.nodeName') as string | undefined) ?? null,
      liveMigratable: lm === undefined ? null : lm.status === 'True',
    };
  });
  const volumes = ((await optionalList(client, PATHS.volumes, unknowns, 'Longhorn volumes')) ?? []).map(
    (v): VolumeSnapshot => ({
      name: v.metadata.name,
      pvcNamespace: (at(v, 'status.kubernetesStatus.namespace') as string | undefined) ?? null,
      pvcName: (at(v, 'status.kubernetesStatus.pvcName') as string | undefined) ?? null,
      sizeBytes: quantity(at(v, 'spec.size')),
      actualSizeBytes: quantity(at(v, 'status.actualSize')),
      replicas: quantity(at(v, 'spec.numberOfReplicas')),
      robustness: String(at(v, 'status.robustness') ?? 'unknown'),
      state: String(at(v, 'status.state') ?? 'unknown'),
    }),
  );
  const addonObjects = (await optionalList(client, PATHS.addons, unknowns, 'Harvester addons')) ?? [];
  const addons: AddonSnapshot[] = [];
  for (const a of addonObjects) {
    const namespace = a.metadata.namespace ?? '';
    const pvcs =
      (await optionalList(client, PATHS.pvcs(namespace), unknowns, `PVCs of addon ${a.metadata.name}`)) ?? [];
    addons.push({
      namespace,
      name: a.metadata.name,
      enabled: at(a, 'spec.enabled') === true,
      status: String(at(a, 'status.status') ?? ''),
      pvcs: pvcs.map((p) => ({
        name: p.metadata.name,
        sizeBytes: quantity(at(p, 'spec.resources.requests.storage')) ?? 0,
      })),
    });
  }
  const kubevirt = await client.find<Obj>(PATHS.kubevirt);
  if (kubevirt === null) unknowns.push('KubeVirt CR harvester-system/kubevirt: not found');
  const settings: Record<string, string> = {};
  for (const s of (await optionalList(client, PATHS.settings, unknowns, 'Harvester settings')) ?? []) {
    const value =
      typeof s.value === 'string' && s.value !== ''
        ? s.value
        : typeof s.default === 'string'
          ? s.default
          : '';
    settings[s.metadata.name] = value;
  }
  const policies = await optionalList(
    client,
    PATHS.migrationPolicies,
    unknowns,
    'KubeVirt MigrationPolicies',
  );
  const namespaces = await optionalList(client, PATHS.namespaces, unknowns, 'namespace labels');
  const rancher = await client.find<Obj>(PATHS.deployment('rancher'));
  const agent = await client.find<Obj>(PATHS.deployment('cattle-cluster-agent'));
  if (rancher === null) unknowns.push('deployment cattle-system/rancher: not found');
  const vipConfig = await client.find<Obj & { data?: Record<string, string> }>(
    PATHS.configMap('harvester-system', 'vip'),
  );
  const ingress = await client.find<Obj>(PATHS.ingressExpose);
  const vip = vipConfig?.data?.ip ?? null;
  if (vip === null) unknowns.push('the VIP (configmap harvester-system/vip): not found');
  const ingressIp =
    (at(ingress, 'status.loadBalancer.ingress') as { ip?: string }[] | undefined)?.[0]?.ip ?? null;
  let etcd: EtcdView | null = null;
  const endpoints = await etcdEndpoints(client, options.etcdEndpoints ?? null);
  if (endpoints === null) unknowns.push('etcd members and leader: no etcd endpoints (pass --etcd-endpoints)');
  else {
    try {
      etcd = await new EtcdAccess(
        endpoints,
        nodes.map((n) => n.name),
      ).view();
    } catch (error) {
      unknowns.push(`etcd members and leader: ${error instanceof Error ? error.message : error}`);
    }
  }
  for (const n of nodes)
    if (n.disks === null) unknowns.push(`node ${n.name}: disks (no Longhorn Node readable)`);
  return {
    server: client.server,
    kubernetesVersion: version?.gitVersion ?? null,
    nodes,
    vms,
    vmis,
    volumes,
    addons,
    kubevirtMigrations:
      (at(kubevirt, 'spec.configuration.migrations') as Record<string, unknown> | undefined) ?? null,
    migrationPolicies: policies?.map((p) => ({ name: p.metadata.name, spec: p.spec ?? {} })) ?? null,
    namespaces: namespaces?.map((n) => ({ name: n.metadata.name, labels: n.metadata.labels ?? {} })) ?? null,
    settings,
    rancher: {
      scaleAvailable: rancher?.metadata.annotations?.['management.cattle.io/scale-available'] ?? null,
      replicas: rancher === null ? null : Number(at(rancher, 'spec.replicas') ?? 0),
      agentReplicas: agent === null ? null : Number(at(agent, 'spec.replicas') ?? 0),
    },
    vip,
    vipBound: vip === null ? null : ingressIp === vip,
    etcd,
    unknowns,
  };
}
