import type { RandomStream } from '../../sim/index.ts';
import type { EtcdEnvironment } from './defaults.ts';
import type { MemberId } from './raft/message.ts';

/**
 * When a peer message arrives: after the sender's WAL sync (if the step changed term, vote or
 * entries), one-way delivery on loopback plus half the network round trip. Deliveries on one link
 * keep their order, as on etcd's TCP streams (rafthttp stream.go).
 */
export class Transport {
  private readonly lastArrivalMs = new Map<string, number>();

  constructor(
    private readonly environment: EtcdEnvironment,
    private readonly networkRoundTripMs: number,
    private readonly rng: RandomStream,
  ) {}

  /** WAL fsync before sending what a state change produced. */
  syncDelayMs(): number {
    const { min, max } = this.environment.walSyncMs;
    return this.rng.uniform(min, max);
  }

  /** Arrival time (ms) of a message handed to the link at `sentMs`. */
  arrivalMs(from: MemberId, to: MemberId, sentMs: number): number {
    const { min, max } = this.environment.loopbackOneWayMs;
    const arrival = sentMs + this.rng.uniform(min, max) + this.networkRoundTripMs / 2;
    const key = `${from}>${to}`;
    const ordered = Math.max(arrival, this.lastArrivalMs.get(key) ?? 0);
    this.lastArrivalMs.set(key, ordered);
    return ordered;
  }

  /** One-way delay for a client request forwarded between members (no sync involved). */
  oneWayMs(): number {
    const { min, max } = this.environment.loopbackOneWayMs;
    return this.rng.uniform(min, max) + this.networkRoundTripMs / 2;
  }
}
