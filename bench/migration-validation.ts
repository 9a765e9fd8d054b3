/**
 * Issue 9's targets on the runs measured after the fit (test/calibration/qemu-holdout, qemu-holdout-2
 * and qemu-holdout-3, knife-edge repeats only), each campaign and the first two together: the figures
 * of docs/validation.md with whether each target is met. Not timed: it reads the campaigns and runs
 * the model on every input.
 */
import { outOfSampleTargets, type TargetFigures } from '../test/calibration/validation-table.ts';

function judged(t: TargetFigures) {
  return {
    runs: t.runs,
    verdicts: {
      value: t.verdicts,
      attainable: t.verdictsAttainable,
      target: 'every run',
      met: t.verdicts === t.runs,
    },
    medianAbsTimeError: { value: t.medianAbsTimeError, target: 0.03, met: t.medianAbsTimeError <= 0.03 },
    largestAbsTimeErrorOffEdge: {
      value: t.largestAbsTimeErrorOffEdge,
      over15: t.offBy15,
      target: 0.15,
      met: t.largestAbsTimeErrorOffEdge <= 0.15,
    },
    iterationsWithinOne: {
      value: t.iterationsWithinOne,
      of: t.completed,
      attainable: t.iterationsAttainable,
      target: 0.9,
      met: t.completed > 0 && t.iterationsWithinOne / t.completed >= 0.9,
    },
    downtimeWithin2x: {
      value: t.downtimeWithin2x,
      of: t.downtimeCompared,
      target: 'all',
      met: t.downtimeWithin2x === t.downtimeCompared,
    },
    medianAbsDowntimeErrorMs: t.medianAbsDowntimeErrorMs,
  };
}

export function migrationValidationBenchmark() {
  const { first, second, third, both } = outOfSampleTargets();
  return {
    benchmark: 'migration-validation',
    firstCampaign: judged(first),
    secondCampaign: judged(second),
    thirdCampaign: judged(third),
    both: judged(both),
  };
}
