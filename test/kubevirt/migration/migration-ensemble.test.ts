import { describe, expect, it } from 'vitest';
import {
  measuredDirtyRateVariability,
  percentile,
  simulateMigrationRuns,
  summarizeRuns,
} from '../../../src/kubevirt/migration/migration-ensemble.ts';
import { simulateMigration } from '../../../src/kubevirt/migration/single-migration-world.ts';
import { calibrationRequest, readCalibrationRuns, recordedCampaign } from '../../calibration/qemu-runs.ts';

const campaign = recordedCampaign();
const runs = readCalibrationRuns();
const byId = (id: string) => {
  const run = runs.find((r) => r.runId === id);
  if (run === undefined) throw new Error(`no run ${id} in test/calibration/qemu/results.csv`);
  return run;
};

describe('migrate --runs: the dirty rate drawn from its variability', () => {
  it('percentiles interpolate between order statistics (R type 7): 1..10 gives p10 1.9, p50 5.5, p90 9.1', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(sorted, 0.1)).toBeCloseTo(1.9, 12);
    expect(percentile(sorted, 0.5)).toBeCloseTo(5.5, 12);
    expect(percentile(sorted, 0.9)).toBeCloseTo(9.1, 12);
  });

  it('the same seeds give the same runs; without variability a run is the exact model', () => {
    const request = calibrationRequest(byId('m256-bw32-r4000-w32-dt300'), campaign);
    const world = { linkBytesPerSecond: campaign.linkBytesPerSecond, untilSeconds: 120 };
    const options = { runs: 5, firstSeed: 7, variability: measuredDirtyRateVariability() };
    expect(simulateMigrationRuns(request, world, options)).toEqual(
      simulateMigrationRuns(request, world, options),
    );
    const exact = simulateMigration(request, world);
    const none = simulateMigrationRuns(request, world, {
      ...options,
      variability: { perRunRelativeSd: 0, perPeriodRelativeSd: 0, periodSeconds: 1 },
    });
    expect(none.migrationSeconds?.p50).toBeCloseTo(exact.migrationSeconds, 9);
    expect(none.completionProbability).toBe(1);
    expect(none.knifeEdge).toBe(false);
  }, 60_000);

  it('a clear input is not on the knife edge (1,000 pages/s at 32 MiB/s: every run completes, times within a few %)', () => {
    const request = calibrationRequest(byId('m256-bw32-r1000-w32-dt300'), campaign);
    const e = simulateMigrationRuns(
      request,
      { linkBytesPerSecond: campaign.linkBytesPerSecond, untilSeconds: 120 },
      { runs: 40, firstSeed: 1, variability: measuredDirtyRateVariability() },
    );
    expect(e.completionProbability).toBe(1);
    expect(e.knifeEdge).toBe(false);
    expect((e.migrationSeconds?.p90 ?? 0) / (e.migrationSeconds?.p10 ?? 1)).toBeLessThan(1.05);
  }, 60_000);

  it('calibration README point 1 ("with the dirty rate close to the bandwidth the outcome is sensitive"): m256-bw64-r16000-w128 (QEMU: converged at 52.4 s, 8 s before its cap) is on the knife edge', () => {
    const run = byId('m256-bw64-r16000-w128-dt300');
    const e = simulateMigrationRuns(
      calibrationRequest(run, campaign),
      { linkBytesPerSecond: campaign.linkBytesPerSecond, untilSeconds: run.capSeconds + 60 },
      { runs: 100, firstSeed: 1, variability: measuredDirtyRateVariability() },
    );
    expect(e.knifeEdge).toBe(true);
    expect(e.completionProbability).toBeGreaterThan(0);
    expect(e.completionProbability).toBeLessThan(1);
    // Some runs complete, some reach the operator's cap: the outcome is a probability, not a verdict.
    expect(e.outcomes.cancelled).toBeGreaterThan(0);
    expect(e.migrationSeconds?.p90).toBeLessThanOrEqual(run.capSeconds);
  }, 120_000);

  it('counts outcomes and flags disagreement as the knife edge', () => {
    const base = simulateMigration(calibrationRequest(byId('m256-bw32-r1000-w32-dt300'), campaign), {
      linkBytesPerSecond: campaign.linkBytesPerSecond,
    });
    const cancelled = { ...base, outcome: 'cancelled' as const, vmRunsOn: 'source' as const };
    const e = summarizeRuns([base, cancelled, base, base], 1, measuredDirtyRateVariability());
    expect(e.outcomes).toEqual({ completed: 3, cancelled: 1 });
    expect(e.completionProbability).toBe(0.75);
    expect(e.knifeEdge).toBe(true);
  });
});
