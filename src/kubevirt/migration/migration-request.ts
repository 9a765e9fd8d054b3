/**
 * What one live migration needs to know, and what it reports. Plain numbers in the unit named last.
 */
import {
  kubevirtMigrationDefaults,
  LATEST_KUBEVIRT_VERSION,
} from '../../profiles/kubevirt-migration-defaults.ts';
import { valuesOf } from '../../profiles/sourced.ts';
import type { LiveMigrationOutcome } from '../../trace/migration.ts';
import {
  kubevirtMonitorDefaults,
  MIGRATION_MODEL_PARAMETERS,
  type MonitorDecisionTable,
  QEMU_MIGRATION_DEFAULTS,
} from '../defaults.ts';
import type { DirtyRateVariability } from './guest-dirtying.ts';
import type { PassRecord } from './precopy-machine.ts';

/** The guest as the migration sees it. */
export interface GuestWorkload {
  /** Guest memory (`spec.domain.memory.guest` or the memory request). */
  readonly memoryBytes: number;
  /** Memory written at least once; the rest are zero pages. */
  readonly usedMemoryBytes: number;
  readonly workingSetBytes: number;
  /** Unthrottled dirty rate in 4 KiB pages per second. */
  readonly dirtyPagesPerSecond: number;
  /** 0 = CPU-bound writer (rate × (1 − throttle)); see guest-dirtying.ts. */
  readonly throttleCatchUpMs: number;
  /** Local disk bytes copied first by BlockMigration (0 = LiveMigration, memory only). */
  readonly blockMigrationDiskBytes: number;
  /**
   * Pages outside the working set that the guest's kernel writes again in every sync interval
   * (guest-dirtying.ts, markedHotSetPages); unset = 0; `measuredGuestGeometry` gives the measured default.
   */
  readonly hotSetPages?: number;
  /**
   * Share of the independent-subsets overlap of unsent and new pages left while the marks form one
   * run (guest-dirtying.ts); unset = 0 (the working set as one physical run); `measuredGuestGeometry` gives the measured default.
   */
  readonly workingSetOverlapFraction?: number;
  /** Seeded variability of the dirty rate (guest-dirtying.ts); unset = exactly `dirtyPagesPerSecond`. */
  readonly dirtyRateVariability?: DirtyRateVariability;
}

/** The effective migration configuration (cluster config merged with a MigrationPolicy). */
export interface MigrationSettings {
  /** QEMU max-bandwidth via libvirt; 0 = unlimited (the link share decides). */
  readonly bandwidthPerMigrationBytesPerSecond: number;
  /** QEMU max-postcopy-bandwidth; 0 = unlimited. */
  readonly postCopyBandwidthBytesPerSecond: number;
  readonly downtimeLimitMs: number;
  readonly allowAutoConverge: boolean;
  readonly allowPostCopy: boolean;
  readonly allowWorkloadDisruption: boolean;
  readonly completionTimeoutPerGiBSeconds: number;
  readonly progressTimeoutSeconds: number;
  readonly decisionTable: MonitorDecisionTable;
  /** false: bare QEMU with no KubeVirt monitor (the calibration runs). */
  readonly kubevirtMonitor: boolean;
  readonly monitorPollIntervalMs: number;
}

/** Profile parameters (defaults.ts MIGRATION_MODEL_PARAMETERS) and QEMU constants in use. */
export interface MigrationProfile {
  readonly targetPodStartSeconds: number;
  readonly qemuSetupSeconds: number;
  readonly switchoverFixedSeconds: number;
  /** Fixed part of the post-copy switch downtime (the package, not a pre-copy completion). */
  readonly postCopySwitchFixedSeconds: number;
  /** After QEMU's reported downtime, until the guest runs on the target (the destination's load and start). */
  readonly destinationResumeSeconds: number;
  /** Throughput ceiling of the single migration stream; Infinity = only the links limit it. */
  readonly perStreamBytesPerSecond: number;
  readonly deviceStateBytes: number;
  readonly postCopySwitchBytes: number;
  readonly pageSizeBytes: number;
  readonly pageHeaderBytes: number;
  readonly zeroPageBytes: number;
  readonly bufferDelayMs: number;
  /** Loop iteration when no rate limit makes QEMU sleep (`MAX_WAIT` in ram.c). */
  readonly unlimitedIterationMs: number;
  readonly throttleTriggerThresholdPercent: number;
  readonly cpuThrottleInitialPercent: number;
  readonly cpuThrottleIncrementPercent: number;
  readonly cpuThrottleMaxPercent: number;
  /** `cpu-throttle-tailslow` (QEMU default off; KubeVirt does not set it); unset = off. */
  readonly cpuThrottleTailslow?: boolean;
  readonly throttleEvaluationPeriodMs: number;
  readonly throttleHighDirtyCountPerStep: number;
  readonly cpuThrottleTimesliceMs: number;
  /** Consecutive dirty-bitmap syncs are at least this far apart (a sync costs time). */
  readonly minSyncIntervalMs: number;
  /** Share of the working set the sender sweeps before marks form one run again (guest-dirtying.ts). */
  readonly resweepFraction: number;
}

