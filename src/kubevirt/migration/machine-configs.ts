/**
 * The pure machines' configurations for a migration request: QEMU's loop (precopy-machine.ts) and
 * KubeVirt's monitor (monitor.ts).
 */
import type { Simulation } from '../../../sim/index.ts';
import type { AutoConvergeParameters } from './auto-converge.ts';
import { acceptableCompletionSeconds, migrationDataBytes } from './completion-timeout.ts';
import type { LiveMigrationRequest } from './migration-request.ts';
import type { MonitorConfig } from './monitor.ts';
import type { PrecopyConfig } from './precopy-machine.ts';

/** The QEMU loop's configuration for a request. */
export function precopyConfigFor(request: LiveMigrationRequest): PrecopyConfig {
  const { guest, settings, profile } = request;
  const page = profile.pageSizeBytes;
  const memoryPages = Math.ceil(guest.memoryBytes / page);
  const usedPages = Math.min(memoryPages, Math.ceil(guest.usedMemoryBytes / page));
  const autoConverge: AutoConvergeParameters = {
    enabled: settings.allowAutoConverge,
    triggerThresholdPercent: profile.throttleTriggerThresholdPercent,
    initialPercent: profile.cpuThrottleInitialPercent,
    incrementPercent: profile.cpuThrottleIncrementPercent,
    maxPercent: profile.cpuThrottleMaxPercent,
    evaluationPeriodSeconds: profile.throttleEvaluationPeriodMs / 1000,
    highDirtyCountPerStep: profile.throttleHighDirtyCountPerStep,
    tailslow: profile.cpuThrottleTailslow ?? false,
  };
  return {
    pageSizeBytes: page,
    pageHeaderBytes: profile.pageHeaderBytes,
    zeroPageBytes: profile.zeroPageBytes,
    usedPages,
    zeroPages: memoryPages - usedPages,
    workingSetPages: Math.min(usedPages, Math.ceil(guest.workingSetBytes / page)),
    resweepFraction: profile.resweepFraction,
    contiguousOverlapFraction: guest.workingSetOverlapFraction ?? 0,
    hotSetPages: Math.max(
      0,
      Math.min(guest.hotSetPages ?? 0, usedPages - Math.ceil(guest.workingSetBytes / page)),
    ),
    downtimeLimitSeconds: settings.downtimeLimitMs / 1000,
    deviceStateBytes: profile.deviceStateBytes,
    postCopySwitchBytes: profile.postCopySwitchBytes,
    autoConverge,
    postCopyAfterPass: settings.allowPostCopy ? request.postCopyAfterPass : null,
  };
}

/** The monitor's configuration, or null when the request runs bare QEMU. */
export function monitorConfigFor(request: LiveMigrationRequest): MonitorConfig | null {
  const { settings, guest } = request;
  if (!settings.kubevirtMonitor) return null;
  return {
    decisionTable: settings.decisionTable,
    acceptableCompletionSeconds: acceptableCompletionSeconds(
      settings.completionTimeoutPerGiBSeconds,
      migrationDataBytes(guest.memoryBytes, guest.blockMigrationDiskBytes),
    ),
    progressTimeoutSeconds: settings.progressTimeoutSeconds,
    allowPostCopy: settings.allowPostCopy,
    allowWorkloadDisruption: settings.allowWorkloadDisruption,
  };
}

/**
 * The QEMU loop's configuration with this run's overlap share when the guest's page layout varies
 * from boot to boot (guest-dirtying.ts `DirtyRateVariability`): drawn from the run's
 * `kubevirt.migration.page-layout/<name>` stream, exponential with the given mean, at most 1.
 */
export function withDrawnOverlap(
  sim: Simulation,
  request: LiveMigrationRequest,
  config: PrecopyConfig,
): PrecopyConfig {
  const mean = request.guest.dirtyRateVariability?.overlapFractionPerRunMean;
  if (mean === undefined) return config;
  const drawn = sim.rng.stream(`kubevirt.migration.page-layout/${request.name}`).exponential(mean);
  return { ...config, contiguousOverlapFraction: Math.min(1, drawn) };
}
