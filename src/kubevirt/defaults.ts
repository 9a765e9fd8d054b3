/**
 * Constants of a live migration that no user setting changes, as data: the KubeVirt monitor's per
 * release, QEMU's, the migration model's measured or fitted parameters, and the simulator's own
 * limits on a migration run. Each entry carries its upstream source. The settable migration
 * configuration (`KubeVirt.spec.configuration.migrations`) is
 * src/profiles/kubevirt-migration-defaults.ts; the controllers' constants are in
 * controller/defaults.ts. Plain numbers in the unit named last in the field name.
 */
import type { SourcedFields } from '../profiles/sourced.ts';
import type { Sourced } from '../profiles/types.ts';
import { isAtLeast } from '../profiles/version.ts';

const MONITOR = 'kubevirt/kubevirt:pkg/virt-launcher/virtwrap/live-migration-source.go';
const QEMU_OPTIONS = 'qemu/qemu:migration/options.c';
const QEMU_RAM = 'qemu/qemu:migration/ram.c';
const QEMU_MIGRATION = 'qemu/qemu:migration/migration.c';

/** Which row 2 of the monitor's decision table a release runs (docs/model/migration.md, "KubeVirt monitor"). */
export type MonitorDecisionTable =
  /** v1.5+: `allowWorkloadDisruption` gates post-copy, else pause the guest and double the deadline. */
  | 'workload-disruption'
  /** before v1.5: `allowPostCopy` alone gates post-copy at the completion timeout; no pause path. */
  | 'legacy-post-copy';

/** virt-launcher's migration monitor, for one release. */
export interface KubevirtMonitorConstants {
  readonly monitorDecisionTable: MonitorDecisionTable;
  /** The monitor calls `GetJobStats` this often. */
  readonly monitorPollIntervalMs: number;
  readonly monitorLogIntervalMs: number;
  /** Multifd connections when allowed; Harvester VMs carry a CPU limit, so they use one stream. */
  readonly parallelMultifdMigrationThreads: number;
}

/** The monitor constants of one KubeVirt release ("v1.3.1", "1.5", ...). */
export function kubevirtMonitorDefaults(kubevirtVersion: string): SourcedFields<KubevirtMonitorConstants> {
  return {
    monitorDecisionTable: isAtLeast(kubevirtVersion, '1.5.0')
      ? { value: 'workload-disruption', source: `${MONITOR} (handleLegacyConvergence, v1.5+)` }
      : { value: 'legacy-post-copy', source: `${MONITOR} (startMonitor, before v1.5)` },
    monitorPollIntervalMs: { value: 400, source: `${MONITOR} (monitorSleepPeriodMS)` },
    monitorLogIntervalMs: { value: 4000, source: `${MONITOR} (monitorLogPeriodMS)` },
    parallelMultifdMigrationThreads: {
      value: 8,
      source: 'kubevirt/kubevirt:pkg/virt-handler/controller.go (parallelMultifdMigrationThreads)',
    },
  };
}

/** QEMU migration parameters KubeVirt does not set (libvirt overrides only max-bandwidth). */
export interface QemuMigrationDefaults {
  readonly downtimeLimitMs: Sourced<number>;
  /** QEMU's own default; libvirt replaces it by ~unlimited (`QEMU_DOMAIN_MIG_BANDWIDTH_MAX`). */
  readonly maxBandwidthBytesPerSecond: Sourced<number>;
  /** Rate-limit and bandwidth-measurement window (`BUFFER_DELAY`). */
  readonly bufferDelayMs: Sourced<number>;
  readonly throttleTriggerThresholdPercent: Sourced<number>;
  readonly cpuThrottleInitialPercent: Sourced<number>;
  readonly cpuThrottleIncrementPercent: Sourced<number>;
  readonly cpuThrottleMaxPercent: Sourced<number>;
  /** cpu_throttle_set clamps every throttle to this, whatever max-cpu-throttle says. */
  readonly cpuThrottleCeilingPercent: Sourced<number>;
  readonly cpuThrottleTailslow: Sourced<boolean>;
  /** Auto-converge evaluates at a dirty sync only this long after the previous evaluation. */
  readonly throttleEvaluationPeriodMs: Sourced<number>;
  /** Evaluations finding a high dirty rate needed per throttle step (`dirty_rate_high_cnt >= 2`). */
  readonly throttleHighDirtyCountPerStep: Sourced<number>;
  /** vCPU runs this slice, then sleeps p/(1-p) of it (`CPU_THROTTLE_TIMESLICE_NS`). */
  readonly cpuThrottleTimesliceMs: Sourced<number>;
  readonly pageSizeBytes: Sourced<number>;
  /** Header before each page on the wire (`RAM_SAVE_FLAG_*` + offset, 8 bytes). */
  readonly pageHeaderBytes: Sourced<number>;
  /** A zero page is sent as header plus one fill byte. */
  readonly zeroPageBytes: Sourced<number>;
  /** ram_save_iterate returns after this long when no rate limit stops it first. */
  readonly ramSaveMaxWaitMs: Sourced<number>;
  /** 0 = unlimited. */
  readonly maxPostcopyBandwidthBytesPerSecond: Sourced<number>;
}

