import { describe, expect, it } from 'vitest';
import {
  type CalibrationRun,
  QEMU_CALIBRATION_DIRECTORY,
  QEMU_HOLDOUT_2_DIRECTORY,
  QEMU_HOLDOUT_3_DIRECTORY,
  QEMU_HOLDOUT_DIRECTORY,
  readCalibrationRuns,
} from '../../calibration/qemu-runs.ts';
import {
  downtimeScatter,
  iterationsAttainable,
  verdictsAttainable,
} from '../../calibration/validation-table.ts';

// test/calibration/qemu, qemu-holdout, qemu-holdout-2 (READMEs there): QEMU 7.2 runs on the 2-core lab host.
const runs = [QEMU_CALIBRATION_DIRECTORY, QEMU_HOLDOUT_DIRECTORY, QEMU_HOLDOUT_2_DIRECTORY].flatMap((d) =>
  readCalibrationRuns(d),
);
const byId = (id: string): CalibrationRun => {
  const run = runs.find((r) => r.runId === id);
  if (run === undefined) throw new Error(`no run ${id}`);
  return run;
};

describe("QEMU's downtime for the same bytes at the stop (docs/validation.md)", () => {
  it('m640-bw48: 14.5 MB took 12 ms without auto-converge, 15.2 MB 49 ms with it; the report names such pairs', () => {
    const a = byId('m640-bw48-r11400-w96-dt300-rep3');
    const b = byId('m640-bw48-r16000-w64-dt300-ac');
    expect(a.downtimeMs).toBe(12);
    expect(b.downtimeMs).toBe(49);
    expect(b.downtimeBytes / a.downtimeBytes).toBeLessThan(1.1);
    const line = downtimeScatter(runs).join('\n');
    expect(line).toContain('`m640-bw48-r11400-w96-dt300-rep3` 12 ms for 14.5 MB');
    expect(line).toContain('`m640-bw48-r16000-w64-dt300-ac` 49 ms for 15.2 MB');
  });

  it('one such pair makes the line; a run alone makes no pair, and then nothing is said', () => {
    expect(
      downtimeScatter([byId('m640-bw48-r11400-w96-dt300-rep3'), byId('m640-bw48-r16000-w64-dt300-ac')]),
    ).toHaveLength(1);
    expect(downtimeScatter([byId('m640-bw48-r11400-w96-dt300-rep3')])).toEqual([]);
  });
});

describe("QEMU's iteration counts on repeats of one knife-edge input (docs/validation.md)", () => {
  it('m640-bw48-r11400 needed 46, 53, 33 and 52: one count is within ±1 of at most 2 of the 4', () => {
    const repeats = ['', '-rep2', '-rep3', '-rep4'].map((rep) => byId(`m640-bw48-r11400-w96-dt300${rep}`));
    expect(repeats.map((r) => r.iterations)).toEqual([46, 53, 33, 52]);
    expect(iterationsAttainable(repeats)).toBe(2);
  });

  it('a run alone always counts; the second campaign can reach at most 34 of its 38 completed runs (89.5 %)', () => {
    expect(iterationsAttainable([byId('m640-bw48-r11400-w96-dt300-rep3')])).toBe(1);
    const second = readCalibrationRuns(QEMU_HOLDOUT_2_DIRECTORY).filter((r) => r.outcome !== 'cancelled');
    expect(second.length).toBe(38);
    expect(iterationsAttainable(second)).toBe(34);
  });
});

describe("QEMU's verdicts on repeats of one knife-edge input (docs/validation.md)", () => {
  it('m512-bw44-r10900 converged twice and was cancelled twice: one verdict matches at most 2 of the 4', () => {
    const third = readCalibrationRuns(QEMU_HOLDOUT_3_DIRECTORY);
    const repeats = third.filter((r) => r.runId.startsWith('m512-bw44-r10900-w96-dt300'));
    expect(repeats.map((r) => r.outcome)).toEqual(['converged', 'converged', 'cancelled', 'cancelled']);
    expect(verdictsAttainable(repeats)).toBe(2);
    expect(verdictsAttainable(third)).toBe(14);
  });

  it('the first two campaigns repeat their verdicts on every input: all 91 reachable', () => {
    const firstTwo = [QEMU_HOLDOUT_DIRECTORY, QEMU_HOLDOUT_2_DIRECTORY].flatMap((d) =>
      readCalibrationRuns(d),
    );
    expect(verdictsAttainable(firstTwo)).toBe(91);
  });
});
