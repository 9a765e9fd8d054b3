import { describe, Interrupt } from './errors.ts';
import { DEFUSED, Event, FAILED, NORMAL, PROCESSED, URGENT } from './event.ts';
import type { Simulation } from './simulation.ts';

/**
 * What a process body is: a generator that yields events and receives their values. Yielding a
 * number `d` sleeps `d` seconds, like `yield sim.timeout(d)` but with no event for anyone else to
 * hold, so the kernel reuses one per process (the hot path of periodic processes).
 */
export type ProcessGenerator<R = unknown> = Generator<Event<any> | number, R, any>;

/**
 * A process runs a generator: each yielded event suspends it until the event is processed, then the
 * event's value is sent in (or its error thrown in). The process is itself an event that succeeds
 * with the generator's return value, so other processes can `yield` it to join.
 */
export class Process<R = unknown> extends Event<R> {
  /** The event this process waits for, or null while running or once finished. */
  private target: Event<any> | null = null;
  private readonly resumeCallback: (event: Event<any>) => void;
  /** The event behind `yield seconds`, reused while nothing else can see it. */
  private sleep: Event<undefined> | null = null;

  constructor(
    sim: Simulation,
    private readonly generator: ProcessGenerator<R>,
    readonly name: string,
  ) {
    super(sim);
    this.resumeCallback = this.resume.bind(this);
    const start = new Event<undefined>(sim);
    start._value = undefined;
    start._cb = this.resumeCallback;
    sim._schedule(start, 0, URGENT);
    this.target = start;
  }

  get isAlive(): boolean {
    return !this.triggered;
  }

  /** Throws an Interrupt(cause) into the process at the current time, before NORMAL events. */
  interrupt(cause?: unknown): void {
    if (!this.isAlive) throw new Error(`process '${this.name}' has terminated and cannot be interrupted`);
    if (this.sim.activeProcess === this) throw new Error(`process '${this.name}' cannot interrupt itself`);
    const interruption = new Event<never>(this.sim);
    interruption._flags = FAILED | DEFUSED;
    interruption._value = new Interrupt(cause);
    interruption._cb = (event) => {
      if (!this.isAlive) return;
      const target = this.target;
      if (target !== null) {
        if (target._proc === this) target._proc = null;
        else target.removeCallback(this.resumeCallback);
        // An interrupted sleep stays in the heap: the next sleep needs an event of its own.
        if (target === this.sleep) this.sleep = null;
      }
      this.resume(event);
    };
    this.sim._schedule(interruption, 0, URGENT);
  }

  /** A failed event to throw into the generator. */
  private failure(error: Error): Event<never> {
    const bad = new Event<never>(this.sim);
    bad._flags = FAILED;
    bad._value = error;
    return bad;
  }

  /** @internal Called by the kernel when the awaited event is processed. */
  resume(event: Event<any>): void {
    const sim = this.sim;
    sim.activeProcess = this;
    let current = event;
    for (;;) {
      let step: IteratorResult<Event<any> | number, R>;
      try {
        if ((current._flags & FAILED) === 0) {
          step = this.generator.next(current._value);
        } else {
          current._flags |= DEFUSED;
          step = this.generator.throw(current._value);
        }
      } catch (error) {
        this.target = null;
        this._flags |= FAILED;
        this._value = error;
        sim._schedule(this, 0, NORMAL);
        break;
      }
      if (step.done) {
        this.target = null;
        this._value = step.value;
        sim._schedule(this, 0, NORMAL);
        break;
      }
      const next = step.value;
      if (typeof next === 'number') {
        if (!(next >= 0) || (next > 0 && sim.now + next === sim.now)) {
          const what = next >= 0 ? 'a time too small to advance the clock' : 'a negative or invalid time';
          current = this.failure(
            new RangeError(`process '${this.name}' slept ${what}: ${next} s at t=${sim.now}s`),
          );
          continue;
        }
        let sleep = this.sleep;
        if (sleep === null) {
          sleep = new Event<undefined>(sim);
          sleep._value = undefined;
          this.sleep = sleep;
        } else {
          sleep._flags = 0;
        }
        sim._schedule(sleep, next, NORMAL);
        sleep._proc = this;
        this.target = sleep;
        break;
      }
      if (!(next instanceof Event) || next.sim !== sim) {
        current = this.failure(
          new TypeError(`process '${this.name}' yielded ${describe(next)}, not an event`),
        );
        continue;
      }
      if ((next._flags & PROCESSED) !== 0) {
        current = next;
        continue;
      }
      if (next._proc === null && next._cb === null) next._proc = this;
      else next.addCallback(this.resumeCallback);
      this.target = next;
      break;
    }
    // Resumes never nest: callbacks run one at a time from the event loop.
    sim.activeProcess = null;
  }
}