const MiB = 2 ** 20;

export const QEMU_MIGRATION_DEFAULTS: QemuMigrationDefaults = {
  downtimeLimitMs: { value: 300, source: `${QEMU_OPTIONS} (DEFAULT_MIGRATE_SET_DOWNTIME)` },
  maxBandwidthBytesPerSecond: { value: 128 * MiB, source: `${QEMU_OPTIONS} (MAX_THROTTLE)` },
  bufferDelayMs: { value: 100, source: `${QEMU_MIGRATION} (BUFFER_DELAY)` },
  throttleTriggerThresholdPercent: {
    value: 50,
    source: `${QEMU_OPTIONS} (DEFAULT_MIGRATE_THROTTLE_TRIGGER_THRESHOLD)`,
  },
  cpuThrottleInitialPercent: { value: 20, source: `${QEMU_OPTIONS} (DEFAULT_MIGRATE_CPU_THROTTLE_INITIAL)` },
  cpuThrottleIncrementPercent: {
    value: 10,
    source: `${QEMU_OPTIONS} (DEFAULT_MIGRATE_CPU_THROTTLE_INCREMENT)`,
  },
  cpuThrottleMaxPercent: { value: 99, source: `${QEMU_OPTIONS} (DEFAULT_MIGRATE_MAX_CPU_THROTTLE)` },
  cpuThrottleCeilingPercent: {
    value: 99,
    source: 'qemu/qemu:system/cpu-throttle.c (CPU_THROTTLE_PCT_MAX; cpu_throttle_set clamps to it)',
  },
  cpuThrottleTailslow: { value: false, source: `${QEMU_OPTIONS} (cpu-throttle-tailslow)` },
  throttleEvaluationPeriodMs: {
    value: 1000,
    source: `${QEMU_RAM} (migration_bitmap_sync: end_time > time_last_bitmap_sync + 1000)`,
  },
  throttleHighDirtyCountPerStep: {
    value: 2,
    source: `${QEMU_RAM} (migration_trigger_throttle: ++dirty_rate_high_cnt >= 2)`,
  },
  cpuThrottleTimesliceMs: {
    value: 10,
    source: 'qemu/qemu:system/cpu-throttle.c (CPU_THROTTLE_TIMESLICE_NS)',
  },
  pageSizeBytes: { value: 4096, source: 'qemu/qemu:target/i386/cpu-param.h (TARGET_PAGE_BITS 12)' },
  pageHeaderBytes: { value: 8, source: `${QEMU_RAM} (save_page_header: be64 offset|flags)` },
  zeroPageBytes: { value: 9, source: `${QEMU_RAM} (save_zero_page: header + 1 byte)` },
  ramSaveMaxWaitMs: { value: 50, source: `${QEMU_RAM} (MAX_WAIT)` },
  maxPostcopyBandwidthBytesPerSecond: { value: 0, source: `${QEMU_OPTIONS} (max-postcopy-bandwidth)` },
};

/**
 * Profile parameters of the migration model that no upstream constant fixes: measured or fitted.
 * Fitted values name the fit (data, method, residual) in their source.
 */
