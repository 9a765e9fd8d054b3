/**
 * The guest while it migrates: the pages it has written since the last dirty-bitmap sync, at the
 * rate guest-dirtying.ts gives under the auto-converge throttle, until KubeVirt pauses it or the
 * switch stops it.
 */
import type { Simulation } from '../../../sim/index.ts';
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

  constructor(
    private readonly sim: Simulation,
    private readonly guest: GuestWorkload,
    private readonly workingSetPages: number,
    private readonly cpuThrottleTimesliceMs: number,
  ) {
    this.updatedSeconds = sim.now;
  }

  /** Brings the written pages up to now. */
  advance(): void {
    const now = this.sim.now;
    if (!this.stopped && this.pausedAtSeconds === null) {
      const rate = throttledDirtyPagesPerSecond(
        {
          dirtyPagesPerSecond: this.guest.dirtyPagesPerSecond,
          workingSetPages: this.workingSetPages,
          throttleCatchUpMs: this.guest.throttleCatchUpMs,
        },
        this.throttlePercent,
        this.cpuThrottleTimesliceMs,
      );
      this.writtenPages += rate * (now - this.updatedSeconds);
      if (now > this.updatedSeconds) this.ranSinceSync = true;
    }
    this.updatedSeconds = now;
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
