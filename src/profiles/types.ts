/**
 * The typed model of one Harvester release: component versions and the defaults the models use.
 * All values are plain numbers in the unit named last in the field name.
 */

/** A value together with where it comes from (`owner/repo:path` or a URL), or "unverified …". */
export interface Sourced<T> {
  readonly value: T;
  readonly source: string;
}

/** Versions of the components one Harvester release ships. Strings as upstream prints them. */
export interface ComponentVersions {
  readonly rke2: string;
  readonly kubernetes: string;
  readonly etcd: string;
  readonly kubevirt: string;
  readonly longhorn: string;
  /** The embedded Rancher (not the external Rancher Manager). */
  readonly rancher: string;
}

/** etcd raft timing as the cluster runs it. */
export interface EtcdTiming {
  readonly heartbeatIntervalMs: number;
  readonly electionTimeoutMs: number;
  readonly preVote: boolean;
  /** Always true in etcd v3.0 .. v3.6; a leader without an active quorum steps down. */
  readonly checkQuorum: boolean;
  readonly initialElectionTickAdvance: boolean;
  /** k3s `manageLearners` period. */
  readonly learnerPromotionCheckSeconds: number;
}

/** `KubeVirt.spec.configuration.migrations`, normalized. 0 bandwidth means unlimited. */
export interface KubevirtMigrationSettings {
  readonly bandwidthPerMigrationBytesPerSecond: number;
  readonly completionTimeoutPerGiBSeconds: number;
  readonly progressTimeoutSeconds: number;
  readonly parallelMigrationsPerCluster: number;
  readonly parallelOutboundMigrationsPerNode: number;
  readonly allowAutoConverge: boolean;
  readonly allowPostCopy: boolean;
  /** Unset upstream means "same as allowPostCopy"; normalized to a boolean here. */
  readonly allowWorkloadDisruption: boolean;
}

export type NodeDownPodDeletionPolicy =
  | 'do-nothing'
  | 'delete-statefulset-pod'
  | 'delete-deployment-pod'
  | 'delete-both-statefulset-and-deployment-pod';

export type NodeDrainPolicy =
  | 'block-for-eviction'
  | 'block-for-eviction-if-contains-last-replica'
  | 'block-if-contains-last-replica'
  | 'allow-if-replica-is-stopped'
  | 'always-allow';

export type DataLocality = 'disabled' | 'best-effort' | 'strict-local';

/** Longhorn settings (`settings.longhorn.io`) and the Harvester StorageClass parameters. */
export interface LonghornSettings {
  readonly defaultReplicaCount: number;
  readonly replicaReplenishmentWaitIntervalSeconds: number;
  readonly concurrentReplicaRebuildPerNodeLimit: number;
  readonly replicaSoftAntiAffinity: boolean;
  readonly replicaZoneSoftAntiAffinity: boolean;
  readonly replicaDiskSoftAntiAffinity: boolean;
  readonly storageOverProvisioningPercentage: number;
  readonly storageMinimalAvailablePercentage: number;
  readonly storageReservedPercentageForDefaultDisk: number;
  /** StorageClass `staleReplicaTimeout`, given in minutes upstream. */
  readonly staleReplicaTimeoutSeconds: number;
  readonly nodeDownPodDeletionPolicy: NodeDownPodDeletionPolicy;
  readonly nodeDrainPolicy: NodeDrainPolicy;
  readonly fastReplicaRebuildEnabled: boolean;
  readonly engineReplicaTimeoutSeconds: number;
  readonly disableSchedulingOnCordonedNode: boolean;
  readonly autoSalvage: boolean;
  readonly defaultDataLocality: DataLocality;
  /** Hard-coded 24 h in longhorn-engine until the `long-grpc-timeout` setting (LH 1.11). */
  readonly rebuildWallClockLimitSeconds: number;
}

/** Harvester settings (`settings.harvesterhci.io`). */
export interface HarvesterSettings {
  readonly vmForceResetPolicy: {
    readonly enable: boolean;
    readonly periodSeconds: number;
    readonly vmMigrationTimeoutSeconds: number;
  };
  readonly autoRotateRke2Certs: {
    readonly enable: boolean;
    readonly expiringInSeconds: number;
  };
  readonly overcommitConfig: {
    readonly cpuPercent: number;
    readonly memoryPercent: number;
    readonly storagePercent: number;
  };
  readonly additionalGuestMemoryOverheadRatio: number;
  readonly supportBundleNamespaces: readonly string[];
}