export interface MigrationModelParameters {
  /** Target virt-launcher pod from creation to TargetReady (scheduling, image, launcher start). */
  readonly targetPodStartSeconds: Sourced<number>;
  /** QEMU `setup-time`: from `migrate` to the first page sent. */
  readonly qemuSetupSeconds: Sourced<number>;
  /** Fixed part of the stop-and-copy downtime (device state, vCPU stop, completion handshake). */
  readonly switchoverFixedSeconds: Sourced<number>;
  /** Link speed of the final copy: QEMU lifts max-bandwidth at completion (README point 2). */
  readonly switchoverBytesPerSecond: Sourced<number>;
  /**
   * Fixed part of the post-copy switch downtime: vCPU stop, the discard-bitmap sync and the device-state
   * package, without the completion of a pre-copy (no last RAM pass, no wait for the destination).
   */
  readonly postCopySwitchFixedSeconds: Sourced<number>;
  /**
   * From the end of QEMU's reported downtime to the guest running on the target: the destination
   * loads what the switch sent (device state, the post-copy package) and its bottom half starts the
   * vCPUs. QEMU's `downtime` is measured on the source and stops before this.
   */
  readonly destinationResumeSeconds: Sourced<number>;
  /** Throughput ceiling of one migration stream (TLS proxy + one QEMU thread); Harvester = 1 stream. */
  readonly perStreamBytesPerSecond: Sourced<number>;
  /**
   * Dirty-page geometry: after the bitmap covered the whole working set, the sender's position is
   * arbitrary (unsent and new pages overlap at random) until it has swept this share of the set;
   * then unsent pages are one run the writer extends without overlap.
   */
  readonly resweepFraction: Sourced<number>;
  /** Consecutive dirty-bitmap syncs are at least this far apart (bitmap sync and loop cost). */
  readonly minSyncIntervalMs: Sourced<number>;
  /** Device state sent after the last RAM pages in the stop-and-copy. */
  readonly deviceStateBytes: Sourced<number>;
  /** Device state plus discard bitmap sent while stopped at the post-copy switch. */
  readonly postCopySwitchBytes: Sourced<number>;
}

const CALIBRATION = 'test/calibration/qemu/results.csv';
const FIT = `least squares across runs of ${CALIBRATION} (test/calibration/fit-parameters.ts)`;

/** Facts of the calibration campaign's set-up (not of Harvester), fitted across its runs. */
export interface CalibrationCampaignParameters {
  /** Non-zero guest pages beyond the dirtier's: base + perMemoryPage × guest pages. */
  readonly residentBasePages: Sourced<number>;
  readonly residentPagesPerMemoryPage: Sourced<number>;
  /** The paced dirtier makes up this much of each throttle stall (its configured `catchup_us`). */
  readonly throttleCatchUpMs: Sourced<number>;
  /**
   * What it makes up in effect: the configured catch-up less the part of its 1 ms tick in progress
   * when the vCPU stopped and the vCPU's wake-up delay, measured second by second in the traces.
   */
  readonly throttleEffectiveCatchUpMs: Sourced<number>;
  /** How much the guest's dirty rate varies from second to second, and from run to run (`migrate --runs`). */
  readonly dirtyRatePerSecondRelativeSd: Sourced<number>;
  readonly dirtyRatePerRunRelativeSd: Sourced<number>;
  /** Wire bytes per normal page beyond 4096 and per zero page, fitted (QEMU's 8 and 9 confirmed). */
  readonly fittedPageHeaderBytes: Sourced<number>;
  readonly fittedZeroPageBytes: Sourced<number>;
  /** Pages outside the working set dirtied again in every sync interval: base + perPage × WSS pages. */
  readonly hotSetBasePages: Sourced<number>;
  readonly hotSetPagesPerWorkingSetPage: Sourced<number>;
  /**
   * While the marks form one run behind the writer, this share of the independent-subsets overlap
   * of unsent and newly written pages remains (the working set is not one physical run).
   */
  readonly workingSetOverlapFraction: Sourced<number>;
  /**
   * The same share fitted run by run: it differs from boot to boot (where the working set's pages
   * lie), so `migrate --runs` draws it per run from an exponential distribution of this mean.
   */
  readonly workingSetOverlapPerRunMean: Sourced<number>;
}

