/**
 * Longhorn settings as Harvester runs them, the ones a scenario may override (`settings.longhorn`):
 * Longhorn's defaults (longhorn/longhorn-manager:types/setting.go) with Harvester's overrides (its
 * StorageClass and overcommit-config). The Longhorn model's other constants are in
 * src/longhorn/defaults.ts (docs/model/longhorn.md).
 */
import type { SourcedFields } from './sourced.ts';
import type { LonghornSettings, NodeDrainPolicy, Sourced } from './types.ts';
import { isAtLeast } from './version.ts';

const lmSettings = 'longhorn/longhorn-manager:types/setting.go';
const harvesterStorageClass =
  'harvester/harvester:deploy/charts/harvester/templates/harvester-storageclass.yaml';

export function longhornDefaults(longhornVersion: string): SourcedFields<LonghornSettings> {
  return {
    defaultReplicaCount: {
      value: 3,
      source: `${lmSettings}; ${harvesterStorageClass} (numberOfReplicas "3")`,
    },
    replicaReplenishmentWaitIntervalSeconds: { value: 600, source: lmSettings },
    concurrentReplicaRebuildPerNodeLimit: { value: 5, source: lmSettings },
    replicaSoftAntiAffinity: { value: false, source: lmSettings },
    replicaZoneSoftAntiAffinity: { value: true, source: lmSettings },
    replicaDiskSoftAntiAffinity: { value: true, source: lmSettings },
    storageOverProvisioningPercentage: {
      value: 200,
      source:
        'harvester/harvester:pkg/controller/master/setting/overcommit_config.go (overcommit-config storage 200)',
    },
    storageMinimalAvailablePercentage: {
      value: 25,
      source: `${lmSettings} (storage-minimal-available-percentage); longhorn/longhorn-manager:scheduler/replica_scheduler.go (IsSchedulableToDisk)`,
    },
    storageReservedPercentageForDefaultDisk: {
      value: 30,
      source: 'longhorn/longhorn-manager:types/types.go (storage-reserved-percentage-for-default-disk)',
    },
    staleReplicaTimeoutSeconds: {
      value: 30 * 60,
      source: `${harvesterStorageClass} (staleReplicaTimeout "30" minutes)`,
    },
    nodeDownPodDeletionPolicy: { value: 'do-nothing', source: lmSettings },
    nodeDrainPolicy: {
      value: 'block-if-contains-last-replica',
      source: `${lmSettings} (Harvester changes it only during upgrades)`,
    },
    fastReplicaRebuildEnabled: {
      value: true,
      source: 'longhorn/longhorn-manager commit dd9ec643e (true since LH 1.4.0)',
    },
    engineReplicaTimeoutSeconds: { value: 8, source: lmSettings },
    disableSchedulingOnCordonedNode: { value: true, source: lmSettings },
    autoSalvage: { value: true, source: lmSettings },
    defaultDataLocality: { value: 'disabled', source: lmSettings },
    rebuildWallClockLimitSeconds: {
      value: 24 * 3600,
      source: isAtLeast(longhornVersion, '1.11.0')
        ? 'longhorn/longhorn-manager:types/setting.go (long-grpc-timeout=86400, LH 1.11)'
        : 'longhorn/longhorn-engine:pkg/replica/client/client.go (GRPCServiceLongTimeout)',
    },
  };
}

/**
 * The values of `node-drain-policy` a Longhorn release accepts (its setting definition's `Choices`).
 * Before v1.5.0 the setting did not exist: `allow-node-drain-with-last-healthy-replica` (false by
 * default) did the job of `block-if-contains-last-replica` / `always-allow`, and a scenario names the
 * policy by those two values.
 */
export function nodeDrainPolicyChoices(longhornVersion: string): Sourced<readonly NodeDrainPolicy[]> {
  if (isAtLeast(longhornVersion, '1.6.0'))
    return {
      value: [
        'block-if-contains-last-replica',
        'allow-if-replica-is-stopped',
        'always-allow',
        'block-for-eviction',
        'block-for-eviction-if-contains-last-replica',
      ],
      source: `${lmSettings} v1.6.0 SettingDefinitionNodeDrainPolicy (block-for-eviction* added)`,
    };
  if (isAtLeast(longhornVersion, '1.5.0'))
    return {
      value: ['block-if-contains-last-replica', 'allow-if-replica-is-stopped', 'always-allow'],
      source: `${lmSettings} v1.5.0 SettingDefinitionNodeDrainPolicy`,
    };
  return {
    value: ['block-if-contains-last-replica', 'always-allow'],
    source: `${lmSettings} before v1.5.0: allow-node-drain-with-last-healthy-replica (false / true)`,
  };
}
