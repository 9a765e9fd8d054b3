import { Event } from '../event.ts';
import type { Simulation } from '../simulation.ts';

interface Pending {
  event: Event<number>;
  amount: number;
}

/**
 * A continuous level between 0 and capacity (SimPy's Container, `simpy/resources/container.py`):
 * put(amount) waits for room, get(amount) waits for the level; each queue is served in arrival
 * order, and a waiter at the head that does not fit holds up the ones behind it. A put or get is
 * served at once when it fits; the waiters of the other queue are tried when that event is
 * processed (one event later at the same time), as SimPy's Put/Get events call `_trigger_get` /
 * `_trigger_put` from their callbacks (`simpy/resources/base.py`).
 */
export class Container {
  private currentLevel: number;
  private readonly putters: Pending[] = [];
  private readonly getters: Pending[] = [];
  private readonly servePuttersCallback = () => this.servePutters();
  private readonly serveGettersCallback = () => this.serveGetters();

  constructor(
    readonly sim: Simulation,
    readonly capacity = Number.POSITIVE_INFINITY,
    initialLevel = 0,
  ) {
    if (!(capacity > 0)) throw new RangeError(`container capacity must be positive, got ${capacity}`);
    if (!(initialLevel >= 0 && initialLevel <= capacity)) {
      throw new RangeError(`initial level ${initialLevel} outside [0, ${capacity}]`);
    }
    this.currentLevel = initialLevel;
  }

  get level(): number {
    return this.currentLevel;
  }

  /** Succeeds with `amount` once it is in. */
  put(amount: number): Event<number> {
    const event = this.pending(amount, this.serveGettersCallback);
    this.putters.push({ event, amount });
    this.servePutters();
    return event;
  }

  /** Succeeds with `amount` once it is taken out. */
  get(amount: number): Event<number> {
    const event = this.pending(amount, this.servePuttersCallback);
    this.getters.push({ event, amount });
    this.serveGetters();
    return event;
  }

  private pending(amount: number, onProcessed: () => void): Event<number> {
    if (!(amount > 0 && amount <= this.capacity)) {
      throw new RangeError(`amount ${amount} outside (0, ${this.capacity}]`);
    }
    const event = new Event<number>(this.sim);
    event._cb = onProcessed;
    return event;
  }

  /** SimPy's `_trigger_put` with Container's `_do_put`: serve putters from the head while they fit. */
  private servePutters(): void {
    while (this.putters.length > 0) {
      const put = this.putters[0];
      if (this.capacity - this.currentLevel < put.amount) return;
      this.putters.shift();
      this.currentLevel += put.amount;
      put.event.succeed(put.amount);
    }
  }

  /** SimPy's `_trigger_get` with Container's `_do_get`: serve getters from the head while they fit. */
  private serveGetters(): void {
    while (this.getters.length > 0) {
      const get = this.getters[0];
      if (this.currentLevel < get.amount) return;
      this.getters.shift();
      this.currentLevel -= get.amount;
      get.event.succeed(get.amount);
    }
  }
}