export const QEMU_CALIBRATION_CAMPAIGN: CalibrationCampaignParameters = {
  residentBasePages: {
    value: 14318,
    source: `${FIT}: normal_pages − guest_alloc pages on the 7 idle converged runs (rms 9 pages)`,
  },
  residentPagesPerMemoryPage: {
    value: 0.0173,
    source: `${FIT}: same fit (struct page array ≈ 64 B / 4 KiB)`,
  },
  throttleCatchUpMs: {
    value: 4,
    source: `${CALIBRATION.replace('results.csv', 'traces')}/*.jsonl DIRTIER-START catchup_us=4000`,
  },
  throttleEffectiveCatchUpMs: {
    value: 2.84,
    source: `${FIT.replace('results.csv', 'traces')} (fitThrottleCatchUp): share × (10 + S) − 10 over the 96 settled seconds at throttle ≥ 30 % of the auto-converge runs, S = 10·p/(1 − p) ms (rms 0.26 ms)`,
  },
  dirtyRatePerSecondRelativeSd: {
    value: 0.0101,
    source: `${CALIBRATION.replace('results.csv', 'traces')}: standard deviation of each per-second DIRTY report from its run's mean, unthrottled, during the migration, over the 737 reports of the runs with a dirtying guest`,
  },
  dirtyRatePerRunRelativeSd: {
    value: 0.022,
    source: `${CALIBRATION}: standard deviation of achieved_rate_pps / target_rate_pps − 1 over the 28 pre-copy runs with 0 < target < 100,000 pages/s (mean −1.8 %)`,
  },
  fittedPageHeaderBytes: {
    value: 8.01,
    source: `${FIT}: transferred − 4096 × normal = h × normal + z × zero over 38 pre-copy runs (rms 1.4 kB)`,
  },
  fittedZeroPageBytes: { value: 9.05, source: `${FIT}: same fit` },
  hotSetBasePages: {
    value: 104.6,
    source: `${FIT.replace('results.csv', 'traces')} (fitGeometry): marked − WSS pages = base + perPage × WSS over the 149 syncs whose interval covered the whole working set (rms 46 pages)`,
  },
  hotSetPagesPerWorkingSetPage: {
    value: 0.002626,
    source: `${FIT.replace('results.csv', 'traces')}: same fit (about the working set's page tables, 1/512)`,
  },
  workingSetOverlapFraction: {
    value: 0.1848,
    source: `${FIT.replace('results.csv', 'traces')} (fitGeometry): unsent + written + new hot − marked = m × unsent × written / WSS over the 398 syncs from the fourth on that did not cover the working set (rms 307 pages)`,
  },
  workingSetOverlapPerRunMean: {
    value: 0.1265,
    source: `${FIT.replace('results.csv', 'traces')} (fitOverlapPerRun): the same fit run by run, mean over the 7 runs with 8 or more such syncs (m 0.022, 0.022, 0.058, 0.059, 0.157, 0.268, 0.299; standard deviation 0.11, about the mean: exponential)`,
  },
};

