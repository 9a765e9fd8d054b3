/**
 * The typed, normalized scenario: what `loadScenario` returns and what the world is built from.
 * Every quantity is a plain number in the unit its name ends with; defaults are already applied.
 */
import type {
  ClusterSettings,
  DataLocality,
  DiskKind,
  DurationDistribution,
  EvictionStrategy,
  MaintainModeStrategy,
  RunStrategy,
  VersionProfile,
} from '../profiles/types.ts';
import type { NodeRole } from '../trace/run.ts';
import type { Infrastructure } from './infrastructure.ts';

export type { DiskKind, DurationDistribution, EvictionStrategy, MaintainModeStrategy, NodeRole, RunStrategy };

export interface NodeDisk {
  readonly name: string;
  readonly sizeBytes: number;
  readonly kind: DiskKind;
  /** Sustained sequential write rate; bounds replica rebuilds landing on this disk. */
  readonly writeBytesPerSecond: number;
  /** Whether Longhorn may place replicas on it. */
  readonly longhorn: boolean;
  /** Longhorn disk tags. */
  readonly tags: readonly string[];
}

export type NodeAddress =
  | { readonly mode: 'static'; readonly address: string }
  | {
      readonly mode: 'dhcp';
      /** The address the node held when the scenario starts. */
      readonly address: string;
      readonly leaseSeconds: number;
      /** A MAC-to-IP binding on the DHCP server: the node gets the same address after any downtime. */
      readonly fixedBinding: boolean;
    };

export interface ScenarioNode {
  readonly name: string;
  readonly role: NodeRole;
  readonly cpuCores: number;
  readonly memoryBytes: number;
  readonly nicBandwidthBytesPerSecond: number;
  readonly disks: readonly NodeDisk[];
  readonly ip: NodeAddress;
  readonly zone: string | null;
  /** Longhorn node tags. */
  readonly longhornTags: readonly string[];
  /** Power-on until the OS and rke2 run. */
  readonly boot: DurationDistribution;
  /** rke2 running until every deployment on the node is Ready (KB: up to ~15 min in all). */
  readonly deploymentsReady: DurationDistribution;
  /** Order in which nodes joined; the promote controller prefers the oldest. */
  readonly joinOrder: number;
}

export interface ClusterNetworks {
  readonly management: {
    readonly vlan: number | null;
    /** The path between nodes; min(NIC, this) bounds east-west traffic. */
    readonly bandwidthBytesPerSecond: number;
  };
  /** Dedicated Longhorn replication network; null means replication uses the management network. */
  readonly storage: {
    readonly vlan: number | null;
    readonly cidr: string;
    readonly bandwidthBytesPerSecond: number;
  } | null;
  /**
   * Dedicated VM live-migration network (Harvester setting `vm-migration-network`, which sets KubeVirt's
   * `spec.configuration.migrations.network`); null means migrations use the management network.
   */
  readonly migration: {
    readonly vlan: number | null;
    readonly cidr: string;
    readonly bandwidthBytesPerSecond: number;
  } | null;
}

/** How the guest behaves; placeholders the guest model refines. */
export interface GuestProfile {
  /** Memory pages dirtied per second while running (drives pre-copy convergence). */
  readonly dirtyRateBytesPerSecond: number;
  /** Memory the guest keeps rewriting (its dirty rate walks this set). */
  readonly workingSetBytes: number;
  /** Memory written at least once; the rest migrates as zero pages (a 9-byte header each). */
  readonly touchedMemoryBytes: number;
  /** Pages rewritten in every sync interval besides the working set, in bytes; null = as measured. */
  readonly hotSetBytes: number | null;
  /** Disk write rate while running (drives rebuild catch-up). */
  readonly diskWriteBytesPerSecond: number;
  /** When the guest runs fstrim; null means never. */
  readonly fstrim: {
    readonly periodSeconds: number;
    /** Offset of the first run from simulation start. */
    readonly firstRunSeconds: number;
  } | null;
  /** How the guest trims its filesystems (KB: the potential risk with filesystem trim). */
  readonly trim: GuestTrim;
  /** `shutdown` in the guest until the VMI is gone. */
  readonly shutdown: DurationDistribution;
  /** VMI Running until the guest's services are up. */
  readonly boot: DurationDistribution;
}

export interface GuestTrim {
  readonly os: 'linux' | 'windows';
  /** systemd fstrim.timer; null leaves the `fstrim` schedule (or none) in charge. */
  readonly fstrimTimer: {
    readonly enabled: boolean;
    readonly accuracySeconds: number | null;
    readonly randomizedDelaySeconds: number | null;
    readonly persistent: boolean | null;
  } | null;
  readonly discardMount: boolean;
  readonly disableDeleteNotify: boolean;
}

export interface VmRef {
  readonly namespace: string;
  readonly name: string;
}

export interface ScenarioVm {
  readonly namespace: string;
  readonly name: string;
  readonly cpuCores: number;
  readonly memoryBytes: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly runStrategy: RunStrategy;
  readonly evictionStrategy: EvictionStrategy;
  readonly maintainModeStrategy: MaintainModeStrategy;
  /** Names of volumes in the same namespace, in disk order (the first is the boot disk). */
  readonly volumeNames: readonly string[];
  /** Node the VMI runs on at the start; null lets the world's scheduler place it. */
  readonly nodeName: string | null;
  readonly guest: GuestProfile;
}

/** A PVC access mode (`kubernetes/api:core/v1/types.go`, `PersistentVolumeAccessMode`). */
export type AccessMode = 'ReadWriteOnce' | 'ReadWriteMany' | 'ReadOnlyMany' | 'ReadWriteOncePod';

