import { Event } from '../event.ts';
import type { Simulation } from '../simulation.ts';

interface Pending {
  event: Event<number>;
  amount: number;
}

/**
 * A continuous level between 0 and capacity (SimPy's Container): put(amount) waits for room,
 * get(amount) waits for the level; each queue is served in arrival order.
 */
export class Container {
  private currentLevel: number;
  private readonly putters: Pending[] = [];
  private readonly getters: Pending[] = [];

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

  put(amount: number): Event<number> {
    return this.enqueue(this.putters, amount);
  }

  get(amount: number): Event<number> {
    return this.enqueue(this.getters, amount);
  }

  private enqueue(queue: Pending[], amount: number): Event<number> {
    if (!(amount > 0 && amount <= this.capacity)) {
      throw new RangeError(`amount ${amount} outside (0, ${this.capacity}]`);
    }
    const event = new Event<number>(this.sim);
    queue.push({ event, amount });
    this.settle();
    return event;
  }

  private settle(): void {
    let changed = true;
    while (changed) {
      changed = false;
      const put = this.putters[0];
      if (put !== undefined && this.currentLevel + put.amount <= this.capacity) {
        this.putters.shift();
        this.currentLevel += put.amount;
        put.event.succeed(put.amount);
        changed = true;
      }
      const get = this.getters[0];
      if (get !== undefined && this.currentLevel >= get.amount) {
        this.getters.shift();
        this.currentLevel -= get.amount;
        get.event.succeed(get.amount);
        changed = true;
      }
    }
  }
}