/** Values for the QEMU 7.2 loopback calibration campaign and, by default, for Harvester. */
export const MIGRATION_MODEL_PARAMETERS: MigrationModelParameters = {
  targetPodStartSeconds: {
    value: 10,
    source: 'unverified estimate: virt-launcher pod scheduling + start on a warm node',
  },
  qemuSetupSeconds: {
    value: 0.0196,
    source: `${FIT}: setup_ms as one constant over all 39 runs (rms residual 52 ms: the pad8 runs take 140-221 ms)`,
  },
  switchoverFixedSeconds: {
    value: 0.00685,
    source: `${FIT}: downtime_ms = fixed + downtime_bytes / link over 27 converged pre-copy runs (rms 6.4 ms)`,
  },
  switchoverBytesPerSecond: {
    value: 1.583e9,
    source: `${FIT}: same fit; loopback of the QEMU 7.2 campaign, stands for the NIC speed on a cluster`,
  },
  postCopySwitchFixedSeconds: {
    value: 0.003,
    source: `${CALIBRATION}: downtime_ms of the fit set's post-copy run m256-bw16-r16000-w128-dt300-pc (3 ms; QEMU 7.2 migration/migration.c postcopy_start sets downtime = now - time_at_stop once the package with the device state is sent, before any page is pushed)`,
  },
  destinationResumeSeconds: {
    value: 0.00825,
    source: `${CALIBRATION}: median of downtime_guest_ms − downtime_ms over the 20 completed runs of the fit set that report both (3.9–17.7 ms; the post-copy run 8.8 ms), test/calibration/fit-parameters.ts fitDestinationResume. QEMU 7.2 migration/migration.c migration_calculate_complete and postcopy_start end \`downtime\` on the source; the destination resumes in process_incoming_migration_bh (pre-copy) or migration/savevm.c loadvm_postcopy_handle_run_bh (post-copy), vm_start`,
  },
  perStreamBytesPerSecond: {
    value: 1.25e9,
    source:
      'kubevirt/kubevirt PR #12705: a single stream is CPU-bound well below 100 Gbps (estimate ~10 Gbps)',
  },
  resweepFraction: {
    value: 0.75,
    source: `scan of {0, 0.25, 0.5, 0.75, 1} across all runs of ${CALIBRATION}: most verdict and iteration matches (0.5 and 0.75 tie on verdicts; 0.75 has one more iteration match)`,
  },
  minSyncIntervalMs: {
    value: 1,
    source: `${CALIBRATION.replace('results.csv', 'traces')}/m256-bw32-r4000-w32-dt30-nopti-pad8-verify.jsonl: last MIGRATION_PASS events 6.3 ms and 1.6 ms apart (order of magnitude only)`,
  },
  deviceStateBytes: {
    value: 64 * 1024,
    source: 'unverified estimate: minimal VM device state (no VGA, no NIC)',
  },
  postCopySwitchBytes: {
    value: 1 * MiB,
    source: `unverified estimate; ${CALIBRATION} post-copy downtime 2-3 ms`,
  },
};

/**
 * Bounds and tolerances of the migration model itself (STYLE.md, "put a limit on everything"): not
 * upstream values; each source says why its value.
 */
export interface MigrationSimulatorLimits {
  /** A single-migration run (`simulateMigration`) stops here; a migration still going is cancelled. */
  readonly untilSeconds: number;
  readonly maxEvents: number;
  /** After that cancel, the run gets this long more to end the migration. */
  readonly cancelWindDownSeconds: number;
  /** Simulated times this close count as equal (a window's end reached by a sum of float timeouts). */
  readonly timeToleranceSeconds: number;
}

export const MIGRATION_SIMULATOR_LIMITS: SourcedFields<MigrationSimulatorLimits> = {
  untilSeconds: {
    value: 7 * 24 * 3600,
    source:
      'simulator limit: one simulated week; a migration that never converges and has no KubeVirt monitor (or no timeout) would run for ever, and the longest completion deadline KubeVirt sets (800 s per GiB before v1.4) is 14.2 h for 64 GiB',
  },
  maxEvents: {
    value: 50_000_000,
    source:
      "simulator limit: the plan runner's default event bound (src/plan/runner/runner.ts), for the same reason: a run that stops advancing time still ends",
  },
  cancelWindDownSeconds: {
    value: 3600,
    source:
      'simulator limit: the cancel at untilSeconds ends the migration within seconds (QEMU migrate_cancel); a run not ended an hour later is an error',
  },
  timeToleranceSeconds: {
    value: 1e-9,
    source:
      "simulator tolerance: differences of float sums of timeouts lose a few ulps; 1 ns is the resolution of QEMU's own clock (qemu_clock_get_ns), so nothing QEMU measures is lost",
  },
};

/** How `migrate --runs` summarizes its runs (migration-ensemble.ts): reporting choices, not upstream values. */
export interface MigrationEnsembleDefaults {
  /** The lower and upper percentiles reported beside the median. */
  readonly lowerPercentile: number;
  readonly upperPercentile: number;
  /** A completing input is on the knife edge when its time p90 is at least (1 + this) × p10. */
  readonly knifeEdgeTimeSpread: number;
  /** The guest's dirty rate is drawn afresh this often (the calibration guest reports it per second). */
  readonly dirtyRatePeriodSeconds: number;
  /** A cluster migration's first ensemble seed is drawn from 1 to this (scenario `migrationUncertainty`). */
  readonly largestSeed: number;
  /** One `migrate` prediction is checked against this many varied runs (edge-check.ts)... */
  readonly edgeCheckRuns: number;
  /** ...when it did not complete or needed at least this many dirty-bitmap syncs, ... */
  readonly edgeCheckMinIterations: number;
  /** ...its last pre-copy pass dirtied between (1 − this) and 1 / (1 − this) of what it sent, ... */
  readonly edgeCheckPassRatioBand: number;
  /** ...and it lasted at most this long (the check's cost grows with the simulated time). */
  readonly edgeCheckMaxSeconds: number;
}

