/**
 * The etcd events a steady cluster schedules (the leader's ticks, the messages of its heartbeats and
 * appends, their answers, the followers' wakes), kept here instead of in the kernel while the cluster
 * coasts (host.ts `coastable`), and replayed, in the order the kernel would have taken them, when
 * something next touches etcd. The kernel orders events of one time by when they were scheduled, and so
 * does this queue. A few entries at most (a tick, a message per
 * follower, a wake per follower), in parallel arrays: no object per event.
 */
import type { Event } from '../../sim/index.ts';
import type { Message } from './raft/message.ts';

/** What a replayed entry does: a peer message arrives, or a member's tick driver wakes. */
export const ARRIVAL = 0;
export const WAKE = 1;

/** A member's tick driver as the queue wakes it: the token tells a later arming from a stale one. */
export interface Wakeable {
  wake(token: number): void;
  /** The same as a kernel event's callback (the event's value is the token). */
  readonly woken: (e: Event<number>) => void;
}

export class CoastQueue {
  /** Sorted by (time, sequence), latest first: the next entry is the last. */
  private readonly at: number[] = [];
  private readonly kind: number[] = [];
  private readonly message: (Message | null)[] = [];
  private readonly driver: (Wakeable | null)[] = [];
  private readonly token: number[] = [];
  /** The entry `pop` removed last. */
  poppedAt = 0;
  poppedMessage: Message | null = null;
  poppedDriver: Wakeable | null = null;
  poppedToken = 0;

  get size(): number {
    return this.at.length;
  }

  /** Time of the next entry (Infinity when none). */
  peekTime(): number {
    const n = this.at.length;
    return n === 0 ? Number.POSITIVE_INFINITY : this.at[n - 1];
  }

  push(at: number, kind: number, message: Message | null, driver: Wakeable | null, token: number): void {
    const times = this.at;
    let i = times.length;
    times.push(at);
    this.kind.push(kind);
    this.message.push(message);
    this.driver.push(driver);
    this.token.push(token);
    // Latest first: shift the entries due at or before `at` one place towards the end, so one of the
    // same time scheduled earlier stays nearer the end and is taken first (as the kernel orders).
    while (i > 0 && times[i - 1] <= at) {
      this.move(i - 1, i);
      i--;
    }
    times[i] = at;
    this.kind[i] = kind;
    this.message[i] = message;
    this.driver[i] = driver;
    this.token[i] = token;
  }

  private move(from: number, to: number): void {
    this.at[to] = this.at[from];
    this.kind[to] = this.kind[from];
    this.message[to] = this.message[from];
    this.driver[to] = this.driver[from];
    this.token[to] = this.token[from];
  }

  /** Removes the next entry and returns its kind; its time and payload are in the `popped` fields. */
  pop(): number {
    this.poppedAt = this.at.pop() as number;
    this.poppedMessage = this.message.pop() as Message | null;
    this.poppedDriver = this.driver.pop() as Wakeable | null;
    this.poppedToken = this.token.pop() as number;
    return this.kind.pop() as number;
  }
}
