/**
 * The QEMU calibration campaign (`test/calibration/qemu/results.csv`, README there): its rows as
 * typed runs, and each run as a LiveMigrationRequest for the model (same inputs, bare QEMU, no KubeVirt
 * monitor, one loopback link).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  MIGRATION_MODEL_PARAMETERS,
  type MigrationModelParameters,
  QEMU_CALIBRATION_CAMPAIGN,
} from '../../src/kubevirt/defaults.ts';
import {
  defaultMigrationProfile,
  defaultMigrationSettings,
  type LiveMigrationRequest,
} from '../../src/kubevirt/migration/migration-request.ts';

/** The campaign directory (results.csv, README.md, traces/), found from this file, not the working directory. */
export const QEMU_CALIBRATION_DIRECTORY = fileURLToPath(new URL('./qemu/', import.meta.url));
/** The same directory as the repository cites it. */
export const QEMU_CALIBRATION_CITATION = 'test/calibration/qemu';

/** Runs measured after the fit on the idle machine, with the same harness (README there): the out-of-sample set. */
export const QEMU_HOLDOUT_DIRECTORY = fileURLToPath(new URL('./qemu-holdout/', import.meta.url));
export const QEMU_HOLDOUT_CITATION = 'test/calibration/qemu-holdout';
/**
 * The second out-of-sample campaign: new inputs, measured after the first while the machine was quieter,
 * with the same harness and settings (README there).
 */
export const QEMU_HOLDOUT_2_DIRECTORY = fileURLToPath(new URL('./qemu-holdout-2/', import.meta.url));
export const QEMU_HOLDOUT_2_CITATION = 'test/calibration/qemu-holdout-2';
/**
 * The third: two new knife-edge inputs four times each, measured after `migrate --runs` began drawing
 * the guest's page-layout overlap per run, its predictions recorded before the runs (README there).
 */
export const QEMU_HOLDOUT_3_DIRECTORY = fileURLToPath(new URL('./qemu-holdout-3/', import.meta.url));
export const QEMU_HOLDOUT_3_CITATION = 'test/calibration/qemu-holdout-3';
/** The same grids measured first on a loaded host (README there): kept, reported, never judged against the targets. */
export const QEMU_HOLDOUT_LOADED_DIRECTORY = fileURLToPath(
  new URL('./qemu-holdout-loaded/', import.meta.url),
);
export const QEMU_HOLDOUT_LOADED_CITATION = 'test/calibration/qemu-holdout-loaded';
/** The same grids measured second, QEMU at nice -15 but the kernel's autogroup on (README there): kept, reported, never judged. */
export const QEMU_HOLDOUT_CONTENDED_DIRECTORY = fileURLToPath(
  new URL('./qemu-holdout-contended/', import.meta.url),
);
export const QEMU_HOLDOUT_CONTENDED_CITATION = 'test/calibration/qemu-holdout-contended';

export type CalibrationOutcome = 'converged' | 'converged-postcopy' | 'cancelled';

export interface CalibrationRun {
  readonly runId: string;
  readonly memMib: number;
  readonly wssMib: number;
  readonly guestAllocMib: number;
  readonly achievedRatePps: number;
  readonly guestRateBeforePps: number;
  readonly bandwidthMibps: number;
  readonly downtimeLimitMs: number;
  readonly autoConverge: boolean;
  readonly postcopy: boolean;
  readonly capSeconds: number;
  readonly outcome: CalibrationOutcome;
  readonly totalMs: number;
  readonly downtimeMs: number | null;
  /** `downtime_guest_ms`: source STOP to destination RESUME (events); null when not reported. */
  readonly downtimeGuestMs: number | null;
  readonly setupMs: number;
  readonly transferredBytes: number;
  readonly downtimeBytes: number;
  readonly normalPages: number;
  readonly zeroPages: number;
  readonly iterations: number;
  readonly maxThrottlePct: number;
  readonly postcopyStartSeconds: number | null;
  readonly group: string;
  /** The dirty rate the guest was asked for (pages/s). */
  readonly targetRatePps: number;
}