export const MIGRATION_ENSEMBLE_DEFAULTS: SourcedFields<MigrationEnsembleDefaults> = {
  lowerPercentile: { value: 0.1, source: 'issue 9: p10/p50/p90 of time, iterations and downtime' },
  upperPercentile: { value: 0.9, source: 'issue 9: same' },
  knifeEdgeTimeSpread: {
    value: 0.5,
    source:
      'reporting choice: a spread of half the time between p10 and p90 means the pass count, not the bandwidth, decides the time (the knife-edge repeats of test/calibration/qemu-holdout)',
  },
  largestSeed: {
    value: 2 ** 31 - 1,
    source:
      'reporting choice: seeds drawn in 1…2^31 − 1 stay plain integers in the trace and on a `migrate --seed` command line',
  },
  edgeCheckRuns: {
    value: 20,
    source:
      'reporting choice: enough runs to see the outcome disagree on an input the repeats of test/calibration/qemu-holdout-2 split (m640-bw56-r14000: 56 % completing), at about 5 ms a run',
  },
  edgeCheckMinIterations: {
    value: 10,
    source:
      'reporting choice: the completed runs off the knife edge of test/calibration/qemu and qemu-holdout-2 converge in 3–13 pre-copy syncs; a longer tail (or auto-converge stepping) is worth the check',
  },
  edgeCheckPassRatioBand: {
    value: 0.2,
    source:
      'reporting choice: the knife edge is a dirty rate close to what the bandwidth clears; the knife-edge inputs of test/calibration/qemu-holdout-2 end their passes dirtying 0.9–1.0 of what they sent, runs far from it (a guest dirtying 4× the bandwidth, a throttled guest) far outside 0.8–1.25',
  },
  edgeCheckMaxSeconds: {
    value: 600,
    source:
      'reporting choice: 20 runs of a 600 s migration take about a second on the 2-core lab machine (about 0.09 ms per simulated second of a rate-limited migration)',
  },
  dirtyRatePeriodSeconds: {
    value: 1,
    source: `${CALIBRATION.replace('results.csv', 'traces')}: the dirtier's DIRTY report period, over which its per-second variability is measured`,
  },
};

/** A guest's dirty-rate variability for `migrate --runs` (guest-dirtying.ts `DirtyRateVariability`). */
export interface DirtyRateVariabilityDefaults {
  readonly perSecondRelativeSd: number;
  readonly perRunRelativeSd: number;
}

/**
 * The calibration guest on a busy host: the same dirtier, measured while other work kept the 2-core lab
 * machine at load 4–25 (test/calibration/qemu-holdout-loaded, never judged against the targets). A host
 * that deschedules the guest's vCPU makes its rate vary sixteen times as much per second as on the idle
 * fit set (QEMU_CALIBRATION_CAMPAIGN); `migrate --runs N --dirty-rate-sd 0.168 --dirty-rate-run-sd 0.081`.
 */
export const BUSY_HOST_DIRTY_RATE_VARIABILITY: SourcedFields<DirtyRateVariabilityDefaults> = {
  perSecondRelativeSd: {
    value: 0.168,
    source:
      "test/calibration/qemu-holdout-loaded/traces: standard deviation of each unthrottled per-second DIRTY report from its run's mean while the migration is active, over the 857 reports of its paced runs (test/calibration/dirty-rate-variability.ts)",
  },
  perRunRelativeSd: {
    value: 0.081,
    source:
      'test/calibration/qemu-holdout-loaded/results.csv: standard deviation of achieved_rate_pps / target_rate_pps − 1 over its 27 pre-copy runs with 0 < target < 100,000 pages/s (mean −16 %)',
  },
};
