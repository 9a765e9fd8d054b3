/**
 * Longhorn behaviour the version profile does not carry: rebuild speed, version gates, bug ranges and
 * the model's own bounds (the settings a scenario may override are src/profiles/longhorn-defaults.ts).
 * One typed table, each entry with its upstream source; `longhornModelDefaults(longhornVersion,
 * dataEngine)` gives one release's table, `longhornModelParameters` its plain values. Plain numbers
 * in the unit named last in the field name.
 */
import { type SourcedFields, valuesOf } from '../profiles/sourced.ts';
import { compareVersions, isAtLeast } from '../profiles/version.ts';

export type DataEngine = 'v1' | 'v2';

/** How an UNMAP (guest trim) sent while the volume has a WO (rebuilding) replica ends. */
export type UnmapWhileRebuilding =
  /** LH < 1.4: no trim support at all; the discard is not passed through (LL#836). */
  | 'unsupported'
  /** LH 1.4.0-1.4.4, 1.5.0-1.5.3, 1.6.0: "can not unmap volume when there is WO replica" -> IO error. */
  | 'io-error'
  /** LH 1.5.4, 1.6.1, 1.7.0+: success with 0 bytes and a warning (LE PR #1008). */
  | 'zero-bytes-warning';

export interface LonghornModelParameters {
  readonly longhornVersion: string;
  readonly dataEngine: DataEngine;
  /** Throughput of one rebuild stream; a single file stream does not fill a 10 GbE link. */
  readonly rebuildStreamBytesPerSecond: number;
  /** Fixed cost before data moves: system snapshot, adding the WO replica, PrepareRebuildReplica. */
  readonly rebuildSetupSeconds: number;
  /** Read + SHA-512 of 2 MiB batches on both nodes during a delta sync (per rebuild). */
  readonly deltaHashBytesPerSecond: number;
  /** Whether a failed replica may be reused (delta rebuild) at all. */
  readonly reuseFailedReplicas: boolean;
  /** Whether an unchanged, checksummed snapshot is skipped (fast rebuild). */
  readonly fastRebuild: boolean;
  /** Whether the replenishment wait interval applies (v2 with fast rebuild off skips it). */
  readonly replenishmentWaitApplies: boolean;
  /** LH >= 1.7: a new replica CR is created only if a disk candidate exists (precheckCreateReplica). */
  readonly precheckCreateReplica: boolean;
  /** Sources a rebuild may read from at once (replica-rebuild-concurrent-sync-limit, LH 1.11+). */
  readonly rebuildConcurrentSyncLimit: number;
  /** v2 `replica-rebuilding-bandwidth-limit` in bytes/s; 0 = unlimited or not available. */
  readonly rebuildBandwidthLimitBytesPerSecond: number;
  /** `offline-replica-rebuilding` (rebuilding detached volumes): off by default. */
  readonly offlineRebuilding: boolean;
  /** Whether the release has offline rebuilding for v1 volumes at all (a general setting from LH 1.9). */
  readonly offlineRebuildingAvailable: boolean;
  /** LH >= 1.10: the last healthy replica is failed only after 2 x engine-replica-timeout. */
  readonly lastReplicaTimeoutFactor: number;
  /** A replica with this many rebuild retries is never reused. */
  readonly failedReplicaMaxRetryCount: number;
  /** v2 on LH <= 1.6: failed replicas are deleted at once if a safe replica exists. */
  readonly deleteFailedReplicasAtOnce: boolean;
  readonly unmapWhileRebuilding: UnmapWhileRebuilding;
  /** v2 (SPDK AIO bdev) rejects UNMAP on non-NVMe disks: trims always return IO errors. */
  readonly unmapFailsOnNonNvmeDisk: boolean;
  /** `storageAvailable` is rounded down to this (go-common-libs io/file.go). */
  readonly storageAvailableRoundingBytes: number;
  /** replica-replenishment-wait-interval while a Harvester upgrade runs (restored afterwards). */
  readonly upgradeReplenishmentWaitSeconds: number;
  /** How often the model polls the world's node probe after a power-on. */
  readonly nodeProbeSeconds: number;
  /** Bound on those polls after one power-on (every wait has a limit). */
  readonly maxNodeProbes: number;
}

