/**
 * QEMU auto-converge (`qemu/qemu:migration/ram.c`: migration_bitmap_sync, migration_trigger_throttle,
 * mig_throttle_guest_down), as a pure state and one transition per dirty-bitmap sync. QEMU 7.2:
 * - migration_bitmap_sync adds the pages newly marked by each sync to `num_dirty_pages_period` and
 *   evaluates only when the sync ends more than 1000 ms after the period began
 *   (`end_time > time_last_bitmap_sync + 1000`), then starts a new period (`bytes_xfer_prev`);
 * - migration_trigger_throttle: bytes dirtied in the period above `throttle-trigger-threshold` % of
 *   the bytes sent in it raise `dirty_rate_high_cnt`; at 2 it resets and the guest is throttled down;
 * - mig_throttle_guest_down: `cpu-throttle-initial` when off, else + `cpu-throttle-increment` (with
 *   `cpu-throttle-tailslow`: at most the step that would bring the guest's CPU share to
 *   share × threshold / dirtied, truncated to a whole percent), capped at `max-cpu-throttle`.
 */

export interface AutoConvergeParameters {
  readonly enabled: boolean;
  readonly triggerThresholdPercent: number;
  readonly initialPercent: number;
  readonly incrementPercent: number;
  readonly maxPercent: number;
  /** A sync evaluates only when more than this has passed since the previous evaluation. */
  readonly evaluationPeriodSeconds: number;
  /** High-dirty evaluations per throttle step. */
  readonly highDirtyCountPerStep: number;
  /** `cpu-throttle-tailslow` (off by default): smaller steps near the rate that would converge. */
  readonly tailslow?: boolean;
}

export interface AutoConvergeState {
  readonly throttlePercent: number;
  readonly highDirtyCount: number;
  readonly periodStartSeconds: number;
  /** Pages newly marked dirty by the syncs of this period (`num_dirty_pages_period`). */
  readonly periodDirtyPages: number;
  /** Bytes transferred when the period began (`bytes_xfer_prev`). */
  readonly periodStartTransferredBytes: number;
}

export function initialAutoConverge(nowSeconds: number): AutoConvergeState {
  return {
    throttlePercent: 0,
    highDirtyCount: 0,
    periodStartSeconds: nowSeconds,
    periodDirtyPages: 0,
    periodStartTransferredBytes: 0,
  };
}

/**
 * One dirty-bitmap sync: adds the newly dirtied pages to the period and, once the period is longer
 * than `evaluationPeriodSeconds`, compares re-dirtied bytes with the threshold share of the bytes
 * sent; every `highDirtyCountPerStep`-th high evaluation starts (initial %) or raises (+increment,
 * capped) the throttle. The throttle never falls during a migration.
 */
export function autoConvergeOnSync(
  state: AutoConvergeState,
  sync: { nowSeconds: number; newDirtyPages: number; transferredBytes: number; pageSizeBytes: number },
  parameters: AutoConvergeParameters,
): AutoConvergeState {
  const periodDirtyPages = state.periodDirtyPages + sync.newDirtyPages;
  if (!(sync.nowSeconds > state.periodStartSeconds + parameters.evaluationPeriodSeconds)) {
    return { ...state, periodDirtyPages };
  }
  let { throttlePercent, highDirtyCount } = state;
  if (parameters.enabled) {
    const dirtyBytes = periodDirtyPages * sync.pageSizeBytes;
    const sentBytes = sync.transferredBytes - state.periodStartTransferredBytes;
    const thresholdBytes = (sentBytes * parameters.triggerThresholdPercent) / 100;
    if (dirtyBytes > thresholdBytes) {
      highDirtyCount += 1;
      if (highDirtyCount >= parameters.highDirtyCountPerStep) {
        highDirtyCount = 0;
        throttlePercent =
          throttlePercent > 0
            ? Math.min(
                throttlePercent + throttleIncrement(throttlePercent, dirtyBytes, thresholdBytes, parameters),
                parameters.maxPercent,
              )
            : parameters.initialPercent;
      }
    }
  }
  return {
    throttlePercent,
    highDirtyCount,
    periodStartSeconds: sync.nowSeconds,
    periodDirtyPages: 0,
    periodStartTransferredBytes: sync.transferredBytes,
  };
}

/** The step of mig_throttle_guest_down once throttling is on (`cpu-throttle-tailslow` off: the increment). */
function throttleIncrement(
  throttlePercent: number,
  dirtyBytes: number,
  thresholdBytes: number,
  parameters: AutoConvergeParameters,
): number {
  if (parameters.tailslow !== true) return parameters.incrementPercent;
  // The guest's CPU share in per cent (`cpu_now = 100 - throttle_now`).
  const cpuNowPercent = Math.round((1 - throttlePercent / 100) * 100);
  const cpuIdealPercent = Math.trunc(cpuNowPercent * (thresholdBytes / dirtyBytes));
  return Math.min(cpuNowPercent - cpuIdealPercent, parameters.incrementPercent);
}
