/**
 * How a guest dirties memory, as the QEMU dirty log sees it (research/migration.md §4, calibration
 * README "Inputs"): a writer walking a working set sequentially, so in any interval it leaves
 * min(pages written, WSS) distinct dirty pages, slowed by auto-converge's vCPU throttle.
 */
import { QEMU_MIGRATION_DEFAULTS } from '../defaults.ts';

export interface GuestDirtying {
  /** Pages the guest writes per second when unthrottled (4 KiB pages). */
  readonly dirtyPagesPerSecond: number;
  /** Pages the writer cycles through. */
  readonly workingSetPages: number;
  /**
   * Stall a paced writer makes up after each throttle sleep. 0 = CPU-bound guest whose dirty rate
   * scales with its CPU share (1 − p); the calibration guest catches up 4 ms (`catchup_us=4000`).
   */
  readonly throttleCatchUpMs: number;
}

/**
 * How much a guest's dirty rate varies (`migrate --runs`): the rate of one migration is
 * rate × (1 + perRun·z₀), and in each `periodSeconds` the guest writes × (1 + perPeriod·zₖ), z
 * standard normal from the migration's named stream, the factor held at 0 or more. The calibration
 * guest's are measured (defaults.ts QEMU_CALIBRATION_CAMPAIGN): its per-second DIRTY reports and its
 * achieved against its target rate.
 */
export interface DirtyRateVariability {
  readonly perRunRelativeSd: number;
  readonly perPeriodRelativeSd: number;
  readonly periodSeconds: number;
  /**
   * Where the guest's pages lie varies from boot to boot, and with it the share m of overlap left
   * while the marks form one run (`unitedWorkingSetPages`): when set, each migration draws m from an
   * exponential distribution of this mean (at most 1) from its own named stream, in place of the
   * guest's fixed m. The calibration guest's runs each show their own m (defaults.ts
   * `workingSetOverlapPerRunMean`); absent, every run uses the guest's m.
   */
  readonly overlapFractionPerRunMean?: number;
}

/**
 * Dirty rate under a vCPU throttle of `throttlePercent` (`qemu/qemu:system/cpu-throttle.c`,
 * cpu_throttle_thread): each vCPU runs `timesliceMs`, then sleeps p/(1−p) of it. A writer that
 * catches up `catchUpMs` of each sleep loses only the rest.
 */
export function throttledDirtyPagesPerSecond(
  guest: GuestDirtying,
  throttlePercent: number,
  timesliceMs: number,
): number {
  if (throttlePercent <= 0) return guest.dirtyPagesPerSecond;
  const p = Math.min(throttlePercent, QEMU_MIGRATION_DEFAULTS.cpuThrottleCeilingPercent.value) / 100;
  const sleepMs = (timesliceMs * p) / (1 - p);
  const share = Math.min(
    1,
    (timesliceMs + Math.min(sleepMs, guest.throttleCatchUpMs)) / (timesliceMs + sleepMs),
  );
  return guest.dirtyPagesPerSecond * share;
}

/** Distinct pages a sequential writer leaves dirty after writing `writtenPages` (saturates at WSS). */
export function distinctDirtyPages(writtenPages: number, workingSetPages: number): number {
  return Math.min(Math.max(0, writtenPages), workingSetPages);
}

/**
 * Pages marked in the bitmap after a sync, inside the working set: the unsent pages united with the
 * newly dirtied ones. The writer walks the set in order and QEMU sends in address order, so after a
 * sync that did not cover the whole set the unsent pages are mostly the tail of one run that the new
 * writes extend (`contiguous`): U = P + L − m·P·L/W, at most W, where m (`overlapFraction`) is the
 * share of the independent-subsets overlap that remains because the set is not one physical run.
 * The calibration traces show both: m256-bw16-r4000-w32 keeps U ≈ P + L over 45 syncs (P ≈ 1,000,
 * L ≈ 2,400–5,300 of 8,192 pages), while m256-bw64-r16000-w128 loses 0.8–2.7 thousand pages to
 * overlap at a few syncs; least squares over every sync of every run gives m
 * (test/calibration/fit-parameters.ts).
 * After the first pass or a sync that covered the whole set, the sender's position relative to the
 * writer is arbitrary, and the expected union of independent subsets applies:
 * U = W − (W − P)(W − L)/W (same trace, sync 4: P 1,146, L 6,871 → 7,056; observed 6,952).
 */
export function unitedWorkingSetPages(
  pendingInsidePages: number,
  newDistinctPages: number,
  workingSetPages: number,
  contiguous: boolean,
  overlapFraction = 0,
): number {
  const w = workingSetPages;
  if (w <= 0) return pendingInsidePages;
  const p = Math.min(pendingInsidePages, w);
  const d = Math.min(newDistinctPages, w);
  if (contiguous) return Math.min(w, Math.max(p, d, p + d - (overlapFraction * p * d) / w));
  return w - ((w - p) * (w - d)) / w;
}

/**
 * Pages of the hot set marked after a sync: the guest's kernel (timers, stacks, per-CPU data, the
 * page tables of the working set) writes the same few pages again in every sync interval, so the
 * whole set is dirty again at each sync in which the guest ran; those still unsent were already
 * marked. The calibration traces show it where the interval covered the whole working set: the sync
 * finds W + 120 to 190 pages, not W, whatever the interval (0.8–8 s; test/calibration/fit-parameters.ts).
 */
export function markedHotSetPages(unsentHotPages: number, hotSetPages: number, guestRan: boolean): number {
  return guestRan ? Math.max(unsentHotPages, hotSetPages) : unsentHotPages;
}