export interface LiveMigrationRequest {
  readonly name: string;
  readonly guest: GuestWorkload;
  readonly settings: MigrationSettings;
  readonly profile: MigrationProfile;
  /** Operator `migrate-start-postcopy` once this pass has been sent (needs allowPostCopy). */
  readonly postCopyAfterPass: number | null;
  /** Operator cancel this long after the migration starts (after the target pod is ready). */
  readonly cancelAfterSeconds: number | null;
}

export interface LiveMigrationResult {
  readonly name: string;
  readonly outcome: LiveMigrationOutcome;
  readonly reason: string;
  readonly vmRunsOn: 'source' | 'target' | 'none';
  /** From the request to the end, target pod start included. */
  readonly totalSeconds: number;
  readonly targetPodStartSeconds: number;
  /** QEMU `total-time`: from `migrate` to the end. */
  readonly migrationSeconds: number;
  /** VM stopped at the switch (stop-and-copy or post-copy switch). */
  readonly downtimeMs: number;
  /**
   * The guest's own pause when it moved: QEMU's downtime plus the destination's resume (QEMU's
   * `downtime_guest` of the harness: source STOP to destination RESUME); 0 when it did not move.
   */
  readonly guestDowntimeMs: number;
  readonly downtimeBytes: number;
  /** Guest suspended by KubeVirt (workload disruption without post-copy) before the switch. */
  readonly guestPausedSeconds: number;
  /** QEMU `dirty-sync-count`. */
  readonly iterations: number;
  readonly transferredBytes: number;
  readonly maxThrottlePercent: number;
  readonly postCopyStartSeconds: number | null;
  readonly passes: readonly PassRecord[];
}

/** The profile with today's defaults and the fitted calibration parameters. */
export function defaultMigrationProfile(): MigrationProfile {
  const q = QEMU_MIGRATION_DEFAULTS;
  const m = MIGRATION_MODEL_PARAMETERS;
  return {
    targetPodStartSeconds: m.targetPodStartSeconds.value,
    qemuSetupSeconds: m.qemuSetupSeconds.value,
    switchoverFixedSeconds: m.switchoverFixedSeconds.value,
    postCopySwitchFixedSeconds: m.postCopySwitchFixedSeconds.value,
    destinationResumeSeconds: m.destinationResumeSeconds.value,
    perStreamBytesPerSecond: m.perStreamBytesPerSecond.value,
    deviceStateBytes: m.deviceStateBytes.value,
    postCopySwitchBytes: m.postCopySwitchBytes.value,
    pageSizeBytes: q.pageSizeBytes.value,
    pageHeaderBytes: q.pageHeaderBytes.value,
    zeroPageBytes: q.zeroPageBytes.value,
    bufferDelayMs: q.bufferDelayMs.value,
    unlimitedIterationMs: q.ramSaveMaxWaitMs.value,
    throttleTriggerThresholdPercent: q.throttleTriggerThresholdPercent.value,
    cpuThrottleInitialPercent: q.cpuThrottleInitialPercent.value,
    cpuThrottleIncrementPercent: q.cpuThrottleIncrementPercent.value,
    cpuThrottleMaxPercent: q.cpuThrottleMaxPercent.value,
    cpuThrottleTailslow: q.cpuThrottleTailslow.value,
    throttleEvaluationPeriodMs: q.throttleEvaluationPeriodMs.value,
    throttleHighDirtyCountPerStep: q.throttleHighDirtyCountPerStep.value,
    cpuThrottleTimesliceMs: q.cpuThrottleTimesliceMs.value,
    resweepFraction: m.resweepFraction.value,
    minSyncIntervalMs: m.minSyncIntervalMs.value,
  };
}

/** KubeVirt's settings for a release, QEMU's downtime-limit, the monitor on. */
export function defaultMigrationSettings(
  kubevirtVersion: string = LATEST_KUBEVIRT_VERSION,
): MigrationSettings {
  const cluster = valuesOf(kubevirtMigrationDefaults(kubevirtVersion));
  const monitor = valuesOf(kubevirtMonitorDefaults(kubevirtVersion));
  return {
    bandwidthPerMigrationBytesPerSecond: cluster.bandwidthPerMigrationBytesPerSecond,
    postCopyBandwidthBytesPerSecond: QEMU_MIGRATION_DEFAULTS.maxPostcopyBandwidthBytesPerSecond.value,
    downtimeLimitMs: QEMU_MIGRATION_DEFAULTS.downtimeLimitMs.value,
    allowAutoConverge: cluster.allowAutoConverge,
    allowPostCopy: cluster.allowPostCopy,
    allowWorkloadDisruption: cluster.allowWorkloadDisruption,
    completionTimeoutPerGiBSeconds: cluster.completionTimeoutPerGiBSeconds,
    progressTimeoutSeconds: cluster.progressTimeoutSeconds,
    decisionTable: monitor.monitorDecisionTable,
    kubevirtMonitor: true,
    monitorPollIntervalMs: monitor.monitorPollIntervalMs,
  };
}