function numberOrNull(text: string | undefined): number | null {
  return text === undefined || text.trim() === '' ? null : Number(text);
}

/** Parses results.csv (no quoted fields in this campaign). */
export function parseCalibrationCsv(text: string): CalibrationRun[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines[0].split(',');
  return lines.slice(1).map((line, index) => {
    const cells = line.split(',');
    const row = new Map(header.map((name, i) => [name, cells[i] ?? '']));
    const num = (name: string): number => {
      const value = numberOrNull(row.get(name));
      if (value === null || !Number.isFinite(value)) {
        throw new Error(
          `results.csv line ${index + 2}: column ${name}: expected a number, found "${row.get(name)}"`,
        );
      }
      return value;
    };
    const outcome = row.get('outcome') as CalibrationOutcome;
    if (!['converged', 'converged-postcopy', 'cancelled'].includes(outcome)) {
      throw new Error(`results.csv line ${index + 2}: column outcome: unexpected "${outcome}"`);
    }
    return {
      runId: row.get('run_id') ?? '',
      memMib: num('mem_mib'),
      wssMib: num('wss_mib'),
      guestAllocMib: num('guest_alloc_mib'),
      achievedRatePps: num('achieved_rate_pps'),
      guestRateBeforePps: num('guest_rate_before_pps'),
      bandwidthMibps: num('bandwidth_mibps'),
      downtimeLimitMs: num('downtime_limit_ms'),
      autoConverge: num('auto_converge') === 1,
      postcopy: num('postcopy') === 1,
      capSeconds: num('cap_s'),
      outcome,
      totalMs: num('total_ms'),
      downtimeMs: numberOrNull(row.get('downtime_ms')),
      downtimeGuestMs: numberOrNull(row.get('downtime_guest_ms')),
      setupMs: num('setup_ms'),
      transferredBytes: num('transferred_bytes'),
      downtimeBytes: num('downtime_bytes'),
      normalPages: num('normal_pages'),
      zeroPages: num('zero_pages'),
      iterations: num('iterations'),
      maxThrottlePct: num('max_throttle_pct'),
      postcopyStartSeconds: numberOrNull(row.get('postcopy_start_s')),
      group: row.get('group') ?? '',
      targetRatePps: num('target_rate_pps'),
    };
  });
}

export function readCalibrationRuns(directory: string = QEMU_CALIBRATION_DIRECTORY): CalibrationRun[] {
  return parseCalibrationCsv(readFileSync(join(directory, 'results.csv'), 'utf8'));
}

const MiB = 2 ** 20;

/** Fitted or measured facts about the campaign's set-up, shared by all runs. */
export interface CampaignParameters {
  /** Non-zero guest pages beyond what the dirtier touched: kernel, page cache, struct page array. */
  readonly residentBasePages: number;
  readonly residentPagesPerMemoryPage: number;
  /**
   * The dirtier catches up this much of each throttle stall in effect (`catchup_us=4000` in the
   * traces, less the tick in progress and the wake-up delay: throttle-observations.ts).
   */
  readonly throttleCatchUpMs: number;
  /** Loopback speed of the stop-and-copy. */
  readonly linkBytesPerSecond: number;
  /** The guest's hot set: base + perWorkingSetPage × working-set pages (guest-dirtying.ts). */
  readonly hotSetBasePages: number;
  readonly hotSetPagesPerWorkingSetPage: number;
  /** Overlap left while the marks form one run (guest-dirtying.ts). */
  readonly workingSetOverlapFraction: number;
}

