import { Event } from '../event.ts';
import type { Simulation } from '../simulation.ts';

/** A claim on one unit of a Resource; yield it to wait until granted. */
export class Request extends Event<Request> {
  constructor(
    sim: Simulation,
    readonly resource: Resource,
    readonly priority: number,
    readonly sequence: number,
  ) {
    super(sim);
  }

  /** Leaves the queue if still waiting, or releases the unit if granted. */
  cancel(): void {
    this.resource.release(this);
  }
}

/**
 * `capacity` identical units (SimPy's Resource / PriorityResource): requests are granted in order
 * of priority (lower first), then arrival.
 */
export class Resource {
  readonly users: Request[] = [];
  readonly queue: Request[] = [];
  private sequence = 0;

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
    const request = new Request(this.sim, this, priority, this.sequence++);
    let i = this.queue.length;
    while (i > 0 && comesBefore(request, this.queue[i - 1])) i--;
    this.queue.splice(i, 0, request);
    this.grant();
    return request;
  }

  release(request: Request): void {
    const user = this.users.indexOf(request);
    if (user >= 0) this.users.splice(user, 1);
    else {
      const waiting = this.queue.indexOf(request);
      if (waiting >= 0) this.queue.splice(waiting, 1);
    }
    this.grant();
  }

  private grant(): void {
    while (this.users.length < this.capacity && this.queue.length > 0) {
      const next = this.queue.shift() as Request;
      this.users.push(next);
      next.succeed(next);
    }
  }
}

function comesBefore(a: Request, b: Request): boolean {
  return a.priority < b.priority || (a.priority === b.priority && a.sequence < b.sequence);
}