/** Kubernetes and kubelet timing that node-loss reactions depend on. */
export interface KubernetesTiming {
  readonly nodeMonitorGracePeriodSeconds: number;
  readonly defaultTolerationSeconds: number;
  readonly maxPodsPerNode: number;
  /** KubeVirt marks a node unschedulable when `kubevirt.io/heartbeat` is older than this. */
  readonly kubevirtHeartbeatStaleSeconds: number;
  /** A pod scaled away or deleted keeps running this long unless its spec says otherwise. */
  readonly terminationGracePeriodSeconds: number;
  /**
   * kubelet graceful node shutdown: how long the kubelet delays a system shutdown to terminate pods;
   * 0 turns the feature off (the kubelet takes no inhibitor lock).
   */
  readonly shutdownGracePeriodSeconds: number;
  /** The part of shutdownGracePeriod reserved for critical pods, after the others. */
  readonly shutdownGracePeriodCriticalPodsSeconds: number;
  /** A VM's `terminationGracePeriodSeconds`: Harvester's `default-termination-grace-period-seconds`. */
  readonly vmTerminationGracePeriodSeconds: number;
}

/** Certificate lifetimes relevant after a long power-off. */
export interface CertificateTiming {
  readonly kubevirtCaDurationSeconds: number;
  readonly kubevirtCaRenewBeforeSeconds: number;
  readonly kubevirtServerDurationSeconds: number;
  readonly kubevirtServerRenewBeforeSeconds: number;
  readonly rke2LeafValiditySeconds: number;
  readonly rke2RenewWindowSeconds: number;
  /** Rancher Manager kubeconfig tokens (Harvester cloud credentials), where a TTL applies. */
  readonly rancherKubeconfigTokenTtlSeconds: number;
}

/** All effective settings of a cluster: the profile's defaults, possibly overridden by a scenario. */
export interface ClusterSettings {
  readonly etcd: EtcdTiming;
  readonly kubevirtMigrations: KubevirtMigrationSettings;
  readonly longhorn: LonghornSettings;
  readonly harvester: HarvesterSettings;
  readonly kubernetes: KubernetesTiming;
  readonly certificates: CertificateTiming;
}

/** A random duration. The world draws from it with its own named random stream. */
export type DurationDistribution =
  | { readonly distribution: 'fixed'; readonly valueSeconds: number }
  | { readonly distribution: 'uniform'; readonly minSeconds: number; readonly maxSeconds: number }
  | {
      readonly distribution: 'lognormal';
      /** exp(mu): half of the draws are shorter. */
      readonly medianSeconds: number;
      /** Standard deviation of ln(x). */
      readonly sigma: number;
      /** Draws are capped here. */
      readonly maxSeconds: number;
    };

export type DiskKind = 'nvme' | 'ssd' | 'hdd';

export type RunStrategy = 'Always' | 'RerunOnFailure' | 'Manual' | 'Halted' | 'Once';
/** KubeVirt's `spec.evictionStrategy` (`kubevirt/kubevirt:staging/src/kubevirt.io/api/core/v1/types.go`). */
export type EvictionStrategy = 'LiveMigrate' | 'LiveMigrateIfPossible' | 'External' | 'None';
/** Harvester's label `harvesterhci.io/maintain-mode-strategy` (`harvester/harvester:pkg/util/constants.go`). */
export type MaintainModeStrategy =
  | 'Migrate'
  | 'ShutdownAndRestartAfterEnable'
  | 'ShutdownAndRestartAfterDisable'
  | 'Shutdown';

/** What a scenario gets for a field it leaves out: nodes, VMs, guests and volumes. */
export interface ScenarioDefaults {
  readonly nodeBoot: DurationDistribution;
  readonly nodeDeploymentsReady: DurationDistribution;
  readonly dhcpLeaseSeconds: number;
  readonly nicBandwidthBytesPerSecond: number;
  readonly diskWriteBytesPerSecond: Readonly<Record<DiskKind, number>>;
  readonly vmRunStrategy: RunStrategy;
  readonly vmEvictionStrategy: EvictionStrategy;
  readonly vmMaintainModeStrategy: MaintainModeStrategy;
  readonly guestDirtyRateBytesPerSecond: number;
  readonly guestWorkingSetFraction: number;
  readonly guestDiskWriteBytesPerSecond: number;
  readonly guestFstrimPeriodSeconds: number;
  readonly guestShutdown: DurationDistribution;
  readonly guestBoot: DurationDistribution;
  readonly volumeUsedFraction: number;
  readonly volumeStorageClass: string;
  /** `management.cattle.io/scale-available` on `deployment/rancher`. */
  readonly scaleAvailable: { readonly withWitness: number; readonly withoutWitness: number };
}

/** One Harvester release: versions, defaults, and the source of every value. */
export interface VersionProfile {
  readonly harvesterVersion: string;
  readonly components: ComponentVersions;
  readonly settings: ClusterSettings;
  /**
   * Where each value comes from, keyed by its dotted path:
   * `components.rke2`, `settings.etcd.heartbeatIntervalMs`, ...
   */
  readonly sources: Readonly<Record<string, string>>;
}
