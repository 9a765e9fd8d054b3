import { Condition, type ConditionValue } from './condition.ts';
import { describe, EmptySchedule, LimitExceeded, SimulationError } from './errors.ts';
import { DEFUSED, Event, FAILED, NORMAL, PROCESSED } from './event.ts';
import { EventHeap } from './heap.ts';
import { Process, type ProcessGenerator } from './process.ts';
import { DEFAULT_SEED, RandomStreams } from './random.ts';
import { Tracer } from './trace.ts';

export interface SimulationOptions {
  /** Root seed of the named random streams; DEFAULT_SEED when absent. */
  seed?: number | string;
  /** Simulated start time in seconds. */
  startSeconds?: number;
}

export interface RunOptions {
  /**
   * Simulated time (seconds) to run to: no event due at or after it is processed, whatever its
   * priority, and the clock ends there. A number only: not an event, unlike SimPy's run(until).
   */
  until?: number;
  /**
   * Most events this call may process (default 100,000,000): it throws LimitExceeded when one more
   * is due before `until`.
   */
  maxEvents?: number;
}

/**
 * Why run() returned: `until` (a finite `until` was given and the clock is now there, whether events
 * remain after it or none were left), `empty` (no `until` and no event left), `stopped` (sim.stop()
 * was called; the clock is at the event that called it and the rest stay scheduled).
 */
export type RunOutcome = 'until' | 'empty' | 'stopped';

export interface RunResult {
  outcome: RunOutcome;
  events: number;
  nowSeconds: number;
}

const DEFAULT_MAX_EVENTS = 100_000_000;

/**
 * The discrete-event kernel: a clock in seconds, an event heap ordered by (time, priority,
 * sequence), named random streams and a tracer. It knows nothing of clusters.
 */
export class Simulation {
  private nowSeconds: number;
  private readonly heap = new EventHeap<Event<any>>();
  private stopRequested = false;
  /** Events processed since construction. */
  eventCount = 0;
  /** The process whose generator is running, if any. */
  activeProcess: Process<any> | null = null;
  readonly rng: RandomStreams;
  readonly trace: Tracer;

  constructor(options: SimulationOptions = {}) {
    this.nowSeconds = options.startSeconds ?? 0;
    this.rng = new RandomStreams(options.seed ?? DEFAULT_SEED);
    this.trace = new Tracer(() => this.nowSeconds);
  }

  get now(): number {
    return this.nowSeconds;
  }

  /** Number of events waiting in the heap. */
  get pending(): number {
    return this.heap.size;
  }

  /** A new pending event, triggered later by succeed() or fail(). */
  event<T = unknown>(): Event<T> {
    return new Event<T>(this);
  }

  /** An event that succeeds with `value` after `delaySeconds`. */
  timeout<T = undefined>(delaySeconds: number, value?: T): Event<T> {
    this.checkDelay(delaySeconds);
    const event = new Event<T>(this);
    event._value = value;
    this.heap.push(this.nowSeconds + delaySeconds, NORMAL, event);
    return event;
  }

  /**
   * An event that succeeds at the absolute time `timeSeconds` (not before now). A periodic process
   * that skips idle periods lands exactly where its repeated `timeout(period)` steps would have.
   */
  timeoutAt<T = undefined>(timeSeconds: number, value?: T): Event<T> {
    if (!(timeSeconds >= this.nowSeconds) || timeSeconds === Number.POSITIVE_INFINITY)
      throw new RangeError(
        `timeoutAt: expected a finite time not before now ${this.nowSeconds}, found ${timeSeconds}`,
      );
    const event = new Event<T>(this);
    event._value = value;
    this.heap.push(timeSeconds, NORMAL, event);
    return event;
  }

  /** Starts a generator as a process, at the current time before NORMAL events. */
  process<R>(generator: ProcessGenerator<R>, name = 'process'): Process<R> {
    return new Process<R>(this, generator, name);
  }

  /** Succeeds once every event has succeeded; fails with the first failure. */
  allOf(events: readonly Event<any>[]): Event<ConditionValue> {
    return new Condition(this, events, 'all');
  }

  /** Succeeds once one event has succeeded; fails with the first failure. */
  anyOf(events: readonly Event<any>[]): Event<ConditionValue> {
    return new Condition(this, events, 'any');
  }

  /** Asks run() to return after the event being processed. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Time of the next event, Infinity when none. */
  peek(): number {
    return this.heap.peekTime();
  }

