import { QEMU_CALIBRATION_CAMPAIGN, QEMU_MIGRATION_DEFAULTS } from '../defaults.ts';

const PAGE_BYTES = QEMU_MIGRATION_DEFAULTS.pageSizeBytes.value;

/**
 * How a Linux guest's dirtying looks to QEMU beyond its working set, as measured on every sync of the
 * calibration campaign (Debian 6.1 guest, QEMU 7.2; test/calibration/fit-parameters.ts `fitGeometry`): a hot set of
 * kernel pages re-written every interval, and the share of overlap left between unsent and newly
 * written pages. The default for any guest until a guest of its own is measured.
 */
export function measuredGuestGeometry(workingSetBytes: number): {
  hotSetPages: number;
  workingSetOverlapFraction: number;
} {
  const c = QEMU_CALIBRATION_CAMPAIGN;
  return {
    hotSetPages:
      c.hotSetBasePages.value + (c.hotSetPagesPerWorkingSetPage.value * workingSetBytes) / PAGE_BYTES,
    workingSetOverlapFraction: c.workingSetOverlapFraction.value,
  };
}
