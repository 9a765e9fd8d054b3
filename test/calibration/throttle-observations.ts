/**
 * What the auto-converge throttle did to the calibration guest, second by second, read from the
 * traces of the auto-converge runs (`test/calibration/qemu/traces/<run_id>-ac.jsonl`): the guest's
 * own DIRTY report (pages written in the last second) against QEMU's `cpu-throttle-percentage` at
 * the time. QEMU's vCPU runs a 10 ms slice, then sleeps S = 10·p/(1 − p) ms
 * (`qemu/qemu:softmmu/cpu-throttle.c`, cpu_throttle_thread / cpu_throttle_timer_tick); the paced
 * dirtier makes up at most `catchup_us` of each stall (`dirtier.c`: dt = min(elapsed, catchup)), less
 * the part of the 1 ms tick in progress when the vCPU stopped and the vCPU's wake-up delay. So a
 * throttled second writes (10 + c)/(10 + S) of the unthrottled rate, and each report gives one
 * observation of the effective catch-up c = share × (10 + S) − 10 (fit-parameters.ts `fitThrottle`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CalibrationRun, QEMU_CALIBRATION_DIRECTORY } from './qemu-runs.ts';

export interface ThrottleObservation {
  readonly runId: string;
  readonly throttlePercent: number;
  /** The report's pages per second over the mean unthrottled report of the same migration. */
  readonly share: number;
}

/** Reports of one trace taken a whole second after the throttle last changed, throttle > 0. */
export function parseThrottleObservations(run: CalibrationRun, jsonl: string): ThrottleObservation[] {
  let throttle = 0;
  let changedAt = Number.NEGATIVE_INFINITY;
  let migrating = false;
  const reports: { throttle: number; settled: boolean; pagesPerSecond: number }[] = [];
  for (const line of jsonl.split('\n')) {
    if (line.trim() === '') continue;
    const record = JSON.parse(line);
    if (record.type === 'query-migrate') {
      migrating = record.r?.status === 'active';
      const now = record.r?.['cpu-throttle-percentage'] ?? 0;
      if (now !== throttle) {
        throttle = now;
        changedAt = record.t;
      }
    } else if (migrating && record.type === 'serial' && record.vm === 'src' && /^DIRTY /.test(record.line)) {
      const achieved = /achieved=(\d+)/.exec(record.line);
      if (achieved !== null)
        reports.push({ throttle, settled: record.t - changedAt > 1.1, pagesPerSecond: Number(achieved[1]) });
    }
  }
  const unthrottled = reports.filter((r) => r.throttle === 0).slice(1);
  if (unthrottled.length === 0) return [];
  const base = unthrottled.reduce((sum, r) => sum + r.pagesPerSecond, 0) / unthrottled.length;
  return reports
    .filter((r) => r.throttle > 0 && r.settled)
    .map((r) => ({ runId: run.runId, throttlePercent: r.throttle, share: r.pagesPerSecond / base }));
}

/** Every auto-converge run; each must have its trace. */
export function readThrottleObservations(
  runs: readonly CalibrationRun[],
  directory: string = QEMU_CALIBRATION_DIRECTORY,
): ThrottleObservation[] {
  return runs
    .filter((run) => run.autoConverge && run.achievedRatePps > 0)
    .flatMap((run) => {
      const path = join(directory, 'traces', `${run.runId}.jsonl`);
      if (!existsSync(path)) {
        throw new Error(
          `${path}: missing: results.csv lists run ${run.runId}, whose trace the throttle fit reads`,
        );
      }
      return parseThrottleObservations(run, readFileSync(path, 'utf8'));
    });
}
