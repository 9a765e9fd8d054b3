/** What reaches a running migration from outside, and the inbox it waits on. */
import type { Event, Simulation } from '../../../sim/index.ts';

/** What an operator, KubeVirt's monitor or a fault asks of a running migration. */
export type MigrationCommand =
  | { readonly kind: 'cancel' }
  | { readonly kind: 'abort'; readonly reason: string }
  | { readonly kind: 'start-post-copy' }
  | { readonly kind: 'pause-guest' }
  | { readonly kind: 'node-failure'; readonly node: 'source' | 'target' };

/** Commands not yet acted on, in arrival order, and the event that wakes the run when one arrives. */
export class CommandInbox {
  private readonly queue: MigrationCommand[] = [];
  private wake: Event<undefined> | null = null;

  constructor(private readonly sim: Simulation) {}

  push(command: MigrationCommand): void {
    this.queue.push(command);
    if (this.wake !== null && !this.wake.triggered) this.wake.succeed(undefined);
  }

  /** Waits for `event` or a command; returns the command, or null when the event came. */
  *waitOr(event: Event<any>): Generator<Event<any>, MigrationCommand | null, any> {
    if (this.queue.length > 0) return this.queue.shift() as MigrationCommand;
    yield this.sim.anyOf([event, this.armWake()]);
    return this.queue.shift() ?? null;
  }

  private armWake(): Event<undefined> {
    if (this.wake === null || this.wake.triggered) this.wake = this.sim.event<undefined>();
    if (this.queue.length > 0 && !this.wake.triggered) this.wake.succeed(undefined);
    return this.wake;
  }
}
