import type { Simulation } from './simulation.ts';

/** Runs before NORMAL events at the same time: process start, interrupts. */
export const URGENT = 0;
/** Timeouts and succeed()/fail() of ordinary events. */
export const NORMAL = 1;

export const PENDING: unique symbol = Symbol('pending');

/** Event._flags bits. */
export const FAILED = 1;
export const DEFUSED = 2;
export const PROCESSED = 4;

export type Callback = (event: Event<any>) => void;

/** A process as a waiter (see Event._proc). */
export interface Waiter {
  resume(event: Event<any>): void;
}

/**
 * Everything the kernel schedules is an Event (SimPy's model): a timeout, a process, a condition, a
 * resource request. An event is pending, then triggered (it has a value or an error and sits in the
 * heap), then processed (its callbacks have run). A failed event that no waiter handles stops the run.
 */
export class Event<T = unknown> {
  /** The value, the error of a failed event, or PENDING. */
  _value: T | unknown;
  /** FAILED, DEFUSED (a waiter took responsibility for the failure) and PROCESSED bits. */
  _flags: number;
  /**
   * The process waiting for this event when it was the first waiter: most events have exactly one,
   * and calling `resume` on a Process (one class) keeps the hot call site monomorphic.
   */
  _proc: Waiter | null;
  /** First callback kept apart from the rest. */
  _cb: Callback | null;
  _cbs: Callback[] | null;
  readonly sim: Simulation;

  constructor(sim: Simulation) {
    // Assigned in the constructor rather than as class fields: the hot path allocates one per timeout.
    this.sim = sim;
    this._value = PENDING;
    this._flags = 0;
    this._proc = null;
    this._cb = null;
    this._cbs = null;
  }

  get triggered(): boolean {
    return this._value !== PENDING;
  }

  get processed(): boolean {
    return (this._flags & PROCESSED) !== 0;
  }

  /** True when the event succeeded (only meaningful once triggered). */
  get ok(): boolean {
    return (this._flags & FAILED) === 0;
  }

  get value(): T {
    if (this._value === PENDING) throw new Error('value of a pending event');
    return this._value as T;
  }

  succeed(value?: T, priority: number = NORMAL): this {
    if (this._value !== PENDING) throw new Error('event already triggered');
    this._value = value;
    this.sim._schedule(this, 0, priority);
    return this;
  }

  fail(error: unknown, priority: number = NORMAL): this {
    if (this._value !== PENDING) throw new Error('event already triggered');
    this._flags |= FAILED;
    this._value = error;
    this.sim._schedule(this, 0, priority);
    return this;
  }

  /**
   * Takes the outcome of `source`, an event already triggered: its value, or its failure, and is
   * scheduled now at NORMAL priority (SimPy's `Event.trigger`, `simpy/events.py`). Chains events:
   * `source.addCallback((e) => target.trigger(e))`. A failure is passed on, not defused: `source`
   * still stops the run unless something else handles it.
   */
  trigger(source: Event<T>): this {
    if (this._value !== PENDING) throw new Error('event already triggered');
    if (source._value === PENDING) throw new Error('trigger from a pending event');
    this._flags |= source._flags & FAILED;
    this._value = source._value;
    this.sim._schedule(this, 0, NORMAL);
    return this;
  }

  /** Marks a failure as handled so it does not stop the run. */
  defuse(): void {
    this._flags |= DEFUSED;
  }

  addCallback(callback: Callback): void {
    if ((this._flags & PROCESSED) !== 0) throw new Error('callback added to a processed event');
    if (this._cb === null) this._cb = callback;
    else if (this._cbs === null) this._cbs = [callback];
    else this._cbs.push(callback);
  }

  removeCallback(callback: Callback): void {
    if (this._cb === callback) {
      this._cb = this._cbs !== null && this._cbs.length > 0 ? (this._cbs.shift() as Callback) : null;
      return;
    }
    if (this._cbs !== null) {
      const i = this._cbs.indexOf(callback);
      if (i >= 0) this._cbs.splice(i, 1);
    }
  }
}
