/**
 * A binary min-heap of scheduled items keyed by (time, priority, sequence), stored as a struct of
 * typed arrays (OpenDC's TaskQueue layout): keys in Float64Arrays, and an Int32Array of slot numbers
 * into a table of items, so sifting moves numbers and never object pointers (no GC write barriers).
 * Equal (time, priority) pops in insertion order, which makes same-time events FIFO and the whole
 * kernel deterministic.
 */
export class EventHeap<T> {
  private times: Float64Array;
  /** priority * 2^48 + sequence: one comparison orders priority, then insertion. */
  private keys: Float64Array;
  private slots: Int32Array;
  private items: (T | undefined)[];
  private freeSlots: Int32Array;
  private freeCount = 0;
  private nextSlot = 0;
  private count = 0;
  private sequence = 0;
  /** Time of the item the last pop() returned. */
  poppedTime = 0;

  constructor(initialCapacity = 1024) {
    this.times = new Float64Array(initialCapacity);
    this.keys = new Float64Array(initialCapacity);
    this.slots = new Int32Array(initialCapacity);
    this.freeSlots = new Int32Array(initialCapacity);
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
    const slot = this.freeCount > 0 ? this.freeSlots[--this.freeCount] : this.nextSlot++;
    this.items[slot] = item;
    const key = priority * PRIORITY_SCALE + this.sequence++;
    const times = this.times;
    const keys = this.keys;
    const slots = this.slots;
    let i = this.count++;
    // Sift up: move parents down until the place of the new item is found.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent];
      if (pt < time || (pt === time && keys[parent] < key)) break;
      times[i] = pt;
      keys[i] = keys[parent];
      slots[i] = slots[parent];
      i = parent;
    }
    times[i] = time;
    keys[i] = key;
    slots[i] = slot;
  }

  /** Removes and returns the earliest item. The caller reads its time with peekTime() first. */
  pop(): T {
    const times = this.times;
    const keys = this.keys;
    const slots = this.slots;
    this.poppedTime = times[0];
    const topSlot = slots[0];
    const top = this.items[topSlot] as T;
    this.items[topSlot] = undefined;
    this.freeSlots[this.freeCount++] = topSlot;
    const last = --this.count;
    const time = times[last];
    const key = keys[last];
    const slot = slots[last];
    let i = 0;
    const half = last >> 1;
    // Sift down the former last item from the root.
    while (i < half) {
      let child = 2 * i + 1;
      let ct = times[child];
      const right = child + 1;
      if (right < last) {
        const rt = times[right];
        if (rt < ct || (rt === ct && keys[right] < keys[child])) {
          child = right;
          ct = rt;
        }
      }
      if (time < ct || (time === ct && key < keys[child])) break;
      times[i] = ct;
      keys[i] = keys[child];
      slots[i] = slots[child];
      i = child;
    }
    times[i] = time;
    keys[i] = key;
    slots[i] = slot;
    return top;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    this.times = growFloat(this.times, capacity);
    this.keys = growFloat(this.keys, capacity);
    this.slots = growInt(this.slots, capacity);
    this.freeSlots = growInt(this.freeSlots, capacity);
    this.items.length = capacity;
  }
}

const PRIORITY_SCALE = 2 ** 48;

function growFloat(array: Float64Array, capacity: number): Float64Array {
  const grown = new Float64Array(capacity);
  grown.set(array);
  return grown;
}

function growInt(array: Int32Array, capacity: number): Int32Array {
  const grown = new Int32Array(capacity);
  grown.set(array);
  return grown;
}
