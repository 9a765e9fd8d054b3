/**
 * Longhorn behaviour the version profile does not carry (the profile holds the settings; this table
 * holds rebuild speed, version gates and bug ranges). One typed table, each entry with its source;
 * `longhornModelDefaults(longhornVersion, dataEngine)` selects the values of one release.
 * Research: /work/shared/research/longhorn.md (§ numbers below refer to it).
 */
import type { Sourced } from '../profiles/types.ts';
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

export interface LonghornModelDefaults {
  readonly longhornVersion: Sourced<string>;
  readonly dataEngine: Sourced<DataEngine>;
  /** Throughput of one rebuild stream; a single file stream does not fill a 10 GbE link. */
  readonly rebuildStreamBytesPerSecond: Sourced<number>;
  /** Fixed cost before data moves: system snapshot, adding the WO replica, PrepareRebuildReplica. */
  readonly rebuildSetupSeconds: Sourced<number>;
  /** Read + SHA-512 of 2 MiB batches on both nodes during a delta sync (per rebuild). */
  readonly deltaHashBytesPerSecond: Sourced<number>;
  /** Whether a failed replica may be reused (delta rebuild) at all. */
  readonly reuseFailedReplicas: Sourced<boolean>;
  /** Whether an unchanged, checksummed snapshot is skipped (fast rebuild). */
  readonly fastRebuild: Sourced<boolean>;
  /** Whether the replenishment wait interval applies (v2 with fast rebuild off skips it). */
  readonly replenishmentWaitApplies: Sourced<boolean>;
  /** LH >= 1.7: a new replica CR is created only if a disk candidate exists (precheckCreateReplica). */
  readonly precheckCreateReplica: Sourced<boolean>;
  /** Sources a rebuild may read from at once (replica-rebuild-concurrent-sync-limit, LH 1.11+). */
  readonly rebuildConcurrentSyncLimit: Sourced<number>;
  /** v2 `replica-rebuilding-bandwidth-limit` in bytes/s; 0 = unlimited or not available. */
  readonly rebuildBandwidthLimitBytesPerSecond: Sourced<number>;
  /** Offline (detached) rebuilding: exists from LH 1.9 (general setting), off by default. */
  readonly offlineRebuilding: Sourced<boolean>;
  /** LH >= 1.10: the last healthy replica is failed only after 2 x engine-replica-timeout. */
  readonly lastReplicaTimeoutFactor: Sourced<number>;
  /** A replica with this many rebuild retries is never reused. */
  readonly failedReplicaMaxRetryCount: Sourced<number>;
  /** v2 on LH <= 1.6: failed replicas are deleted at once if a safe replica exists. */
  readonly deleteFailedReplicasAtOnce: Sourced<boolean>;
  readonly unmapWhileRebuilding: Sourced<UnmapWhileRebuilding>;
  /** v2 (SPDK AIO bdev) rejects UNMAP on non-NVMe disks: trims always return IO errors. */
  readonly unmapFailsOnNonNvmeDisk: Sourced<boolean>;
  /** `storageAvailable` is rounded down to this (go-common-libs io/file.go). */
  readonly storageAvailableRoundingBytes: Sourced<number>;
  /** How often the model polls the world's node probe after a power-on. */
  readonly nodeProbeSeconds: Sourced<number>;
}

const MiB = 1024 * 1024;
const LM = 'longhorn/longhorn-manager';
const LE = 'longhorn/longhorn-engine';
const RESEARCH = 'research/longhorn.md';

