import { describe, expect, it } from 'vitest';
import { MIGRATION_MODEL_PARAMETERS, QEMU_CALIBRATION_CAMPAIGN } from '../../../src/kubevirt/defaults.ts';
import {
  fitCampaign,
  fitDestinationResume,
  fitGeometry,
  fitOverlapPerRun,
  fitThrottleCatchUp,
} from '../../calibration/fit-parameters.ts';
import { compareRun, summarize } from '../../calibration/qemu-comparison.ts';
import { readCalibrationRuns } from '../../calibration/qemu-runs.ts';
import { readSyncObservations } from '../../calibration/sync-observations.ts';
import { readThrottleObservations } from '../../calibration/throttle-observations.ts';

// test/calibration/qemu (README there): real QEMU 7.2 pre-copy and post-copy migrations.
const runs = readCalibrationRuns();
const rows = runs.map((run) => compareRun(run));
const summary = summarize(rows);

/** Runs where the model's verdict is known to differ (docs/validation.md, "Known misses"). */
const KNOWN_VERDICT_MISSES: string[] = [];

describe('migration model against the QEMU calibration campaign', () => {
  it('reads every run', () => {
    expect(runs.length).toBeGreaterThanOrEqual(39);
  });

  it('the recorded profile parameters are the least-squares fit across all runs', () => {
    const fit = fitCampaign(runs);
    const close = (a: number, b: number) => expect(Math.abs(a - b) / Math.abs(b)).toBeLessThan(0.01);
    close(fit.setup.coefficients[0], MIGRATION_MODEL_PARAMETERS.qemuSetupSeconds.value);
    close(fit.downtime.coefficients[0], MIGRATION_MODEL_PARAMETERS.switchoverFixedSeconds.value);
    close(1 / fit.downtime.coefficients[1], MIGRATION_MODEL_PARAMETERS.switchoverBytesPerSecond.value);
    close(fit.resident.coefficients[0], QEMU_CALIBRATION_CAMPAIGN.residentBasePages.value);
    close(fit.resident.coefficients[1], QEMU_CALIBRATION_CAMPAIGN.residentPagesPerMemoryPage.value);
    close(fit.wire.coefficients[0], QEMU_CALIBRATION_CAMPAIGN.fittedPageHeaderBytes.value);
    close(fit.wire.coefficients[1], QEMU_CALIBRATION_CAMPAIGN.fittedZeroPageBytes.value);
  });

  it("the recorded destination resume is the median gap between QEMU downtime and the guest's (20 runs)", () => {
    const fit = fitDestinationResume(runs);
    expect(fit.runs).toBe(20);
    expect(Math.abs(fit.seconds - MIGRATION_MODEL_PARAMETERS.destinationResumeSeconds.value)).toBeLessThan(
      1e-6,
    );
  });

  it('the recorded hot set and contiguous overlap are the least-squares fits over every sync of every trace', () => {
    const fit = fitGeometry(readSyncObservations(runs));
    const close = (a: number, b: number) => expect(Math.abs(a - b) / Math.abs(b)).toBeLessThan(0.01);
    close(fit.hotSet.coefficients[0], QEMU_CALIBRATION_CAMPAIGN.hotSetBasePages.value);
    close(fit.hotSet.coefficients[1], QEMU_CALIBRATION_CAMPAIGN.hotSetPagesPerWorkingSetPage.value);
    close(fit.contiguousOverlap.coefficients[0], QEMU_CALIBRATION_CAMPAIGN.workingSetOverlapFraction.value);
  });

  it('the overlap share differs run by run (0.02-0.30): the recorded per-run mean is the mean of the 7 runs with 8+ syncs', () => {
    const observations = readSyncObservations(runs);
    const [hotBase, hotPerPage] = fitGeometry(observations).hotSet.coefficients;
    const perRun = fitOverlapPerRun(observations, hotBase, hotPerPage);
    expect(perRun.runs.length).toBe(7);
    const ms = perRun.runs.map((r) => r.m);
    expect(Math.min(...ms)).toBeLessThan(0.03);
    expect(Math.max(...ms)).toBeGreaterThan(0.29);
    expect(Math.abs(perRun.mean - QEMU_CALIBRATION_CAMPAIGN.workingSetOverlapPerRunMean.value)).toBeLessThan(
      0.0005,
    );
    // The pooled fit weighs the 163-sync knife-edge run (m 0.30) most: it lies above the runs' mean.
    expect(QEMU_CALIBRATION_CAMPAIGN.workingSetOverlapFraction.value).toBeGreaterThan(perRun.mean);
  });

  it("the guest's effective catch-up per throttle stall is the least-squares fit over every throttled second (below the dirtier's 4 ms)", () => {
    const fit = fitThrottleCatchUp(
      readThrottleObservations(runs),
      10,
      QEMU_CALIBRATION_CAMPAIGN.throttleCatchUpMs.value,
    );
    expect(
      Math.abs(fit.coefficients[0] - QEMU_CALIBRATION_CAMPAIGN.throttleEffectiveCatchUpMs.value),
    ).toBeLessThan(0.03);
    // dirtier.c: at most catchup_us (4 ms) made up, less the tick in progress (up to 1 ms).
    expect(fit.coefficients[0]).toBeGreaterThan(3 - 0.5);
    expect(fit.coefficients[0]).toBeLessThan(4);
  });

  it('a sync whose interval covered the whole working set finds more than it: the hot set (about 100 pages + page tables)', () => {
    const fit = fitGeometry(readSyncObservations(runs));
    // Hand reading of the traces: W + 125–130 pages with a 32 MiB set, W + 175–188 with 128 MiB.
    const hot = (wssPages: number) => fit.hotSet.coefficients[0] + fit.hotSet.coefficients[1] * wssPages;
    expect(hot(8192)).toBeGreaterThan(110);
    expect(hot(8192)).toBeLessThan(140);
    expect(hot(32768)).toBeGreaterThan(170);
    expect(hot(32768)).toBeLessThan(200);
  });

  it('"Zero pages cost a header, not a page": the fit finds QEMU\'s 8-byte header and 9-byte zero page', () => {
    const fit = fitCampaign(runs);
    expect(fit.wire.coefficients[0]).toBeCloseTo(8, 0);
    expect(fit.wire.coefficients[1]).toBeCloseTo(9, 0);
  });

  it('the verdict (converged, converged-postcopy, cancelled) matches in every run but the known misses', () => {
    const misses = rows.filter((r) => !r.verdictMatches).map((r) => r.run.runId);
    expect(misses).toEqual(KNOWN_VERDICT_MISSES.filter((id) => runs.some((r) => r.runId === id)));
  });

  it('median absolute error of total time ≤ 5 %', () => {
    expect(summary.medianAbsTotalTimeError).toBeLessThanOrEqual(0.05);
  });

  it('iterations (dirty-sync-count) within ±1 in ≥ 90 % of completed runs', () => {
    expect(summary.iterationsWithinOne / summary.completedRuns).toBeGreaterThanOrEqual(0.9);
  });

  it('README point 2: downtime is milliseconds at link speed, not the 300 ms limit (median error ≤ 10 ms)', () => {
    expect(summary.medianAbsDowntimeErrorMs).toBeLessThanOrEqual(10);
    for (const r of rows)
      if (r.predictedVerdict === 'converged') expect(r.predicted.downtimeMs).toBeLessThan(50);
  });

  it('transferred bytes: median absolute error ≤ 2 %', () => {
    expect(summary.medianAbsTransferredError).toBeLessThanOrEqual(0.02);
  });

  it('README point 4: auto-converge runs reach the observed maximum throttle within one step', () => {
    for (const r of rows.filter((row) => row.run.autoConverge)) {
      expect(Math.abs(r.predicted.maxThrottlePercent - r.run.maxThrottlePct)).toBeLessThanOrEqual(10);
    }
  });
});
