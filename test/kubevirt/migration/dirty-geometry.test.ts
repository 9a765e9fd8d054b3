import { describe, expect, it } from 'vitest';
import { markedHotSetPages, unitedWorkingSetPages } from '../../../src/kubevirt/migration/guest-dirtying.ts';
import {
  onCheck,
  onWindow,
  type PrecopyConfig,
  startPrecopy,
} from '../../../src/kubevirt/migration/precopy-machine.ts';

// docs/model/migration.md "Guest dirtying"; the numbers come from the calibration traces
// (test/calibration/qemu/traces) as read by test/calibration/sync-observations.ts.

const config: PrecopyConfig = {
  pageSizeBytes: 4096,
  pageHeaderBytes: 8,
  zeroPageBytes: 9,
  usedPages: 1000,
  zeroPages: 0,
  workingSetPages: 100,
  resweepFraction: 0.75,
  contiguousOverlapFraction: 0,
  hotSetPages: 10,
  downtimeLimitSeconds: 0.3,
  deviceStateBytes: 0,
  postCopySwitchBytes: 0,
  autoConverge: {
    enabled: false,
    triggerThresholdPercent: 50,
    initialPercent: 20,
    incrementPercent: 10,
    maxPercent: 99,
    evaluationPeriodSeconds: 1,
    highDirtyCountPerStep: 2,
  },
  postCopyAfterPass: null,
};

/** The state at the end of the first pass, threshold 10 MB/s × 0.3 s = 3 MB (732 pages). */
function endOfFirstPass() {
  return onWindow(startPrecopy(config, 0, 0), config, { sentBytes: 1e6, seconds: 0.1 });
}

describe('dirty-page geometry', () => {
  it('while the marks form one run, unsent and new pages overlap by m × P·L/W (P 1,000, L 4,000, W 8,192)', () => {
    expect(unitedWorkingSetPages(1000, 4000, 8192, true, 0)).toBe(5000);
    // 5,000 − 0.2 × 1,000 × 4,000 / 8,192 = 5,000 − 97.66
    expect(unitedWorkingSetPages(1000, 4000, 8192, true, 0.2)).toBeCloseTo(4902.34, 2);
    // never beyond the working set, never below either part
    expect(unitedWorkingSetPages(6000, 6000, 8192, true, 0.2)).toBe(8192);
    expect(unitedWorkingSetPages(8000, 10, 8192, true, 1)).toBeGreaterThanOrEqual(8000);
  });

  it('the hot set is dirty again at every sync in which the guest ran, and only then', () => {
    expect(markedHotSetPages(3, 10, true)).toBe(10);
    expect(markedHotSetPages(3, 10, false)).toBe(3);
  });

  it('a drained pass syncs and finds the guest writes plus the hot set (50 + 10 pages < 732: stop)', () => {
    const step = onCheck(endOfFirstPass(), config, {
      nowSeconds: 1,
      remainingWireBytes: 0,
      transferredBytes: 1000 * 4104,
      writtenPagesSinceSync: 50,
      guestRanSinceSync: true,
    });
    expect(step.action).toEqual({ kind: 'stop-and-copy', wireBytes: 60 * 4104 });
  });

  it('a guest that did not run since the last sync leaves nothing dirty', () => {
    const step = onCheck(endOfFirstPass(), config, {
      nowSeconds: 1,
      remainingWireBytes: 0,
      transferredBytes: 1000 * 4104,
      writtenPagesSinceSync: 0,
      guestRanSinceSync: false,
    });
    expect(step.action).toEqual({ kind: 'stop-and-copy', wireBytes: 0 });
  });
});