/** The table: every parameter with its source. */
export type LonghornModelDefaults = SourcedFields<LonghornModelParameters>;

const MiB = 1024 * 1024;
const LM = 'longhorn/longhorn-manager';
const LE = 'longhorn/longhorn-engine';
const LM_SETTINGS = `${LM}:types/setting.go`;
const REPLICA_SCHEDULER = `${LM}:scheduler/replica_scheduler.go`;
const MODEL_DOC = 'docs/model/longhorn.md';

/**
 * Longhorn 1.4.0..1.6.0 lack the LE "Don't return an error on unmap while rebuilding" fix
 * (longhorn/longhorn#7103, backported to 1.5.4 and 1.6.1); 1.4.5, which would have carried it, was
 * never released (`git tag --contains` on longhorn/longhorn-engine).
 */
export const TRIM_BUG_AFFECTED_RANGES: readonly (readonly [string, string])[] = [
  ['1.4.0', '1.4.4'],
  ['1.5.0', '1.5.3'],
  ['1.6.0', '1.6.0'],
];

function inRange(version: string, [low, high]: readonly [string, string]): boolean {
  return compareVersions(version, low) >= 0 && compareVersions(version, high) <= 0;
}

export function unmapWhileRebuilding(longhornVersion: string): UnmapWhileRebuilding {
  if (!isAtLeast(longhornVersion, '1.4.0')) return 'unsupported';
  if (TRIM_BUG_AFFECTED_RANGES.some((range) => inRange(longhornVersion, range))) return 'io-error';
  return 'zero-bytes-warning';
}