  /** Processes one event. */
  step(): void {
    if (this.heap.size === 0) throw new EmptySchedule();
    this.nowSeconds = this.heap.peekTime();
    this.processEvent(this.heap.pop());
  }

  run(options: RunOptions = {}): RunResult {
    const until = options.until ?? Number.POSITIVE_INFINITY;
    if (typeof until !== 'number' || Number.isNaN(until)) {
      const given: unknown = options.until;
      const what = given instanceof Event ? 'an event' : describe(given);
      throw new TypeError(`until must be a number of seconds, got ${what}`);
    }
    if (until < this.nowSeconds) throw new RangeError(`until ${until} is before now ${this.nowSeconds}`);
    const maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS;
    const heap = this.heap;
    let events = 0;
    this.stopRequested = false;
    let outcome: RunOutcome = 'empty';
    while (heap.size > 0) {
      if (heap.peekTime() >= until) {
        outcome = 'until';
        break;
      }
      if (events >= maxEvents) {
        this.eventCount += events;
        throw new LimitExceeded(`more than ${maxEvents} events by t=${this.nowSeconds}s`);
      }
      const event = heap.pop();
      this.nowSeconds = heap.poppedTime;
      events++;
      // processEvent, inlined on the hot path.
      event._flags |= PROCESSED;
      const waiter = event._proc;
      if (waiter !== null) {
        event._proc = null;
        waiter.resume(event);
      }
      const first = event._cb;
      if (first !== null) {
        const rest = event._cbs;
        event._cb = null;
        if (rest !== null) {
          event._cbs = null;
          first(event);
          for (let i = 0; i < rest.length; i++) rest[i](event);
        } else first(event);
      }
      if ((event._flags & (FAILED | DEFUSED)) === FAILED) {
        this.eventCount += events;
        this.failRun(event);
      }
      if (this.stopRequested) {
        outcome = 'stopped';
        break;
      }
    }
    if (outcome !== 'stopped' && until !== Number.POSITIVE_INFINITY) {
      this.nowSeconds = until;
      outcome = 'until';
    }
    this.eventCount += events;
    return { outcome, events, nowSeconds: this.nowSeconds };
  }

  /**
   * @internal Refuses a delay that is negative, NaN, or positive but too small to move the clock
   * (`now + delay === now`, below half an ulp of `now`): such a wait would repeat forever at one
   * instant. The message names the running process and the time.
   */
  checkDelay(delaySeconds: number): void {
    const invalid = !(delaySeconds >= 0);
    if (!invalid && (delaySeconds === 0 || this.nowSeconds + delaySeconds !== this.nowSeconds)) return;
    const who = this.activeProcess === null ? '' : `process '${this.activeProcess.name}' `;
    const what = invalid
      ? `a negative or invalid delay: ${delaySeconds}`
      : `a delay of ${delaySeconds} s, too small to advance the clock`;
    throw new RangeError(`${who}asked for ${what} at t=${this.nowSeconds}s`);
  }

  /** @internal Puts a triggered event in the heap. */
  _schedule(event: Event<any>, delaySeconds: number, priority: number): void {
    this.heap.push(this.nowSeconds + delaySeconds, priority, event);
  }

  /** @internal Puts a triggered event in the heap at an absolute time (not before now). */
  _scheduleAt(event: Event<any>, timeSeconds: number, priority: number): void {
    if (timeSeconds < this.nowSeconds)
      throw new RangeError(`time ${timeSeconds} is before now ${this.nowSeconds}`);
    this.heap.push(timeSeconds, priority, event);
  }

  private processEvent(event: Event<any>): void {
    this.eventCount++;
    event._flags |= PROCESSED;
    const waiter = event._proc;
    if (waiter !== null) {
      event._proc = null;
      waiter.resume(event);
    }
    const first = event._cb;
    const rest = event._cbs;
    event._cb = null;
    event._cbs = null;
    if (first !== null) first(event);
    if (rest !== null) for (let i = 0; i < rest.length; i++) rest[i](event);
    if ((event._flags & (FAILED | DEFUSED)) === FAILED) this.failRun(event);
  }

  private failRun(event: Event<any>): never {
    {
      const name = event instanceof Process ? event.name : undefined;
      const who = name === undefined ? 'an event' : `process '${name}'`;
      throw new SimulationError(
        `${who} failed at t=${this.nowSeconds}s: ${describe(event._value)}`,
        this.nowSeconds,
        name,
        event._value,
      );
    }
  }
}
