/**
 * The guest while it migrates: the pages it has written since the last dirty-bitmap sync, at the
 * rate guest-dirtying.ts gives under the auto-converge throttle, until KubeVirt pauses it or the
 * switch stops it.
 */
import type { RandomStream, Simulation } from '../../../sim/index.ts';
import { throttledDirtyPagesPerSecond } from './guest-dirtying.ts';
import type { GuestWorkload } from './migration-request.ts';

export class MigratingGuest {
  /** Pages written since the last sync. */
  writtenPages = 0;
  /** The guest ran at some time since the last sync (the hot set is dirty again). */
  ranSinceSync = false;
  /** The auto-converge throttle applied now. */
  throttlePercent = 0;
  /** When KubeVirt paused the guest (workload disruption without post-copy), null while it runs. */
  pausedAtSeconds: number | null = null;
  /** The VM stopped on the source at the switch. */
  stopped = false;
  private updatedSeconds: number;
  /** The rate of this migration: the guest's, times the per-run draw when it varies. */
  private readonly basePagesPerSecond: number;
  /** The factor of the current variability period and when that period ends. */
  private periodFactor = 1;
  private periodEndSeconds = Number.POSITIVE_INFINITY;

  /** `random`: the migration's own stream, drawn from only when the guest's rate varies. */
  constructor(
    private readonly sim: Simulation,
    private readonly guest: GuestWorkload,
    private readonly workingSetPages: number,
    private readonly cpuThrottleTimesliceMs: number,
    private readonly random: RandomStream | null = null,
  ) {
    this.updatedSeconds = sim.now;
    const variability = guest.dirtyRateVariability;
    if (variability !== undefined && random !== null) {
      this.basePagesPerSecond =
        guest.dirtyPagesPerSecond * Math.max(0, random.normal(1, variability.perRunRelativeSd));
      this.periodFactor = Math.max(0, random.normal(1, variability.perPeriodRelativeSd));
      this.periodEndSeconds = sim.now + variability.periodSeconds;
    } else {
      this.basePagesPerSecond = guest.dirtyPagesPerSecond;
    }
  }

  /** Brings the written pages up to now, period by period of the rate's variability. */
  advance(): void {
    const now = this.sim.now;
    if (!this.stopped && this.pausedAtSeconds === null) {
      const rate = this.throttledPagesPerSecond();
      let from = this.updatedSeconds;
      // Periods that passed while the guest was paused or stopped are skipped.
      while (this.periodEndSeconds <= from) this.nextPeriod();
      while (from < now) {
        const to = Math.min(now, this.periodEndSeconds);
        this.writtenPages += rate * this.periodFactor * (to - from);
        from = to;
        if (to === this.periodEndSeconds) this.nextPeriod();
      }
      if (now > this.updatedSeconds) this.ranSinceSync = true;
    }
    this.updatedSeconds = now;
  }

  /** Pages the guest writes per second now (0 while paused or stopped): libvirt's `memory_dirty_rate`. */
  get dirtyPagesPerSecond(): number {
    if (this.stopped || this.pausedAtSeconds !== null) return 0;
    return this.throttledPagesPerSecond() * this.periodFactor;
  }

  private throttledPagesPerSecond(): number {
    return throttledDirtyPagesPerSecond(
      {
        dirtyPagesPerSecond: this.basePagesPerSecond,
        workingSetPages: this.workingSetPages,
        throttleCatchUpMs: this.guest.throttleCatchUpMs,
      },
      this.throttlePercent,
      this.cpuThrottleTimesliceMs,
    );
  }

  private nextPeriod(): void {
    const variability = this.guest.dirtyRateVariability;
    if (variability === undefined || this.random === null) return;
    this.periodFactor = Math.max(0, this.random.normal(1, variability.perPeriodRelativeSd));
    this.periodEndSeconds += variability.periodSeconds;
  }

  /** A dirty-bitmap sync collected what the guest wrote. */
  synced(): void {
    this.writtenPages = 0;
    this.ranSinceSync = false;
  }

  /** KubeVirt suspends the guest (`dom.Suspend()`); a second pause changes nothing. */
  pause(): void {
    this.advance();
    if (this.pausedAtSeconds === null) this.pausedAtSeconds = this.sim.now;
  }
}
