/**
 * How much the guest's dirty rate varies in a run set (`migrate --runs` draws from it,
 * guest-dirtying.ts `DirtyRateVariability`): per second, each DIRTY report of the source guest
 * while the migration is active and unthrottled, the first left out, against its run's mean; per run,
 * `achieved_rate_pps` against `target_rate_pps` over the pre-copy runs with 0 < target < 100,000
 * pages/s. The fit set gives the idle-host values of defaults.ts `QEMU_CALIBRATION_CAMPAIGN`; the
 * loaded-host set (`qemu-holdout-loaded`, never judged against the targets) those of
 * `BUSY_HOST_DIRTY_RATE_VARIABILITY`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CalibrationRun } from './qemu-runs.ts';

export interface MeasuredVariability {
  readonly perSecondRelativeSd: number;
  readonly reports: number;
  readonly perRunRelativeSd: number;
  readonly perRunMean: number;
  readonly runs: number;
}

function populationSd(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length);
}

/** The unthrottled DIRTY reports (pages/s) of the source guest while the migration is active. */
export function activeDirtyReports(jsonl: string): number[] {
  const reports: number[] = [];
  let active = false;
  let throttled = false;
  for (const line of jsonl.split('\n')) {
    if (line.trim() === '') continue;
    const record = JSON.parse(line);
    if (record.type === 'query-migrate') {
      active = record.r?.status === 'active';
      throttled = (record.r?.['cpu-throttle-percentage'] ?? 0) > 0;
    } else if (active && !throttled && record.type === 'serial' && record.vm === 'src') {
      const achieved = /^DIRTY .*achieved=(\d+)/.exec(record.line);
      if (achieved !== null) reports.push(Number(achieved[1]));
    }
  }
  return reports;
}

export function measureDirtyRateVariability(
  runs: readonly CalibrationRun[],
  directory: string,
): MeasuredVariability {
  const paced = runs.filter((r) => r.targetRatePps > 0 && r.targetRatePps < 100_000);
  const perSecond: number[] = [];
  for (const run of paced) {
    const path = join(directory, 'traces', `${run.runId}.jsonl`);
    if (!existsSync(path)) throw new Error(`${path}: missing: the variability reads every trace`);
    const reports = activeDirtyReports(readFileSync(path, 'utf8')).slice(1);
    if (reports.length < 2) continue;
    const mean = reports.reduce((a, b) => a + b, 0) / reports.length;
    for (const r of reports) perSecond.push((r - mean) / mean);
  }
  const perRun = paced.filter((r) => !r.autoConverge).map((r) => r.achievedRatePps / r.targetRatePps - 1);
  return {
    perSecondRelativeSd: populationSd(perSecond),
    reports: perSecond.length,
    perRunRelativeSd: populationSd(perRun),
    perRunMean: perRun.reduce((a, b) => a + b, 0) / perRun.length,
    runs: perRun.length,
  };
}
