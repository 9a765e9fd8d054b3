import { Event } from '../event.ts';
import type { Simulation } from '../simulation.ts';

interface PendingGet<T> {
  event: Event<T>;
  filter: ((item: T) => boolean) | undefined;
}

/**
 * A FIFO buffer of items (SimPy's Store / FilterStore): put() waits while full, get() waits until an
 * item (matching the filter, if given) is there.
 */
export class Store<T> {
  readonly items: T[] = [];
  private readonly putters: { event: Event<undefined>; item: T }[] = [];
  private readonly getters: PendingGet<T>[] = [];

  constructor(
    readonly sim: Simulation,
    readonly capacity = Number.POSITIVE_INFINITY,
  ) {
    if (!(capacity >= 1)) throw new RangeError(`store capacity must be at least 1, got ${capacity}`);
  }

  put(item: T): Event<undefined> {
    const event = new Event<undefined>(this.sim);
    this.putters.push({ event, item });
    this.settle();
    return event;
  }

  get(filter?: (item: T) => boolean): Event<T> {
    const event = new Event<T>(this.sim);
    this.getters.push({ event, filter });
    this.settle();
    return event;
  }

  private settle(): void {
    let changed = true;
    while (changed) {
      changed = false;
      while (this.putters.length > 0 && this.items.length < this.capacity) {
        const { event, item } = this.putters.shift() as { event: Event<undefined>; item: T };
        this.items.push(item);
        event.succeed(undefined);
        changed = true;
      }
      for (let g = 0; g < this.getters.length; g++) {
        const { event, filter } = this.getters[g];
        const index = filter === undefined ? (this.items.length > 0 ? 0 : -1) : this.items.findIndex(filter);
        if (index < 0) continue;
        const [item] = this.items.splice(index, 1);
        this.getters.splice(g--, 1);
        event.succeed(item);
        changed = true;
      }
    }
  }
}