/** The campaign parameters as recorded in the defaults table. */
export function recordedCampaign(): CampaignParameters {
  const c = QEMU_CALIBRATION_CAMPAIGN;
  return {
    residentBasePages: c.residentBasePages.value,
    residentPagesPerMemoryPage: c.residentPagesPerMemoryPage.value,
    throttleCatchUpMs: c.throttleEffectiveCatchUpMs.value,
    linkBytesPerSecond: MIGRATION_MODEL_PARAMETERS.switchoverBytesPerSecond.value,
    hotSetBasePages: c.hotSetBasePages.value,
    hotSetPagesPerWorkingSetPage: c.hotSetPagesPerWorkingSetPage.value,
    workingSetOverlapFraction: c.workingSetOverlapFraction.value,
  };
}

/**
 * The model's inputs for a run: the guest's dirty rate, cap as an operator cancel. The dirty rate is
 * `achieved_rate_pps` (README), except with auto-converge: there the mean during the migration is
 * already throttled, and the model throttles the rate it is given, so it gets the guest's rate
 * just before the migration (`guest_rate_before_pps`).
 */
export function calibrationRequest(
  run: CalibrationRun,
  campaign: CampaignParameters = recordedCampaign(),
  model: MigrationModelParameters = MIGRATION_MODEL_PARAMETERS,
): LiveMigrationRequest {
  const page = 4096;
  const memoryPages = (run.memMib * MiB) / page;
  const usedPages =
    (run.guestAllocMib * MiB) / page +
    campaign.residentBasePages +
    campaign.residentPagesPerMemoryPage * memoryPages;
  const bandwidth = run.bandwidthMibps * MiB;
  return {
    name: run.runId,
    guest: {
      memoryBytes: run.memMib * MiB,
      usedMemoryBytes: Math.min(memoryPages, usedPages) * page,
      workingSetBytes: run.wssMib * MiB,
      dirtyPagesPerSecond: run.autoConverge ? run.guestRateBeforePps : run.achievedRatePps,
      throttleCatchUpMs: campaign.throttleCatchUpMs,
      blockMigrationDiskBytes: 0,
      hotSetPages:
        campaign.hotSetBasePages + (campaign.hotSetPagesPerWorkingSetPage * run.wssMib * MiB) / page,
      workingSetOverlapFraction: campaign.workingSetOverlapFraction,
    },
    settings: {
      ...defaultMigrationSettings(),
      kubevirtMonitor: false,
      bandwidthPerMigrationBytesPerSecond: bandwidth,
      postCopyBandwidthBytesPerSecond: bandwidth,
      downtimeLimitMs: run.downtimeLimitMs,
      allowAutoConverge: run.autoConverge,
      allowPostCopy: run.postcopy,
    },
    profile: {
      ...defaultMigrationProfile(),
      targetPodStartSeconds: 0,
      qemuSetupSeconds: model.qemuSetupSeconds.value,
      switchoverFixedSeconds: model.switchoverFixedSeconds.value,
      perStreamBytesPerSecond: Number.POSITIVE_INFINITY,
    },
    // README point 5: the operator started post-copy as soon as the first full pass ended.
    postCopyAfterPass: run.postcopy ? 1 : null,
    cancelAfterSeconds: run.capSeconds,
  };
}

/**
 * A run set that must be whole: results.csv with at least `minimumRuns` rows and every run's trace.
 * Throws, naming what is missing, rather than report on part of the data.
 */
export function readCompleteRunSet(
  directory: string,
  citation: string,
  minimumRuns: number,
): CalibrationRun[] {
  const csv = join(directory, 'results.csv');
  if (!existsSync(csv)) throw new Error(`${citation}/results.csv: missing`);
  const runs = readCalibrationRuns(directory);
  if (runs.length < minimumRuns) {
    throw new Error(`${citation}/results.csv: expected at least ${minimumRuns} runs, found ${runs.length}`);
  }
  const missing = runs.filter((r) => !existsSync(join(directory, 'traces', `${r.runId}.jsonl`)));
  if (missing.length > 0) {
    throw new Error(`${citation}/traces: missing the trace of ${missing.map((r) => r.runId).join(', ')}`);
  }
  return runs;
}
