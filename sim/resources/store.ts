import { Event } from '../event.ts';
import type { Simulation } from '../simulation.ts';

interface PendingPut<T> {
  event: Event<undefined>;
  item: T;
}

interface PendingGet<T> {
  event: Event<T>;
  filter: ((item: T) => boolean) | undefined;
}

/**
 * A FIFO buffer of items (SimPy's FilterStore, `simpy/resources/store.py`; a get with no filter
 * takes the first item, as Store's): put() waits while full, get() waits until an item (matching
 * its filter, if given) is there. A put or get is served at once when it can be; the waiters of the
 * other queue are tried when that event is processed (one event later at the same time), as SimPy's
 * Put/Get events call `_trigger_get` / `_trigger_put` from their callbacks
 * (`simpy/resources/base.py`). Each try serves at most the first waiting put (Store's `_do_put`)
 * and every waiting get that finds a match, in arrival order (FilterStore's `_do_get`).
 */
export class Store<T> {
  readonly items: T[] = [];
  private readonly putters: PendingPut<T>[] = [];
  private readonly getters: PendingGet<T>[] = [];
  private readonly servePuttersCallback = () => this.servePutters();
  private readonly serveGettersCallback = () => this.serveGetters();

  constructor(
    readonly sim: Simulation,
    readonly capacity = Number.POSITIVE_INFINITY,
  ) {
    if (!(capacity >= 1)) throw new RangeError(`store capacity must be at least 1, got ${capacity}`);
  }

  put(item: T): Event<undefined> {
    const event = new Event<undefined>(this.sim);
    event._cb = this.serveGettersCallback;
    this.putters.push({ event, item });
    this.servePutters();
    return event;
  }

  get(filter?: (item: T) => boolean): Event<T> {
    const event = new Event<T>(this.sim);
    event._cb = this.servePuttersCallback;
    this.getters.push({ event, filter });
    this.serveGetters();
    return event;
  }

  /** SimPy's `_trigger_put` with Store's `_do_put`: one try, for the first waiting put. */
  private servePutters(): void {
    const put = this.putters[0];
    if (put === undefined || this.items.length >= this.capacity) return;
    this.putters.shift();
    this.items.push(put.item);
    put.event.succeed(undefined);
  }

  /** SimPy's `_trigger_get` with FilterStore's `_do_get`: every waiting get, in order. */
  private serveGetters(): void {
    for (let g = 0; g < this.getters.length; g++) {
      const { event, filter } = this.getters[g];
      const index = filter === undefined ? (this.items.length > 0 ? 0 : -1) : this.items.findIndex(filter);
      if (index < 0) continue;
      const [item] = this.items.splice(index, 1);
      this.getters.splice(g--, 1);
      event.succeed(item);
    }
  }
}
