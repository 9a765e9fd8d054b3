import { Event } from '../event.ts';
import type { Process } from '../process.ts';
import type { Simulation } from '../simulation.ts';

/** A claim on one unit of a Resource; yield it to wait until granted. */
export class Request extends Event<Request> {
  /** The process that asked (SimPy's `Put.proc`): the one a PreemptiveResource interrupts. */
  readonly process: Process<any> | null;
  /** When the request was made (SimPy's `PriorityRequest.time`). */
  readonly timeSeconds: number;
  /** When the unit was granted (SimPy's `usage_since`); undefined while waiting. */
  usageSinceSeconds: number | undefined = undefined;

  constructor(
    sim: Simulation,
    readonly resource: Resource,
    /** Lower numbers are served first. */
    readonly priority: number,
    /** Whether the request may take a unit from a worse user (PreemptiveResource only). */
    readonly preempt: boolean,
    readonly sequence: number,
  ) {
    super(sim);
    this.process = sim.activeProcess;
    this.timeSeconds = sim.now;
  }

  /**
   * Leaves the queue if still waiting (SimPy's `Put.cancel`), or releases the unit if granted (what
   * leaving SimPy's `with resource.request()` block does).
   */
  cancel(): void {
    const queue = this.resource.queue;
    if (this.triggered) this.resource.release(this);
    else if (queue.includes(this)) queue.splice(queue.indexOf(this), 1);
  }
}

/**
 * `capacity` identical units (SimPy's Resource / PriorityResource, `simpy/resources/resource.py`):
 * requests wait in order of (priority, request time, preempt first, arrival); lower priority
 * numbers first. A request is granted at once if a unit is free. A released unit goes to the head of
 * the queue when the release event is processed (one event later at the same time), not inside
 * release(): a better request made in between takes it (SimPy's `Release` is a Get event whose
 * callback `_trigger_put` runs when it is processed, `simpy/resources/base.py`). SimPy's granted
 * Request also tries the release queue when processed (`_trigger_get`); releases never wait, so
 * there is nothing for it to try and it is left out.
 */
export class Resource {
  readonly users: Request[] = [];
  readonly queue: Request[] = [];
  protected sequence = 0;
  private readonly grantCallback = () => this.grant();

  constructor(
    readonly sim: Simulation,
    readonly capacity = 1,
  ) {
    if (!(capacity >= 1)) throw new RangeError(`resource capacity must be at least 1, got ${capacity}`);
  }

  get count(): number {
    return this.users.length;
  }

  request(priority = 0): Request {
    return this.enqueue(new Request(this.sim, this, priority, true, this.sequence++));
  }

  /**
   * Gives the unit back (or leaves the queue, for a request still waiting). The returned event has
   * already succeeded; the unit goes to the next waiter when it is processed.
   */
  release(request: Request): Event<undefined> {
    const user = this.users.indexOf(request);
    if (user >= 0) this.users.splice(user, 1);
    else {
      const waiting = this.queue.indexOf(request);
      if (waiting >= 0) this.queue.splice(waiting, 1);
    }
    const released = new Event<undefined>(this.sim);
    released._cb = this.grantCallback;
    return released.succeed(undefined);
  }

  protected enqueue(request: Request): Request {
    let i = this.queue.length;
    while (i > 0 && keyBefore(request, this.queue[i - 1], true)) i--;
    this.queue.splice(i, 0, request);
    this.grant();
    return request;
  }

  /** SimPy's `_trigger_put`: one try, for the head of the queue. */
  private grant(): void {
    const head = this.queue[0];
    if (head === undefined) return;
    this.tryGrant(head);
    if (head.triggered) this.queue.shift();
  }

  /** SimPy's `Resource._do_put`. */
  protected tryGrant(request: Request): void {
    if (this.users.length < this.capacity) {
      this.users.push(request);
      request.usageSinceSeconds = this.sim.now;
      request.succeed(request);
    }
  }
}

/**
 * SimPy's `PriorityRequest.key` order, (priority, time, not preempt): does `a` come before `b`?
 * With `arrival`, equal keys are ordered by arrival (the stable sort of SimPy's SortedQueue).
 */
export function keyBefore(a: Request, b: Request, arrival: boolean): boolean {
  if (a.priority !== b.priority) return a.priority < b.priority;
  if (a.timeSeconds !== b.timeSeconds) return a.timeSeconds < b.timeSeconds;
  if (a.preempt !== b.preempt) return a.preempt;
  return arrival && a.sequence < b.sequence;
}
