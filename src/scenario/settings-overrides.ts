/** Applies a scenario's `settings:` overrides to the profile's defaults. */
import { effectiveAllowWorkloadDisruption } from '../profiles/kubevirt-migration-defaults.ts';
import type { ClusterSettings } from '../profiles/types.ts';
import type { ScenarioDocument } from './schema.ts';

type Overrides = ScenarioDocument['settings'];

export interface EffectiveSettings {
  readonly settings: ClusterSettings;
  /** Dotted paths under ClusterSettings that were overridden. */
  readonly overridden: readonly string[];
}

export function applySettingOverrides(defaults: ClusterSettings, overrides: Overrides): EffectiveSettings {
  const overridden: string[] = [];
  /** Takes the override when given and records its path. */
  const pick = <T>(path: string, fallback: T, override: T | undefined): T => {
    if (override === undefined) return fallback;
    overridden.push(path);
    return override;
  };

  const m = overrides.kubevirt.migrations;
  const km = defaults.kubevirtMigrations;
  const allowPostCopy = pick('kubevirtMigrations.allowPostCopy', km.allowPostCopy, m.allowPostCopy);
  const kubevirtMigrations = {
    bandwidthPerMigrationBytesPerSecond: pick(
      'kubevirtMigrations.bandwidthPerMigrationBytesPerSecond',
      km.bandwidthPerMigrationBytesPerSecond,
      m.bandwidthPerMigration,
    ),
    completionTimeoutPerGiBSeconds: pick(
      'kubevirtMigrations.completionTimeoutPerGiBSeconds',
      km.completionTimeoutPerGiBSeconds,
      m.completionTimeoutPerGiB,
    ),
    progressTimeoutSeconds: pick(
      'kubevirtMigrations.progressTimeoutSeconds',
      km.progressTimeoutSeconds,
      m.progressTimeout,
    ),
    parallelMigrationsPerCluster: pick(
      'kubevirtMigrations.parallelMigrationsPerCluster',
      km.parallelMigrationsPerCluster,
      m.parallelMigrationsPerCluster,
    ),
    parallelOutboundMigrationsPerNode: pick(
      'kubevirtMigrations.parallelOutboundMigrationsPerNode',
      km.parallelOutboundMigrationsPerNode,
      m.parallelOutboundMigrationsPerNode,
    ),
    allowAutoConverge: pick(
      'kubevirtMigrations.allowAutoConverge',
      km.allowAutoConverge,
      m.allowAutoConverge,
    ),
    allowPostCopy,
    allowWorkloadDisruption: effectiveAllowWorkloadDisruption(
      pick('kubevirtMigrations.allowWorkloadDisruption', undefined, m.allowWorkloadDisruption),
      allowPostCopy,
    ),
  };

  const l = overrides.longhorn;
  const lh = defaults.longhorn;
  const longhorn = {
    ...lh,
    defaultReplicaCount: pick(
      'longhorn.defaultReplicaCount',
      lh.defaultReplicaCount,
      l['default-replica-count'],
    ),
    replicaReplenishmentWaitIntervalSeconds: pick(
      'longhorn.replicaReplenishmentWaitIntervalSeconds',
      lh.replicaReplenishmentWaitIntervalSeconds,
      l['replica-replenishment-wait-interval'],
    ),
    concurrentReplicaRebuildPerNodeLimit: pick(
      'longhorn.concurrentReplicaRebuildPerNodeLimit',
      lh.concurrentReplicaRebuildPerNodeLimit,
      l['concurrent-replica-rebuild-per-node-limit'],
    ),
    replicaSoftAntiAffinity: pick(
      'longhorn.replicaSoftAntiAffinity',
      lh.replicaSoftAntiAffinity,
      l['replica-soft-anti-affinity'],
    ),
    replicaZoneSoftAntiAffinity: pick(
      'longhorn.replicaZoneSoftAntiAffinity',
      lh.replicaZoneSoftAntiAffinity,
      l['replica-zone-soft-anti-affinity'],
    ),
    replicaDiskSoftAntiAffinity: pick(
      'longhorn.replicaDiskSoftAntiAffinity',
      lh.replicaDiskSoftAntiAffinity,
      l['replica-disk-soft-anti-affinity'],
    ),
    storageOverProvisioningPercentage: pick(
      'longhorn.storageOverProvisioningPercentage',
      lh.storageOverProvisioningPercentage,
      l['storage-over-provisioning-percentage'],
    ),
    storageMinimalAvailablePercentage: pick(
      'longhorn.storageMinimalAvailablePercentage',
      lh.storageMinimalAvailablePercentage,
      l['storage-minimal-available-percentage'],
    ),
    storageReservedPercentageForDefaultDisk: pick(
      'longhorn.storageReservedPercentageForDefaultDisk',
      lh.storageReservedPercentageForDefaultDisk,
      l['storage-reserved-percentage-for-default-disk'],
    ),
    staleReplicaTimeoutSeconds: pick(
      'longhorn.staleReplicaTimeoutSeconds',
      lh.staleReplicaTimeoutSeconds,
      l.staleReplicaTimeout,
    ),
    nodeDownPodDeletionPolicy: pick(
      'longhorn.nodeDownPodDeletionPolicy',
      lh.nodeDownPodDeletionPolicy,
      l['node-down-pod-deletion-policy'],
    ),
    nodeDrainPolicy: pick('longhorn.nodeDrainPolicy', lh.nodeDrainPolicy, l['node-drain-policy']),
    fastReplicaRebuildEnabled: pick(
      'longhorn.fastReplicaRebuildEnabled',
      lh.fastReplicaRebuildEnabled,
      l['fast-replica-rebuild-enabled'],
    ),
    engineReplicaTimeoutSeconds: pick(
      'longhorn.engineReplicaTimeoutSeconds',
      lh.engineReplicaTimeoutSeconds,
      l['engine-replica-timeout'],
    ),
    disableSchedulingOnCordonedNode: pick(
      'longhorn.disableSchedulingOnCordonedNode',
      lh.disableSchedulingOnCordonedNode,
      l['disable-scheduling-on-cordoned-node'],
    ),
    autoSalvage: pick('longhorn.autoSalvage', lh.autoSalvage, l['auto-salvage']),
    defaultDataLocality: pick(
      'longhorn.defaultDataLocality',
      lh.defaultDataLocality,
      l['default-data-locality'],
    ),
  };

  const h = overrides.harvester;
  const hv = defaults.harvester;
  const reset = h['vm-force-reset-policy'];
  const rotate = h['auto-rotate-rke2-certs'];
  const overcommit = h['overcommit-config'];
  const harvester = {
    vmForceResetPolicy: {
      enable: pick('harvester.vmForceResetPolicy.enable', hv.vmForceResetPolicy.enable, reset?.enable),
      periodSeconds: pick(
        'harvester.vmForceResetPolicy.periodSeconds',
        hv.vmForceResetPolicy.periodSeconds,
        reset?.period,
      ),
      vmMigrationTimeoutSeconds: pick(
        'harvester.vmForceResetPolicy.vmMigrationTimeoutSeconds',
        hv.vmForceResetPolicy.vmMigrationTimeoutSeconds,
        reset?.vmMigrationTimeout,
      ),
    },
    autoRotateRke2Certs: {
      enable: pick('harvester.autoRotateRke2Certs.enable', hv.autoRotateRke2Certs.enable, rotate?.enable),
      expiringInSeconds: pick(
        'harvester.autoRotateRke2Certs.expiringInSeconds',
        hv.autoRotateRke2Certs.expiringInSeconds,
        rotate?.expiringInHours,
      ),
    },
    overcommitConfig: {
      cpuPercent: pick(
        'harvester.overcommitConfig.cpuPercent',
        hv.overcommitConfig.cpuPercent,
        overcommit?.cpu,
      ),
      memoryPercent: pick(
        'harvester.overcommitConfig.memoryPercent',
        hv.overcommitConfig.memoryPercent,
        overcommit?.memory,
      ),
      storagePercent: pick(
        'harvester.overcommitConfig.storagePercent',
        hv.overcommitConfig.storagePercent,
        overcommit?.storage,
      ),
    },
    additionalGuestMemoryOverheadRatio: pick(
      'harvester.additionalGuestMemoryOverheadRatio',
      hv.additionalGuestMemoryOverheadRatio,
      h['additional-guest-memory-overhead-ratio'],
    ),
    supportBundleNamespaces: pick(
      'harvester.supportBundleNamespaces',
      hv.supportBundleNamespaces,
      h['support-bundle-namespaces'],
    ),
  };
  // Harvester pushes overcommit-config's storage value into Longhorn at every start (longhorn.md §0).
  if (overcommit?.storage !== undefined && l['storage-over-provisioning-percentage'] === undefined) {
    longhorn.storageOverProvisioningPercentage = overcommit.storage;
  }

  const e = overrides.etcd;
  const et = defaults.etcd;
  const toMs = (seconds: number | undefined) =>
    seconds === undefined ? undefined : Math.round(seconds * 1000);
  const etcd = {
    ...et,
    heartbeatIntervalMs: pick(
      'etcd.heartbeatIntervalMs',
      et.heartbeatIntervalMs,
      toMs(e['heartbeat-interval']),
    ),
    electionTimeoutMs: pick('etcd.electionTimeoutMs', et.electionTimeoutMs, toMs(e['election-timeout'])),
    preVote: pick('etcd.preVote', et.preVote, e['pre-vote']),
  };

  const k = overrides.kubelet;
  const kt = defaults.kubernetes;
  const kubernetes = {
    ...kt,
    shutdownGracePeriodSeconds: pick(
      'kubernetes.shutdownGracePeriodSeconds',
      kt.shutdownGracePeriodSeconds,
      k['shutdown-grace-period'],
    ),
    shutdownGracePeriodCriticalPodsSeconds: pick(
      'kubernetes.shutdownGracePeriodCriticalPodsSeconds',
      kt.shutdownGracePeriodCriticalPodsSeconds,
      k['shutdown-grace-period-critical-pods'],
    ),
    vmTerminationGracePeriodSeconds: pick(
      'kubernetes.vmTerminationGracePeriodSeconds',
      kt.vmTerminationGracePeriodSeconds,
      overrides.harvester['default-termination-grace-period-seconds'],
    ),
  };
  return {
    settings: { ...defaults, etcd, kubevirtMigrations, longhorn, harvester, kubernetes },
    overridden,
  };
}
