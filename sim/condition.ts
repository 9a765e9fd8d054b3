import { Event } from './event.ts';
import type { Simulation } from './simulation.ts';

/** The value of anyOf: the first event processed among those given. */
export interface FirstOf {
  index: number;
  event: Event<any>;
  value: unknown;
}

/**
 * A condition over other events (SimPy's AllOf/AnyOf). It fails as soon as one of its events fails
 * (the failure is then handled by the condition's own waiters).
 */
export class Condition<T> extends Event<T> {
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
      this.succeed((mode === 'all' ? [] : undefined) as T);
      return;
    }
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
      return;
    }
    if (this.mode === 'any') {
      const index = this.events.indexOf(event);
      this.detach();
      this.succeed({ index, event, value: event._value } as T);
    } else if (this.remaining === 0) {
      this.succeed(this.events.map((e) => e._value) as T);
    }
  }

  private detach(): void {
    for (const event of this.events) if (!event.processed) event.removeCallback(this.check);
  }
}
