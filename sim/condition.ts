import { Event } from './event.ts';
import type { Simulation } from './simulation.ts';

/**
 * The value of allOf / anyOf (SimPy's ConditionValue, `simpy/events.py`): every event of the
 * condition already processed when the condition itself is processed, in the order the condition
 * lists them. That is all of them for allOf, and for anyOf the first one plus any processed between
 * it and the condition (two timeouts due at the same time are both in). A nested condition is not
 * listed itself: its processed events stand in its place (SimPy's `Condition._populate_value`).
 */
export class ConditionValue {
  readonly events: Event<any>[] = [];

  constructor(
    /** Index, in the list given, of the event whose processing met the condition; -1 when empty. */
    readonly index: number,
    /** That event (a nested condition stays itself here); null for an empty condition. */
    readonly event: Event<any> | null,
  ) {}

  has(event: Event<any>): boolean {
    return this.events.includes(event);
  }

  /** The value of one of the events listed; throws for an event that is not. */
  get<T>(event: Event<T>): T {
    if (!this.has(event)) throw new Error('event not in the condition value');
    return event._value as T;
  }

  /** The values of the events listed, in their order. */
  values(): unknown[] {
    return this.events.map((event) => event._value);
  }
}

/**
 * A condition over other events (SimPy's AllOf/AnyOf). It triggers when the processing of one of its
 * events meets it, and builds its value when it is itself processed, before any waiter sees it. It
 * fails as soon as one of its events fails (the failure is then handled by the condition's own
 * waiters).
 */
export class Condition extends Event<ConditionValue> {
  private remaining: number;
  private readonly check: (event: Event<any>) => void;

  constructor(
    sim: Simulation,
    private readonly events: readonly Event<any>[],
    private readonly mode: 'all' | 'any',
  ) {
    super(sim);
    for (const event of events) {
      if (event.sim !== sim) throw new Error('condition over events of another simulation');
    }
    this.remaining = events.length;
    this.check = (event) => this.onEvent(event);
    if (events.length === 0) {
      this.succeed(new ConditionValue(-1, null));
      return;
    }
    // The first callback, so the value is complete before any process waiting here resumes.
    this._cb = () => {
      if (this.ok) this.populate(this._value as ConditionValue);
    };
    for (const event of events) {
      if (event.processed) this.onEvent(event);
      else event.addCallback(this.check);
      if (this.triggered) break;
    }
  }

  private onEvent(event: Event<any>): void {
    if (this.triggered) return;
    this.remaining--;
    if (!event.ok) {
      event.defuse();
      this.detach();
      this.fail(event._value);
    } else if (this.mode === 'any' || this.remaining === 0) {
      this.detach();
      this.succeed(new ConditionValue(this.events.indexOf(event), event));
    }
  }

  private populate(value: ConditionValue): void {
    for (const event of this.events) {
      if (event instanceof Condition) event.populate(value);
      else if (event.processed) value.events.push(event);
    }
  }

  private detach(): void {
    for (const event of this.events) if (!event.processed) event.removeCallback(this.check);
  }
}