export function longhornModelDefaults(
  longhornVersion: string,
  dataEngine: DataEngine = 'v1',
): LonghornModelDefaults {
  const v2 = dataEngine === 'v2';
  const v2FastRebuild = v2 && isAtLeast(longhornVersion, '1.10.0');
  const reuse = v2 ? v2FastRebuild : true;
  const fast = v2 ? v2FastRebuild : isAtLeast(longhornVersion, '1.4.0');
  return {
    longhornVersion: { value: longhornVersion, source: 'profile.components.longhorn' },
    dataEngine: {
      value: dataEngine,
      source:
        'harvester/harvester:deploy/charts/harvester/templates/harvester-storageclass.yaml (no dataEngine parameter: Longhorn takes v1)',
    },
    rebuildStreamBytesPerSecond: {
      value: 61.3e6,
      source:
        'longhorn/longhorn#1948 (38.8 GiB in 648 s = 61.3 MB/s on 10 GbE); range 37-100 MB/s in longhorn/longhorn#6728, #2053, #1795',
    },
    rebuildSetupSeconds: {
      value: 5,
      source: `unverified: ${LE}:pkg/sync/sync.go (AddReplica: system snapshot, WO replica, PrepareRebuildReplica) has no published duration`,
    },
    deltaHashBytesPerSecond: {
      value: 500e6,
      source:
        "unverified: longhorn/sparse-tools:sparse/client.go (SHA-512 of 2 MiB batches, 4 workers, on both ends); order of one core's SHA-512 rate",
    },
    reuseFailedReplicas: {
      value: reuse,
      source: v2
        ? `${LM}@v1.7.2:scheduler/replica_scheduler.go (CheckAndReuseFailedReplica returns nil for v2); 1.8-1.9 only with v2-data-engine-fast-replica-rebuilding (default false), 1.10 default true (${LM_SETTINGS})`
        : `${REPLICA_SCHEDULER} (CheckAndReuseFailedReplica)`,
    },
    fastRebuild: {
      value: fast,
      source: v2
        ? `${LM_SETTINGS} (v2-data-engine-fast-replica-rebuilding false in 1.8-1.9, true from 1.10)`
        : `${LM} commit dd9ec643e (fast-replica-rebuild-enabled true since LH 1.4.0)`,
    },
    replenishmentWaitApplies: {
      value: !v2 || v2FastRebuild,
      source: `${REPLICA_SCHEDULER} (RequireNewReplica: v2 without fast rebuilding returns 0)`,
    },
    precheckCreateReplica: {
      value: isAtLeast(longhornVersion, '1.7.0'),
      source: `${LM} commit 71c3d11d2 (precheckCreateReplica, LH 1.7.0; ${LM}:controller/volume_controller.go)`,
    },
    rebuildConcurrentSyncLimit: {
      value: 1,
      source: isAtLeast(longhornVersion, '1.11.0')
        ? 'longhorn/website:content/docs/1.11.0/…/scale-replica-rebuilding.md (replica-rebuild-concurrent-sync-limit default 1, range 1-5); longhorn/longhorn#11331'
        : `${LE}@v1.9.0:pkg/sync (getFromReplicaClientForTransfer: a single source)`,
    },
    rebuildBandwidthLimitBytesPerSecond: {
      value: 0,
      source: `${LM_SETTINGS} (replica-rebuilding-bandwidth-limit 0 = unlimited, LH 1.10+, v2 only; v1 has no throttle, longhorn/longhorn#2053 wontfix)`,
    },
    offlineRebuilding: {
      value: false,
      source: `${LM_SETTINGS} (offline-replica-rebuilding false)`,
    },
    offlineRebuildingAvailable: {
      value: isAtLeast(longhornVersion, '1.9.0'),
      source: `${LM_SETTINGS} (offline-replica-rebuilding: a general setting from LH 1.9.0, v2-only in 1.5-1.8)`,
    },
    lastReplicaTimeoutFactor: {
      value: isAtLeast(longhornVersion, '1.10.0') ? 2 : 1,
      source: `${LM_SETTINGS} (engine-replica-timeout: from LH 1.10 the last replica is failed only after 2x)`,
    },
    failedReplicaMaxRetryCount: {
      value: 5,
      source: `${REPLICA_SCHEDULER} (FailedReplicaMaxRetryCount = 5)`,
    },
    deleteFailedReplicasAtOnce: {
      value: v2 && !isAtLeast(longhornVersion, '1.7.0'),
      source: `${LM}:controller/volume_controller.go (shouldCleanUpFailedReplica: v2 on LH <= 1.6)`,
    },
    unmapWhileRebuilding: {
      value: unmapWhileRebuilding(longhornVersion),
      source:
        'longhorn/longhorn#7103 (backport 1.4.5, 1.5.4, 1.6.1); longhorn/longhorn-engine PR #1008 "Don\'t return an error on unmap while rebuilding"; KB harvesterhci.io/kb/the_potential_risk_with_filesystem_trim',
    },
    unmapFailsOnNonNvmeDisk: {
      value: v2,
      source: 'harvester/docs PR #676, harvester/harvester#7092 (SPDK AIO bdev does not support UNMAP)',
    },
    storageAvailableRoundingBytes: {
      value: 100 * MiB,
      source: 'longhorn/go-common-libs:io/file.go (available rounded down to 100 MiB)',
    },
    upgradeReplenishmentWaitSeconds: {
      value: 1800,
      source:
        'harvester/harvester:pkg/controller/master/upgrade/upgrade_controller.go (extendedReplicaReplenishmentWaitInterval = 1800, restored by cleanup)',
    },
    nodeProbeSeconds: {
      value: 5,
      source: `model mechanic, unverified: of the order of the longhorn-manager node controller resync; used only when the world gives a probe (${MODEL_DOC})`,
    },
    maxNodeProbes: {
      value: 86_400,
      source: `model bound, not upstream: 86,400 probes (5 days at 5 s) after one power-on (${MODEL_DOC})`,
    },
  };
}

/** The values alone, for the model. */
export function longhornModelParameters(
  longhornVersion: string,
  dataEngine: DataEngine = 'v1',
): LonghornModelParameters {
  return valuesOf(longhornModelDefaults(longhornVersion, dataEngine));
}