/**
 * Longhorn 1.4.0..1.6.0 lack the LE "Don't return an error on unmap while rebuilding" fix;
 * 1.4.5 was never released (research §4, `git tag --contains` on LE).
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
      source: 'StorageClass dataEngine; v1 is the Harvester default (research §6)',
    },
    rebuildStreamBytesPerSecond: {
      value: 61.3e6,
      source:
        'longhorn/longhorn#1948 (38.8 GiB in 648 s = 61.3 MB/s on 10 GbE); range 37-100 MB/s in #6728, #2053, #1795 (research §2.3)',
    },
    rebuildSetupSeconds: {
      value: 5,
      source: `unverified: ${RESEARCH} §2.2 names a setup term (snapshot, add WO replica, PrepareRebuildReplica) without a number`,
    },
    deltaHashBytesPerSecond: {
      value: 500e6,
      source: `unverified: ${RESEARCH} §2.1 (SHA-512 of 2 MiB batches, 4 workers, both ends); order of one core's SHA-512 rate`,
    },
    reuseFailedReplicas: {
      value: reuse,
      source: v2
        ? `${LM}@v1.7.2:scheduler/replica_scheduler.go (CheckAndReuseFailedReplica returns nil for v2); 1.8-1.9 only with v2 fast rebuild (default false), 1.10 default true (research §6)`
        : `${LM}:scheduler/replica_scheduler.go (CheckAndReuseFailedReplica)`,
    },
    fastRebuild: {
      value: fast,
      source: v2
        ? `${LM}:types/setting.go (v2-data-engine-fast-replica-rebuilding false in 1.8-1.9, true from 1.10)`
        : `${LM} commit dd9ec643e (fast-replica-rebuild-enabled true since LH 1.4.0)`,
    },
    replenishmentWaitApplies: {
      value: !v2 || v2FastRebuild,
      source: `${LM}:scheduler/replica_scheduler.go (RequireNewReplica: v2 without fast rebuilding returns 0)`,
    },
    precheckCreateReplica: {
      value: isAtLeast(longhornVersion, '1.7.0'),
      source: `${LM} commit 71c3d11d2 (precheckCreateReplica, LH 1.7.0; research §1.4)`,
    },
    rebuildConcurrentSyncLimit: {
      value: 1,
      source: isAtLeast(longhornVersion, '1.11.0')
        ? 'longhorn/website:content/docs/1.11.0/…/scale-replica-rebuilding.md (replica-rebuild-concurrent-sync-limit default 1, range 1-5); LL#11331'
        : `${LE}@v1.9.0:pkg/sync (getFromReplicaClientForTransfer: a single source)`,
    },
    rebuildBandwidthLimitBytesPerSecond: {
      value: 0,
      source: `${LM}:types/setting.go (replica-rebuilding-bandwidth-limit 0 = unlimited, LH 1.10+, v2 only; v1 has no throttle, LL#2053 wontfix)`,
    },
    offlineRebuilding: {
      value: false,
      source: `${LM}:types/setting.go (offline-replica-rebuilding false; general from 1.9.0, v2-only in 1.5-1.8)`,
    },
    lastReplicaTimeoutFactor: {
      value: isAtLeast(longhornVersion, '1.10.0') ? 2 : 1,
      source: `${LM}:types/setting.go (engine-replica-timeout: from LH 1.10 the last replica is failed only after 2x; research §1.1)`,
    },
    failedReplicaMaxRetryCount: {
      value: 5,
      source: `${LM}:scheduler/replica_scheduler.go (FailedReplicaMaxRetryCount = 5)`,
    },
    deleteFailedReplicasAtOnce: {
      value: v2 && !isAtLeast(longhornVersion, '1.7.0'),
      source: `${LM}:controller/volume_controller.go (shouldCleanUpFailedReplica: v2 on LH <= 1.6; research §1.4)`,
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
      source: 'longhorn/go-common-libs:io/file.go (available rounded down to 100 MiB; research §3)',
    },
    nodeProbeSeconds: {
      value: 5,
      source:
        'model mechanic, unverified: of the order of the longhorn-manager node controller resync; used only when the world gives a probe',
    },
  };
}

/** The values alone, for the model. */
export type LonghornModelParameters = {
  readonly [K in keyof LonghornModelDefaults]: LonghornModelDefaults[K]['value'];
};

export function longhornModelParameters(
  longhornVersion: string,
  dataEngine: DataEngine = 'v1',
): LonghornModelParameters {
  const table = longhornModelDefaults(longhornVersion, dataEngine);
  const values: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(table)) values[key] = entry.value;
  return values as LonghornModelParameters;
}
