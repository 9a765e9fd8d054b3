import type { RandomStream } from '../../sim/index.ts';
import type { EtcdEnvironment } from './defaults.ts';
import type { MemberId } from './raft/message.ts';

/**
 * When a peer message arrives: after the sender's WAL sync (if the step changed term, vote or
 * entries), one-way delivery on loopback plus half the network round trip. Deliveries on one link
 * keep their order, as on etcd's TCP streams (rafthttp stream.go).
 */
export class Transport {
  /** Each member's place in `lastArrivalMs`. */
  private readonly place = new Map<MemberId, number>();
  /** Per link (sender's place x members + receiver's): the last arrival time on it, -Infinity before any. */
  private readonly lastArrivalMs: Float64Array;
  /**
   * A network partition: true when no packet passes between the two members' hosts. Null (the
   * usual case) costs one comparison per message; rafthttp drops what it cannot deliver and raft
   * retries from its own state (heartbeats, elections), so a cut link is a dropped message.
   */
  private cut: ((from: MemberId, to: MemberId) => boolean) | null = null;

  constructor(
    private readonly environment: EtcdEnvironment,
    private readonly networkRoundTripMs: number,
    private readonly rng: RandomStream,
    members: readonly MemberId[],
  ) {
    for (let i = 0; i < members.length; i++) this.place.set(members[i], i);
    this.lastArrivalMs = new Float64Array(members.length * members.length).fill(Number.NEGATIVE_INFINITY);
  }

  /** Sets (or clears, with null) the pairs of members no packet passes between. */
  setCut(cut: ((from: MemberId, to: MemberId) => boolean) | null): void {
    this.cut = cut;
  }

  /** No partition: every message passes. */
  uncut(): boolean {
    return this.cut === null;
  }

  /** Whether a message from `from` reaches `to` (always, without a partition). */
  reaches(from: MemberId, to: MemberId): boolean {
    return this.cut === null || !this.cut(from, to);
  }

  /** WAL fsync before sending what a state change produced. */
  syncDelayMs(): number {
    const { min, max } = this.environment.walSyncMs;
    return this.rng.uniform(min, max);
  }

  /** Arrival time (ms) of a message handed to the link at `sentMs`. */
  arrivalMs(from: MemberId, to: MemberId, sentMs: number): number {
    const { min, max } = this.environment.loopbackOneWayMs;
    const arrival = sentMs + this.rng.uniform(min, max) + this.networkRoundTripMs / 2;
    const from_ = this.place.get(from);
    const to_ = this.place.get(to);
    if (from_ === undefined || to_ === undefined) throw new Error(`no etcd link ${from} -> ${to}`);
    const link = from_ * this.place.size + to_;
    const last = this.lastArrivalMs[link];
    const ordered = Math.max(arrival, last);
    this.lastArrivalMs[link] = ordered;
    return ordered;
  }

  /** One-way delay for a client request forwarded between members (no sync involved). */
  oneWayMs(): number {
    const { min, max } = this.environment.loopbackOneWayMs;
    return this.rng.uniform(min, max) + this.networkRoundTripMs / 2;
  }
}
