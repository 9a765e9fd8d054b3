/**
 * The simulated cluster as Kubernetes objects: what `kubectl get` shows of the world at this
 * moment. Field paths follow controlplane.md §7; objects carry no resourceVersion (the store adds it).
 */
import { namespaceLabels } from '../scenario/normalize.ts';
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

  addLonghornEngines(input, add);
  addMigrationPolicies(input, add);

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
  addNamespaces(input, out);
  return out;
}

/** The Longhorn CR name of a scenario volume (the testbed's `pvc-<namespace>-<name>`). */
const longhornVolumeName = (namespace: string, name: string) => `pvc-${namespace}-${name}`;

/**
 * Each Longhorn volume's Engine and Replica CRs as longhorn-manager publishes them
 * (longhorn/longhorn-manager:k8s/pkg/apis/longhorn/v1beta2/engine.go, replica.go): the engine's
 * `status.replicaModeMap` (RW, WO, ERR by replica name), `currentReplicaAddressMap` (name →
 * `tcp://ip:port`) and `rebuildStatus` keyed by the rebuilding replica's address (isRebuilding,
 * progress in percent, state, fromReplicaAddress and fromReplicaAddressList); each replica's
 * `spec.nodeID`, `diskID`, `failedAt` and `healthyAt`. Times are the testbed's creation time plus
 * the simulated seconds. Replica ports are the testbed's own (from the replica's sequence number).
 */
function addLonghornEngines(input: ProjectionInput, add: (entry: [string, KubeObject]) => void): void {
  const { world } = input;
  const at = (seconds: number | null) =>
    seconds === null ? '' : new Date(Date.parse(input.createdAt) + seconds * 1000).toISOString();
  for (const volume of world.scenario.volumes) {
    if (volume.provisioner.kind !== 'longhorn') continue;
    const key = `${volume.namespace}/${volume.name}`;
    const lhName = longhornVolumeName(volume.namespace, volume.name);
    const state = world.longhorn.volumeState(key);
    const replicas = world.longhorn.replicas(key);
    const engineNode = world.longhorn.engineNode(key);
    // Replica CR names: the volume's CR name, `-r-`, the model's sequence number.
    const sequence = (replica: string) => Number(replica.slice(replica.lastIndexOf('-r-') + 3));
    const crName = (replica: string) => `${lhName}-r-${sequence(replica)}`;
    const address = new Map(
      replicas
        .filter((r) => r.node !== null)
        .map((r) => [
          crName(r.name),
          `tcp://${world.power.address(r.node as string)}:${10000 + 15 * sequence(r.name)}`,
        ]),
    );
    const running = state === 'attached';
    const modes: Record<string, string> = {};
    const current: Record<string, string> = {};
    if (running)
      for (const r of replicas) {
        const a = address.get(crName(r.name));
        if (r.mode === null || a === undefined) continue;
        modes[crName(r.name)] = r.mode;
        current[crName(r.name)] = a;
      }
    const rebuild = world.longhorn.rebuildStatus(key);
    const rebuildStatus: Record<string, unknown> = {};
    if (rebuild !== null) {
      const destination = address.get(crName(rebuild.replica));
      const sources = replicas
        .filter((r) => r.mode === 'RW' && r.node !== null && rebuild.sourceNodes.includes(r.node))
        .map((r) => address.get(crName(r.name)) as string);
      if (destination !== undefined)
        rebuildStatus[destination] = {
          isRebuilding: true,
          progress: rebuild.progressPercent,
          state: 'in_progress',
          error: '',
          fromReplicaAddress: sources[0] ?? '',
          fromReplicaAddressList: sources,
        };
    }
    add(
      object(
        input,
        typeOf('longhorn.io', 'engines'),
        'longhorn-system',
        `${lhName}-e-0`,
        {
          spec: {
            volumeName: lhName,
            nodeID: running ? (engineNode ?? '') : '',
            active: true,
            replicaAddressMap: Object.fromEntries(address),
          },
          status: {
            currentState: running ? 'running' : 'stopped',
            currentReplicaAddressMap: current,
            replicaModeMap: modes,
            rebuildStatus,
          },
        },
        { longhornvolume: lhName },
      ),
    );
    for (const r of replicas) {
      add(
        object(
          input,
          typeOf('longhorn.io', 'replicas'),
          'longhorn-system',
          crName(r.name),
          {
            spec: {
              volumeName: lhName,
              nodeID: r.node ?? '',
              diskID: r.disk ?? '',
              failedAt: at(r.failedAtSeconds),
              healthyAt: at(r.healthyAtSeconds),
              rebuildRetryCount: r.rebuildRetryCount,
            },
            status: {
              currentState:
                r.failedAtSeconds !== null ? 'error' : running && r.mode !== null ? 'running' : 'stopped',
            },
          },
          { longhornvolume: lhName },
        ),
      );
    }
  }
}

/** The scenario's MigrationPolicies (`settings.kubevirt.migrationPolicies`) as `migrations.kubevirt.io/v1alpha1` objects. */
function addMigrationPolicies(input: ProjectionInput, add: (entry: [string, KubeObject]) => void): void {
  for (const p of input.world.scenario.migrationPolicies) {
    const bandwidth = p.bandwidthPerMigrationBytesPerSecond;
    const spec: Record<string, unknown> = {
      ...(p.selectors === undefined ? {} : { selectors: p.selectors }),
      ...(p.allowAutoConverge === undefined ? {} : { allowAutoConverge: p.allowAutoConverge }),
      ...(bandwidth === undefined
        ? {}
        : {
            bandwidthPerMigration:
              bandwidth % (1024 * 1024) === 0 ? `${bandwidth / (1024 * 1024)}Mi` : String(bandwidth),
          }),
      ...(p.completionTimeoutPerGiBSeconds === undefined
        ? {}
        : { completionTimeoutPerGiB: p.completionTimeoutPerGiBSeconds }),
      ...(p.allowPostCopy === undefined ? {} : { allowPostCopy: p.allowPostCopy }),
      ...(p.allowWorkloadDisruption === undefined
        ? {}
        : { allowWorkloadDisruption: p.allowWorkloadDisruption }),
    };
    add(object(input, typeOf('migrations.kubevirt.io', 'migrationpolicies'), '', p.name, { spec }));
  }
}

/**
 * A Namespace for every namespace an object is in and every one the scenario labels, with
 * `kubernetes.io/metadata.name` as Kubernetes sets it.
 */
function addNamespaces(input: ProjectionInput, out: Map<string, KubeObject>): void {
  const labelled = input.world.scenario.namespaces;
  const names = new Set(Object.keys(labelled));
  for (const o of out.values()) if (o.metadata.namespace !== undefined) names.add(o.metadata.namespace);
  for (const name of [...names].sort()) {
    const [key, ns] = object(
      input,
      typeOf('', 'namespaces'),
      '',
      name,
      { spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } },
      { ...(labelled[name] ?? namespaceLabels(name)) },
    );
    out.set(key, ns);
  }
}
