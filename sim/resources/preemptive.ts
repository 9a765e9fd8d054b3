import type { Process } from '../process.ts';
import { keyBefore, Request, Resource } from './resource.ts';

/**
 * The cause of the Interrupt a preempted user's process receives (SimPy's `Preempted`,
 * `simpy/resources/resource.py`).
 */
export class Preempted {
  constructor(
    /** The process whose request took the unit; null for a request made outside a process. */
    readonly by: Process<any> | null,
    /** When the preempted user had been granted the unit. */
    readonly usageSinceSeconds: number | undefined,
    readonly resource: PreemptiveResource,
  ) {}
}

/**
 * A Resource whose users can be preempted (SimPy's PreemptiveResource): when no unit is free, a
 * request with `preempt` at the head of the queue takes the unit of the worst user, by SimPy's key
 * (priority, request time, not preempt), if its own key is strictly better; that user's process
 * receives an Interrupt whose cause is a Preempted. A preempted request is no longer a user; its
 * process need not release it (releasing it is harmless).
 */
export class PreemptiveResource extends Resource {
  override request(priority = 0, preempt = true): Request {
    return this.enqueue(new Request(this.sim, this, priority, preempt, this.sequence++));
  }

  /** SimPy's `PreemptiveResource._do_put`. */
  protected override tryGrant(request: Request): void {
    if (this.users.length >= this.capacity && request.preempt) {
      // The last user among those with the worst key (SimPy sorts the users and takes the last).
      let victim = this.users[0];
      for (const user of this.users) if (!keyBefore(user, victim, false)) victim = user;
      if (keyBefore(request, victim, false)) {
        if (victim.process === null) {
          throw new Error('cannot preempt a request made outside a process: no process to interrupt');
        }
        this.users.splice(this.users.indexOf(victim), 1);
        victim.process.interrupt(new Preempted(request.process, victim.usageSinceSeconds, this));
      }
    }
    super.tryGrant(request);
  }
}
