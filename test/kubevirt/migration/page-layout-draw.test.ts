import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../sim/index.ts';
import { QEMU_CALIBRATION_CAMPAIGN } from '../../../src/kubevirt/defaults.ts';
import { precopyConfigFor, withDrawnOverlap } from '../../../src/kubevirt/migration/machine-configs.ts';
import { measuredDirtyRateVariability } from '../../../src/kubevirt/migration/migration-ensemble.ts';
import { calibrationRequest, readCalibrationRuns, recordedCampaign } from '../../calibration/qemu-runs.ts';

// test/calibration/qemu (README there); the per-run overlap shares are fitted in fit-parameters.ts.
const run = readCalibrationRuns().find((r) => r.runId === 'm256-bw64-r16000-w128-dt300');
if (run === undefined)
  throw new Error('no run m256-bw64-r16000-w128-dt300 in test/calibration/qemu/results.csv');
const request = calibrationRequest(run, recordedCampaign());
const varied = {
  ...request,
  guest: { ...request.guest, dirtyRateVariability: measuredDirtyRateVariability() },
};

describe("the guest's page layout drawn per run (migrate --runs)", () => {
  it('without a per-run mean the guest keeps its fixed overlap share (the pooled fit, 0.1848)', () => {
    const config = precopyConfigFor(request);
    expect(withDrawnOverlap(new Simulation({ seed: 3 }), request, config)).toBe(config);
    expect(config.contiguousOverlapFraction).toBe(QEMU_CALIBRATION_CAMPAIGN.workingSetOverlapFraction.value);
  });

  it('with it, each seed draws its own share from its named stream: same seed, same share; mean 0.1265 over 2,000 seeds', () => {
    const draw = (seed: number) =>
      withDrawnOverlap(new Simulation({ seed }), varied, precopyConfigFor(varied)).contiguousOverlapFraction;
    expect(draw(11)).toBe(draw(11));
    const draws = Array.from({ length: 2000 }, (_, i) => draw(i + 1));
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const mean0 = QEMU_CALIBRATION_CAMPAIGN.workingSetOverlapPerRunMean.value;
    // Exponential: the sample mean of 2,000 draws is within 3 standard errors (mean/√2000).
    expect(Math.abs(mean - mean0)).toBeLessThan((3 * mean0) / Math.sqrt(2000));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThanOrEqual(1);
    // About e^-1 of an exponential's draws lie above its mean.
    const above = draws.filter((m) => m > mean0).length / draws.length;
    expect(above).toBeGreaterThan(0.33);
    expect(above).toBeLessThan(0.41);
  });

  it('the draw does not move the dirty-rate draws: a fixed-share run and a drawn-share run see the same rate stream', () => {
    const sim = new Simulation({ seed: 5 });
    const before = sim.rng.stream(`kubevirt.migration.dirty-rate/${request.name}`).next();
    const sim2 = new Simulation({ seed: 5 });
    withDrawnOverlap(sim2, varied, precopyConfigFor(varied));
    expect(sim2.rng.stream(`kubevirt.migration.dirty-rate/${request.name}`).next()).toBe(before);
  });
});
