/**
 * A binary min-heap of scheduled items keyed by (time, priority, sequence), stored as a struct of
 * typed arrays (OpenDC's TaskQueue layout): the keys live in Float64Arrays, the payload in a plain
 * array moved in step. Equal (time, priority) pops in insertion order, which makes same-time events
 * FIFO and the whole kernel deterministic.
 */
export class EventHeap<T> {
  private times: Float64Array;
  /** priority * 2^48 + sequence: one comparison orders priority, then insertion. */
  private keys: Float64Array;
  private items: (T | undefined)[];
  private count = 0;
  private sequence = 0;

  constructor(initialCapacity = 1024) {
    this.times = new Float64Array(initialCapacity);
    this.keys = new Float64Array(initialCapacity);
    this.items = new Array(initialCapacity);
  }

  get size(): number {
    return this.count;
  }

  /** Time of the earliest item; Infinity when empty. */
  peekTime(): number {
    return this.count === 0 ? Number.POSITIVE_INFINITY : this.times[0];
  }

  push(time: number, priority: number, item: T): void {
    if (this.count === this.times.length) this.grow();
    const key = priority * PRIORITY_SCALE + this.sequence++;
    const times = this.times;
    const keys = this.keys;
    const items = this.items;
    let i = this.count++;
    // Sift up: move parents down until the slot for the new item is found.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent];
      if (pt < time || (pt === time && keys[parent] < key)) break;
      times[i] = pt;
      keys[i] = keys[parent];
      items[i] = items[parent];
      i = parent;
    }
    times[i] = time;
    keys[i] = key;
    items[i] = item;
  }

  /** Removes and returns the earliest item. The caller reads its time with peekTime() first. */
  pop(): T {
    const times = this.times;
    const keys = this.keys;
    const items = this.items;
    const top = items[0] as T;
    const last = --this.count;
    const time = times[last];
    const key = keys[last];
    const item = items[last];
    items[last] = undefined;
    let i = 0;
    const half = last >> 1;
    // Sift down the former last item from the root.
    while (i < half) {
      let child = 2 * i + 1;
      const right = child + 1;
      if (
        right < last &&
        (times[right] < times[child] || (times[right] === times[child] && keys[right] < keys[child]))
      ) {
        child = right;
      }
      const ct = times[child];
      if (time < ct || (time === ct && key < keys[child])) break;
      times[i] = ct;
      keys[i] = keys[child];
      items[i] = items[child];
      i = child;
    }
    if (last > 0) {
      times[i] = time;
      keys[i] = key;
      items[i] = item;
    }
    return top;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
    times.set(this.times);
    const keys = new Float64Array(capacity);
    keys.set(this.keys);
    this.times = times;
    this.keys = keys;
    this.items.length = capacity;
  }
}

const PRIORITY_SCALE = 2 ** 48;
