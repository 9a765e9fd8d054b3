/**
 * The resource types the testbed serves, for routing and discovery (`kubectl api-resources`).
 * Shapes follow controlplane.md §7.
 */

export interface ResourceType {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly verbs: readonly string[];
  /** Subresources the testbed serves, with their kind and verbs. */
  readonly subresources: readonly {
    name: string;
    group: string;
    version: string;
    kind: string;
    verbs: string[];
  }[];
}

const READ = ['get', 'list', 'watch'];

export const RESOURCE_TYPES: readonly ResourceType[] = [
  {
    group: '',
    version: 'v1',
    plural: 'nodes',
    singular: 'node',
    kind: 'Node',
    namespaced: false,
    shortNames: ['no'],
    verbs: [...READ, 'patch'],
    subresources: [],
  },
  {
    group: '',
    version: 'v1',
    plural: 'pods',
    singular: 'pod',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    verbs: [...READ, 'delete'],
    subresources: [{ name: 'proxy', group: '', version: 'v1', kind: 'PodProxyOptions', verbs: ['get'] }],
  },
  {
    group: '',
    version: 'v1',
    plural: 'configmaps',
    singular: 'configmap',
    kind: 'ConfigMap',
    namespaced: true,
    shortNames: ['cm'],
    verbs: READ,
    subresources: [],
  },
  {
    group: '',
    version: 'v1',
    plural: 'persistentvolumeclaims',
    singular: 'persistentvolumeclaim',
    kind: 'PersistentVolumeClaim',
    namespaced: true,
    shortNames: ['pvc'],
    verbs: READ,
    subresources: [],
  },
  {
    group: '',
    version: 'v1',
    plural: 'services',
    singular: 'service',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
    verbs: READ,
    subresources: [],
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    singular: 'deployment',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    verbs: [...READ, 'patch', 'update'],
    subresources: [
      {
        name: 'scale',
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
        verbs: ['get', 'patch', 'update'],
      },
    ],
  },
  {
    group: 'kubevirt.io',
    version: 'v1',
    plural: 'virtualmachines',
    singular: 'virtualmachine',
    kind: 'VirtualMachine',
    namespaced: true,
    shortNames: ['vm', 'vms'],
    verbs: [...READ, 'patch'],
    subresources: [],
  },
  {
    group: 'kubevirt.io',
    version: 'v1',
    plural: 'virtualmachineinstances',
    singular: 'virtualmachineinstance',
    kind: 'VirtualMachineInstance',
    namespaced: true,
    shortNames: ['vmi', 'vmis'],
    verbs: READ,
    subresources: [],
  },
  {
    group: 'kubevirt.io',
    version: 'v1',
    plural: 'virtualmachineinstancemigrations',
    singular: 'virtualmachineinstancemigration',
    kind: 'VirtualMachineInstanceMigration',
    namespaced: true,
    shortNames: ['vmim', 'vmims'],
    verbs: [...READ, 'create', 'delete'],
    subresources: [],
  },
  {
    group: 'kubevirt.io',
    version: 'v1',
    plural: 'kubevirts',
    singular: 'kubevirt',
    kind: 'KubeVirt',
    namespaced: true,
    shortNames: ['kv', 'kvs'],
    verbs: READ,
    subresources: [],
  },
  {
    group: 'subresources.kubevirt.io',
    version: 'v1',
    plural: 'virtualmachines',
    singular: '',
    kind: '',
    namespaced: true,
    shortNames: [],
    verbs: [],
    subresources: [
      { name: 'start', group: 'subresources.kubevirt.io', version: 'v1', kind: '', verbs: ['update'] },
      { name: 'stop', group: 'subresources.kubevirt.io', version: 'v1', kind: '', verbs: ['update'] },
    ],
  },
  {
    group: 'longhorn.io',
    version: 'v1beta2',
    plural: 'volumes',
    singular: 'volume',
    kind: 'Volume',
    namespaced: true,
    shortNames: ['lhv'],
    verbs: READ,
    subresources: [],
  },
  {
    group: 'longhorn.io',
    version: 'v1beta2',
    plural: 'nodes',
    singular: 'node',
    kind: 'Node',
    namespaced: true,
    shortNames: ['lhn'],
    verbs: READ,
    subresources: [],
  },
  {
    // longhorn/longhorn-manager:k8s/pkg/apis/longhorn/v1beta2/engine.go (shortName lhe).
    group: 'longhorn.io',
    version: 'v1beta2',
    plural: 'engines',
    singular: 'engine',
    kind: 'Engine',
    namespaced: true,
    shortNames: ['lhe'],
    verbs: READ,
    subresources: [],
  },
  {
    // longhorn/longhorn-manager:k8s/pkg/apis/longhorn/v1beta2/replica.go (shortName lhr).
    group: 'longhorn.io',
    version: 'v1beta2',
    plural: 'replicas',
    singular: 'replica',
    kind: 'Replica',
    namespaced: true,
    shortNames: ['lhr'],
    verbs: READ,
    subresources: [],
  },
  {
    // kubevirt/kubevirt:staging/src/kubevirt.io/api/migrations/v1alpha1/types.go (cluster-scoped).
    group: 'migrations.kubevirt.io',
    version: 'v1alpha1',
    plural: 'migrationpolicies',
    singular: 'migrationpolicy',
    kind: 'MigrationPolicy',
    namespaced: false,
    shortNames: [],
    verbs: READ,
    subresources: [],
  },
  {
    group: '',
    version: 'v1',
    plural: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
    verbs: READ,
    subresources: [],
  },
  {
    group: 'harvesterhci.io',
    version: 'v1beta1',
    plural: 'settings',
    singular: 'setting',
    kind: 'Setting',
    namespaced: false,
    shortNames: [],
    verbs: [...READ, 'patch'],
    subresources: [],
  },
  {
    group: 'harvesterhci.io',
    version: 'v1beta1',
    plural: 'addons',
    singular: 'addon',
    kind: 'Addon',
    namespaced: true,
    shortNames: [],
    verbs: [...READ, 'patch'],
    subresources: [],
  },
  {
    // harvester/harvester:pkg/apis/harvesterhci.io/v1beta1/supportbundle.go (shortNames sb, sbs).
    group: 'harvesterhci.io',
    version: 'v1beta1',
    plural: 'supportbundles',
    singular: 'supportbundle',
    kind: 'SupportBundle',
    namespaced: true,
    shortNames: ['sb', 'sbs'],
    verbs: [...READ, 'create', 'delete'],
    subresources: [],
  },
];

export function apiVersionOf(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

export function findType(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((t) => t.group === group && t.version === version && t.plural === plural);
}

/** The object key the store uses: `group/plural/namespace/name` (namespace empty when cluster-scoped). */
export function objectKey(type: ResourceType, namespace: string, name: string): string {
  return `${type.group}/${type.plural}/${namespace}/${name}`;
}