export type VolumeProvisioner =
  | {
      readonly kind: 'longhorn';
      readonly replicas: number;
      readonly dataLocality: DataLocality;
      /** StorageClass `nodeSelector` / `diskSelector`: tags every replica's node / disk must carry. */
      readonly nodeSelector: readonly string[];
      readonly diskSelector: readonly string[];
    }
  /** A CSI driver outside the cluster's Longhorn, e.g. `rook-ceph.rbd.csi.ceph.com`. */
  | { readonly kind: 'external'; readonly driver: string };

export interface ScenarioVolume {
  readonly namespace: string;
  readonly name: string;
  readonly sizeBytes: number;
  /** Bytes actually written; a rebuild copies this much. */
  readonly usedBytes: number;
  readonly accessMode: AccessMode;
  readonly storageClass: string;
  readonly provisioner: VolumeProvisioner;
}

export interface AddonPvc {
  readonly name: string;
  readonly sizeBytes: number;
}

export interface ScenarioAddon {
  readonly namespace: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly pvcs: readonly AddonPvc[];
}

export interface DownstreamCluster {
  readonly name: string;
  /** VMs on this Harvester that are the cluster's machines. */
  readonly machines: readonly VmRef[];
  /** Rancher machine pool `unhealthyNodeTimeout`; null means auto-replace is off. */
  readonly autoReplaceAfterSeconds: number | null;
}

export interface ScenarioRancher {
  /** Harvester is imported into an external Rancher Manager (the KB's step 2 applies). */
  readonly importedIntoRancherManager: boolean;
  readonly rancherManagerVersion: string | null;
  /** `management.cattle.io/scale-available` on deployment/rancher: 3, or 2 with a witness. */
  readonly scaleAvailable: number;
  readonly downstreamClusters: readonly DownstreamCluster[];
}

/** When certificates were issued, in seconds before the plan (simulated second 0); null: unknown. */
export interface CertificateAges {
  /** RKE2's leaf certificates: its last rotation, else the installation. */
  readonly rke2IssuedSecondsAgo: number | null;
  /** A Rancher cloud-credential token. */
  readonly rancherTokenIssuedSecondsAgo: number | null;
}

/**
 * A `migrations.kubevirt.io/v1alpha1` MigrationPolicy (`settings.kubevirt.migrationPolicies`): the
 * fields it sets replace the cluster's for the VMIs it matches best; absent fields keep them.
 */
export interface ScenarioMigrationPolicy {
  readonly name: string;
  readonly selectors?: {
    readonly namespaceSelector?: Readonly<Record<string, string>>;
    readonly virtualMachineInstanceSelector?: Readonly<Record<string, string>>;
  };
  readonly allowAutoConverge?: boolean;
  readonly bandwidthPerMigrationBytesPerSecond?: number;
  readonly completionTimeoutPerGiBSeconds?: number;
  readonly allowPostCopy?: boolean;
  readonly allowWorkloadDisruption?: boolean;
}

/** A scenario, validated and normalized. */
export interface Scenario {
  /** The file it came from, for messages. */
  readonly fileName: string;
  readonly name: string;
  readonly description: string;
  readonly harvesterVersion: string;
  /** Unix time of simulated second 0, or null to use the models' default. */
  readonly startEpochSeconds: number | null;
  readonly profile: VersionProfile;
  readonly nodes: readonly ScenarioNode[];
  readonly vip: { readonly address: string; readonly mode: 'static' | 'dhcp' };
  readonly networks: ClusterNetworks;
  readonly vms: readonly ScenarioVm[];
  readonly volumes: readonly ScenarioVolume[];
  readonly addons: readonly ScenarioAddon[];
  readonly rancher: ScenarioRancher;
  /** The profile's defaults with the scenario's overrides applied. */
  readonly settings: ClusterSettings;
  /** MigrationPolicy objects, in document order (`settings.kubevirt.migrationPolicies`). */
  readonly migrationPolicies: readonly ScenarioMigrationPolicy[];
  /**
   * Labels of the namespaces the scenario lists under `namespaces`, each with
   * `kubernetes.io/metadata.name`; a namespace not listed has only that label (`namespaceLabels`).
   */
  readonly namespaces: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Proxy, RKE2 token, external storage: facts for `harvester-sim check` (src/scenario/infrastructure.ts). */
  readonly infrastructure: Infrastructure;
  /** Certificate ages the scenario states, seconds before the plan starts; null where it says nothing. */
  readonly certificateAges: CertificateAges;
  /**
   * Per-migration uncertainty (`migrationUncertainty` in the document): each migration is also run this
   * many times alone with the guest's dirty rate varying as measured; null = not asked for.
   */
  readonly migrationUncertainty: { readonly runs: number } | null;
  /** User PodDisruptionBudgets over VMs' launcher pods (`podDisruptionBudgets`), in document order. */
  readonly podDisruptionBudgets: readonly ScenarioPodDisruptionBudget[];
  /** Measured figures (`calibration` in the document); null where the scenario gives none. */
  readonly calibration: { readonly longhornRebuildStreamBytesPerSecond: number | null };
  /** Dotted paths under `settings` that the scenario overrode, e.g. `etcd.electionTimeoutMs`. */
  readonly overriddenSettings: readonly string[];
  /** Legal but notable facts (e.g. volumes that will run Degraded), one line each, naming file and path. */
  readonly warnings: readonly string[];
}

/** A `policy/v1` PodDisruptionBudget whose selector matches VMs' labels (their launcher pods carry them). */
export interface ScenarioPodDisruptionBudget {
  readonly namespace: string;
  readonly name: string;
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly minAvailable: number;
}
