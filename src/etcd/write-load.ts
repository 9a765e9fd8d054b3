/**
 * The cluster's write load on etcd (leases, heartbeats, status: `src/profiles/cluster-write-load-defaults.ts`)
 * as log indexes: at each of its ticks the leader appends the writes offered since its last tick as
 * one batch, which the heartbeat then replicates. One log index per write, no simulation event per
 * write: a member that stops early misses every index written after it, so its log is behind (Raft
 * §5.4.1) by the rate times the time it was away from a serving cluster.
 */
import type { MemberState } from './member.ts';

export class WriteLoad {
  private carry = 0;
  private lastMs = 0;
  /** Writes appended as batches, for tests and reports. */
  written = 0;

  constructor(
    /** Writes per second offered now: 0 while the API does not serve. */
    private readonly perSecond: () => number,
    /** The longest interval one batch may cover (a heartbeat interval): no catch-up after a gap. */
    private readonly maxBatchMs: number,
  ) {}

  /** Writes per second offered now. */
  rateNow(): number {
    return this.perSecond();
  }

  /** Whether the leader's tick at `nowMs` appends a batch (`accrue`'s arithmetic, nothing changed). */
  appendsAt(nowMs: number): boolean {
    const elapsedMs = Math.min(nowMs - this.lastMs, this.maxBatchMs);
    const rate = this.perSecond();
    if (rate <= 0 || elapsedMs <= 0) return false;
    return Math.floor(this.carry + (rate * elapsedMs) / 1000) >= 1;
  }

  /** The leader `m` ticks at `nowMs`: append what the API wrote since the last tick. */
  accrue(m: MemberState, nowMs: number): void {
    const elapsedMs = Math.min(nowMs - this.lastMs, this.maxBatchMs);
    this.lastMs = nowMs;
    const rate = this.perSecond();
    if (rate <= 0 || elapsedMs <= 0) {
      this.carry = 0;
      return;
    }
    this.carry += (rate * elapsedMs) / 1000;
    const count = Math.floor(this.carry);
    if (count < 1) return;
    if (m.raft.appendWrites(count) > 0) {
      this.carry -= count;
      this.written += count;
    } else this.carry = 0;
  }
}
