/**
 * The simulated cluster as Kubernetes objects: what `kubectl get` shows of the world at this
 * moment. Field paths follow controlplane.md §7; objects carry no resourceVersion (the store adds it).
 */
import type { World } from '../world/world.ts';
import { apiVersionOf, RESOURCE_TYPES, type ResourceType } from './resources.ts';

/** What clients wrote that the models do not hold: annotations, labels, runStrategy, settings, migrations. */
export interface Overlay {
  readonly annotations: Map<string, Record<string, string>>;
  readonly labels: Map<string, Record<string, string>>;
  readonly runStrategy: Map<string, string>;
  readonly settings: Map<string, string>;
  readonly migrations: Map<string, MigrationObject>;
  /** SupportBundle CRs created by clients, by `namespace/name`. */
  readonly supportBundles: Map<string, SupportBundleObject>;
  /** Maintenance mode asked for through the node annotation, by node. */
  readonly maintenance: Map<string, MaintenanceObject>;
}

export interface SupportBundleObject {
  readonly namespace: string;
  readonly name: string;
  readonly spec: Record<string, unknown>;
  /** Simulated seconds when it was created. */
  readonly createdSeconds: number;
}

/** Maintenance of one node: `running` while the model drains, then its outcome. */
export interface MaintenanceObject {
  state: 'running' | 'completed' | 'failed';
  message: string;
}

/**
 * Node annotations of Harvester's maintenance mode: the `enableMaintenanceMode` action of the node
 * API sets `drain-requested` (and `drain-forced` with force); the node controller drains and writes
 * `maintain-status` running, then completed when no VMI is left on the node
 * (harvester/harvester:pkg/api/node/handler.go, pkg/util/drainhelper, pkg/controller/master/node).
 */
export const MAINTENANCE_ANNOTATIONS = {
  drainRequested: 'harvesterhci.io/drain-requested',
  drainForced: 'harvesterhci.io/drain-forced',
  maintainStatus: 'harvesterhci.io/maintain-status',
  /** The testbed's own: why a maintenance did not complete (Harvester reports it in a node condition). */
  error: 'harvester-sim.io/maintenance-error',
} as const;

export interface MigrationObject {
  readonly namespace: string;
  readonly name: string;
  readonly vmiName: string;
  readonly uid: string;
  phase: string;
  sourceNode: string | null;
  targetNode: string | null;
}

export interface ProjectionInput {
  readonly world: World;
  readonly overlay: Overlay;
  /** The node whose real etcd member leads, or null. */
  readonly etcdLeader: string | null;
  /** Nodes whose real etcd member runs. */
  readonly etcdRunning: ReadonlySet<string>;
  /** The client URLs of the real etcd members, for the testbed ConfigMap. */
  readonly etcdEndpoints: Readonly<Record<string, string>>;
  readonly createdAt: string;
  /** Simulated seconds per real second, published for the adapter's time scale. */
  readonly speed: number;
  /** How long a support bundle takes to generate, in simulated seconds. */
  readonly supportBundleSeconds: number;
}

/** The maintenance annotations of a node: client-written ones are in the overlay, the status is the model's. */
function maintenanceAnnotations(input: ProjectionInput, node: string): Record<string, string> {
  const m = input.overlay.maintenance.get(node);
  if (m === undefined) return {};
  if (m.state === 'failed') return { [MAINTENANCE_ANNOTATIONS.error]: m.message };
  return { [MAINTENANCE_ANNOTATIONS.maintainStatus]: m.state };
}

export type KubeObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown> & { name: string; namespace?: string };
};

const typeOf = (group: string, plural: string): ResourceType => {
  const type = RESOURCE_TYPES.find((t) => t.group === group && t.plural === plural);
  if (type === undefined) throw new Error(`no resource type ${group}/${plural}`);
  return type;
};

function object(
  input: ProjectionInput,
  type: ResourceType,
  namespace: string,
  name: string,
  body: Record<string, unknown>,
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
): [string, KubeObject] {
  const key = `${type.group}/${type.plural}/${namespace}/${name}`;
  const metadata: KubeObject['metadata'] = {
    name,
    uid: `testbed-${key.replaceAll('/', '-')}`,
    creationTimestamp: input.createdAt,
    labels: { ...labels, ...(input.overlay.labels.get(key) ?? {}) },
    annotations: { ...annotations, ...(input.overlay.annotations.get(key) ?? {}) },
  };
  if (type.namespaced) metadata.namespace = namespace;
  return [key, { apiVersion: apiVersionOf(type), kind: type.kind, metadata, ...body }];
}

