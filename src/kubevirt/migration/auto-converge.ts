/**
 * QEMU auto-converge (`qemu/qemu:migration/ram.c`: migration_bitmap_sync, migration_trigger_throttle,
 * mig_throttle_guest_down), as a pure state and one transition per dirty-bitmap sync.
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
    if (dirtyBytes > (sentBytes * parameters.triggerThresholdPercent) / 100) {
      highDirtyCount += 1;
      if (highDirtyCount >= parameters.highDirtyCountPerStep) {
        highDirtyCount = 0;
        throttlePercent =
          throttlePercent > 0
            ? Math.min(throttlePercent + parameters.incrementPercent, parameters.maxPercent)
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