/** Every object the testbed serves, keyed `group/plural/namespace/name`. */
export function projectObjects(input: ProjectionInput): Map<string, KubeObject> {
  const { world } = input;
  const scenario = world.scenario;
  const out = new Map<string, KubeObject>();
  const add = (entry: [string, KubeObject]) => out.set(entry[0], entry[1]);
  const apiUp = world.apiAvailable();
  const kubeletVersion = `v${scenario.profile.components.kubernetes}`;

  for (const node of scenario.nodes) {
    const running = world.isRunning(node.name);
    const ready = running && world.lifecycle.isReady(node.name) && apiUp;
    const roles: Record<string, string> = {};
    if (node.role === 'management') {
      roles['node-role.kubernetes.io/control-plane'] = 'true';
      roles['node-role.kubernetes.io/etcd'] = 'true';
      roles['node-role.kubernetes.io/master'] = 'true';
      roles['node-role.harvesterhci.io/management'] = 'true';
    } else if (node.role === 'witness') {
      roles['node-role.kubernetes.io/etcd'] = 'true';
      roles['node-role.harvesterhci.io/witness'] = 'true';
    } else roles['node-role.harvesterhci.io/worker'] = 'true';
    if (node.zone !== null) roles['topology.kubernetes.io/zone'] = node.zone;
    const taints = [...world.lifecycle.taints(node.name)].map(([key, effect]) => ({ key, effect }));
    add(
      object(
        input,
        typeOf('', 'nodes'),
        '',
        node.name,
        {
          spec: { unschedulable: world.isCordoned(node.name), taints },
          status: {
            conditions: [{ type: 'Ready', status: ready ? 'True' : running ? 'False' : 'Unknown' }],
            allocatable: {
              cpu: String(node.cpuCores),
              memory: `${Math.floor(node.memoryBytes / 1024)}Ki`,
              pods: String(scenario.settings.kubernetes.maxPodsPerNode),
            },
            addresses: [
              { type: 'InternalIP', address: world.power.address(node.name) },
              { type: 'Hostname', address: node.name },
            ],
            nodeInfo: { kubeletVersion },
          },
        },
        { 'kubernetes.io/hostname': node.name, 'harvesterhci.io/managed': 'true', ...roles },
        {
          'harvester-sim.io/power': world.power.state(node.name),
          ...maintenanceAnnotations(input, node.name),
        },
      ),
    );
    if (node.role !== 'witness')
      // virt-handler (a DaemonSet) on each node that runs VMs; its metrics are served through the pod
      // proxy (virt-handler-metrics.ts).
      add(
        object(
          input,
          typeOf('', 'pods'),
          'harvester-system',
          `virt-handler-${node.name}`,
          {
            spec: {
              nodeName: node.name,
              containers: [{ name: 'virt-handler', ports: [{ name: 'metrics', containerPort: 8443 }] }],
            },
            status: { phase: running ? 'Running' : 'Unknown' },
          },
          { 'kubevirt.io': 'virt-handler' },
        ),
      );
    if (node.role !== 'worker') {
      const memberRunning = input.etcdRunning.has(node.name);
      add(
        object(
          input,
          typeOf('', 'pods'),
          'kube-system',
          `etcd-${node.name}`,
          {
            spec: { nodeName: node.name },
            status: { phase: memberRunning ? 'Running' : 'Unknown' },
          },
          { component: 'etcd', tier: 'control-plane' },
          { 'kubernetes.io/config.mirror': 'static' },
        ),
      );
    }
    const longhornDisks = Object.fromEntries(
      node.disks.map((d) => [d.name, { storageMaximum: d.sizeBytes, diskType: d.kind }]),
    );
    add(
      object(input, typeOf('longhorn.io', 'nodes'), 'longhorn-system', node.name, {
        spec: {
          disks: Object.fromEntries(
            node.disks.map((d) => [
              d.name,
              { path: `/var/lib/harvester/${d.name}`, allowScheduling: d.longhorn, tags: [d.kind] },
            ]),
          ),
        },
        status: {
          diskStatus: longhornDisks,
          conditions: [{ type: 'Ready', status: running ? 'True' : 'False' }],
        },
      }),
    );
  }

  const rancher = world.rancher;
  const deployments: [string, number, Record<string, string>][] = [
    ['rancher', rancher.rancherReplicas, { 'management.cattle.io/scale-available': rancher.annotation }],
    ['cattle-cluster-agent', rancher.agentReplicas, {}],
  ];
  for (const [name, replicas, annotations] of deployments) {
    const ready = apiUp ? replicas : 0;
    add(
      object(
        input,
        typeOf('apps', 'deployments'),
        'cattle-system',
        name,
        {
          spec: { replicas, selector: { matchLabels: { app: name } } },
          status: { replicas, readyReplicas: ready, availableReplicas: ready, updatedReplicas: replicas },
        },
        { app: name },
        annotations,
      ),
    );
    // Rancher pods scaled away keep running for their termination grace period (KB: "Make sure the
    // rancher-* pods are gone"); while they run, the embedded rancher still acts.
    const terminating = name === 'rancher' && replicas === 0 && rancher.podsGoneInSeconds() > 0 ? 1 : 0;
    for (let i = 0; i < terminating; i++) {
      add(
        object(
          input,
          typeOf('', 'pods'),
          'cattle-system',
          `${name}-terminating-${i}`,
          { spec: {}, status: { phase: 'Running' } },
          { app: name },
          { 'harvester-sim.io/terminating': 'true' },
        ),
      );
    }
    for (let i = 0; i < replicas; i++) {
      add(
        object(
          input,
          typeOf('', 'pods'),
          'cattle-system',
          `${name}-${i}`,
          { spec: {}, status: { phase: 'Running' } },
          { app: name },
        ),
      );
    }
  }

  const vip = world.vipHolder();
  add(
    object(input, typeOf('', 'services'), 'kube-system', 'ingress-expose', {
      spec: { type: 'LoadBalancer' },
      status: { loadBalancer: vip === null ? {} : { ingress: [{ ip: scenario.vip.address }] } },
    }),
  );
  add(
    object(input, typeOf('', 'configmaps'), 'harvester-system', 'vip', {
      data: { ip: scenario.vip.address },
    }),
  );
  add(
    object(input, typeOf('', 'configmaps'), 'kube-system', 'harvester-sim-testbed', {
      data: {
        etcdEndpoints: Object.values(input.etcdEndpoints).join(','),
        etcdMembers: JSON.stringify(input.etcdEndpoints),
        etcdLeader: input.etcdLeader ?? '',
        speed: String(input.speed),
      },
    }),
  );

  for (const vm of world.fleet.all()) {
    const { spec } = vm;
    const key = `${spec.namespace}/${spec.name}`;
    const runStrategy = input.overlay.runStrategy.get(key) ?? spec.runStrategy;
    const exists = vm.phase !== 'Stopped';
    const printable = vm.lost ? 'Unknown' : vm.phase;
    add(
      object(
        input,
        typeOf('kubevirt.io', 'virtualmachines'),
        spec.namespace,
        spec.name,
        {
          spec: {
            runStrategy,
            template: {
              metadata: { labels: spec.labels },
              spec: {
                evictionStrategy: spec.evictionStrategy,
                domain: {
                  cpu: { cores: spec.cpuCores },
                  resources: { requests: { memory: `${spec.memoryBytes / 1024}Ki` } },
                },
                volumes: spec.volumeNames.map((v) => ({ name: v, persistentVolumeClaim: { claimName: v } })),
              },
            },
          },
          status: { printableStatus: printable, ready: vm.phase === 'Running' && !vm.lost },
        },
        spec.labels,
      ),
    );
    if (!exists) continue;
    const phase = vm.lost
      ? 'Unknown'
      : vm.phase === 'Starting'
        ? 'Scheduled'
        : vm.phase === 'Stopping'
          ? 'Running'
          : vm.phase;
    const liveMigratable =
      spec.evictionStrategy === 'LiveMigrate' || spec.evictionStrategy === 'LiveMigrateIfPossible';
    add(
      object(
        input,
        typeOf('kubevirt.io', 'virtualmachineinstances'),
        spec.namespace,
        spec.name,
        {
          spec: {
            evictionStrategy: spec.evictionStrategy,
            domain: { resources: { requests: { memory: `${spec.memoryBytes / 1024}Ki` } } },
          },
          status: {
            phase,
            nodeName: vm.node,
            conditions: [
              { type: 'Ready', status: vm.phase === 'Running' && !vm.lost ? 'True' : 'False' },
              { type: 'LiveMigratable', status: liveMigratable ? 'True' : 'False' },
            ],
          },
        },
        { ...spec.labels, ...(vm.node === null ? {} : { 'kubevirt.io/nodeName': vm.node }) },
      ),
    );
    add(
      object(
        input,
        typeOf('', 'pods'),
        spec.namespace,
        `virt-launcher-${spec.name}`,
        {
          spec: { nodeName: vm.node },
          status: { phase: vm.lost ? 'Unknown' : phase === 'Scheduled' ? 'Pending' : 'Running' },
        },
        { 'kubevirt.io': 'virt-launcher', 'vm.kubevirt.io/name': spec.name },
      ),
    );
  }

  for (const m of input.overlay.migrations.values()) {
    add(
      object(input, typeOf('kubevirt.io', 'virtualmachineinstancemigrations'), m.namespace, m.name, {
        spec: { vmiName: m.vmiName },
        status: {
          phase: m.phase,
          migrationState: { sourceNode: m.sourceNode, targetNode: m.targetNode },
        },
      }),
    );
  }

  const migrations = scenario.settings.kubevirtMigrations;
  add(
    object(input, typeOf('kubevirt.io', 'kubevirts'), 'harvester-system', 'kubevirt', {
      spec: {
        configuration: {
          migrations: {
            parallelMigrationsPerCluster: migrations.parallelMigrationsPerCluster,
            parallelOutboundMigrationsPerNode: migrations.parallelOutboundMigrationsPerNode,
            bandwidthPerMigration:
              migrations.bandwidthPerMigrationBytesPerSecond === 0
                ? '0'
                : `${migrations.bandwidthPerMigrationBytesPerSecond / (1024 * 1024)}Mi`,
            completionTimeoutPerGiB: migrations.completionTimeoutPerGiBSeconds,
            progressTimeout: migrations.progressTimeoutSeconds,
            allowAutoConverge: migrations.allowAutoConverge,
            allowPostCopy: migrations.allowPostCopy,
          },
        },
      },
      status: { phase: apiUp ? 'Deployed' : 'Deploying' },
    }),
  );

  for (const bundle of input.overlay.supportBundles.values()) {
    const elapsed = world.sim.now - bundle.createdSeconds;
    const ready = elapsed >= input.supportBundleSeconds;
    add(
      object(input, typeOf('harvesterhci.io', 'supportbundles'), bundle.namespace, bundle.name, {
        spec: bundle.spec,
        status: {
          state: ready ? 'ready' : 'generating',
          progress: ready ? 100 : Math.floor((100 * elapsed) / input.supportBundleSeconds),
          ...(ready ? { filename: `supportbundle_${bundle.name}.zip` } : {}),
        },
      }),
    );
  }

  for (const volume of scenario.volumes) {
    if (volume.provisioner.kind !== 'longhorn') continue;
    const key = `${volume.namespace}/${volume.name}`;
    add(
      object(
        input,
        typeOf('longhorn.io', 'volumes'),
        'longhorn-system',
        `pvc-${volume.namespace}-${volume.name}`,
        {
          spec: {
            size: String(volume.sizeBytes),
            numberOfReplicas: volume.provisioner.replicas,
            dataLocality: volume.provisioner.dataLocality,
          },
          status: {
            state: world.longhorn.volumeState(key),
            robustness: world.longhorn.volumeRobustness(key),
            actualSize: volume.usedBytes,
            kubernetesStatus: { pvcName: volume.name, namespace: volume.namespace },
          },
        },
      ),
    );
  }

  const harvester = scenario.settings.harvester;
  const settings: Record<string, string> = {
    'vm-force-reset-policy': JSON.stringify({
      enable: harvester.vmForceResetPolicy.enable,
      period: harvester.vmForceResetPolicy.periodSeconds,
      vmMigrationTimeout: harvester.vmForceResetPolicy.vmMigrationTimeoutSeconds,
    }),
    'auto-rotate-rke2-certs': JSON.stringify({
      enable: harvester.autoRotateRke2Certs.enable,
      expiringInHours: harvester.autoRotateRke2Certs.expiringInSeconds / 3600,
    }),
    'overcommit-config': JSON.stringify({
      cpu: harvester.overcommitConfig.cpuPercent,
      memory: harvester.overcommitConfig.memoryPercent,
      storage: harvester.overcommitConfig.storagePercent,
    }),
    'support-bundle-namespaces': harvester.supportBundleNamespaces.join(','),
    'server-version': `v${scenario.harvesterVersion}`,
  };
  for (const [name, value] of Object.entries(settings)) {
    add(
      object(input, typeOf('harvesterhci.io', 'settings'), '', name, {
        default: value,
        value: input.overlay.settings.get(name) ?? '',
      }),
    );
  }

  for (const volume of scenario.volumes) {
    add(
      object(input, typeOf('', 'persistentvolumeclaims'), volume.namespace, volume.name, {
        spec: {
          accessModes: [volume.accessMode],
          storageClassName: volume.storageClass,
          resources: { requests: { storage: String(volume.sizeBytes) } },
        },
        status: { phase: 'Bound' },
      }),
    );
  }
  for (const addon of world.addons.all()) {
    for (const pvc of addon.spec.pvcs) {
      add(
        object(input, typeOf('', 'persistentvolumeclaims'), addon.spec.namespace, pvc.name, {
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: String(pvc.sizeBytes) } },
          },
          status: { phase: 'Bound' },
        }),
      );
    }
  }
  for (const addon of world.addons.all()) {
    add(
      object(input, typeOf('harvesterhci.io', 'addons'), addon.spec.namespace, addon.spec.name, {
        spec: { enabled: addon.enabled },
        status: { status: addon.status },
      }),
    );
  }
  return out;
}
