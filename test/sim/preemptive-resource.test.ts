import { describe, expect, it } from 'vitest';
import {
  Interrupt,
  Preempted,
  PreemptiveResource,
  type Process,
  type Request,
  Simulation,
} from '../../sim/index.ts';

// SimPy, simpy/resources/resource.py, PreemptiveResource._do_put: when every unit is taken and the
// request has preempt set, the user with the largest key (priority, time, not preempt), the last of
// them when several tie, is removed from the users and its process interrupted with
// Preempted(by=request's process, usage_since, resource), if that key is strictly larger than the
// request's. Then the request is granted as in Resource._do_put.
describe('PreemptiveResource', () => {
  /** A process that holds one unit for `holdSeconds` and logs what happens to it. */
  function user(
    sim: Simulation,
    machine: PreemptiveResource,
    log: string[],
    name: string,
    { startSeconds, priority, preempt = true, holdSeconds }: Hold,
  ): Process<Preempted | null> {
    return sim.process(
      (function* () {
        yield sim.timeout(startSeconds);
        const request: Request = machine.request(priority, preempt);
        yield request;
        log.push(`${name} granted at ${sim.now}`);
        try {
          yield sim.timeout(holdSeconds);
          log.push(`${name} done at ${sim.now}`);
          return null;
        } catch (error) {
          if (!(error instanceof Interrupt)) throw error;
          log.push(`${name} preempted at ${sim.now}`);
          return error.cause as Preempted;
        } finally {
          machine.release(request);
        }
      })(),
      name,
    );
  }

  interface Hold {
    startSeconds: number;
    priority: number;
    preempt?: boolean;
    holdSeconds: number;
  }

  it('a preempting request with a better priority interrupts the user; the cause is Preempted { by, usageSinceSeconds, resource }', () => {
    const sim = new Simulation();
    const machine = new PreemptiveResource(sim, 1);
    const log: string[] = [];
    const batch = user(sim, machine, log, 'batch', { startSeconds: 0, priority: 5, holdSeconds: 10 });
    const urgent = user(sim, machine, log, 'urgent', { startSeconds: 3, priority: 0, holdSeconds: 2 });
    sim.run();
    // The Interrupt is URGENT (SimPy's Interruption), so batch hears of it before urgent resumes.
    expect(log).toEqual([
      'batch granted at 0',
      'batch preempted at 3',
      'urgent granted at 3',
      'urgent done at 5',
    ]);
    const cause = batch.value as Preempted;
    expect(cause).toBeInstanceOf(Preempted);
    expect(cause.by).toBe(urgent);
    expect(cause.usageSinceSeconds).toBe(0);
    expect(cause.resource).toBe(machine);
  });

  it('a request without preempt waits even with a better priority', () => {
    const sim = new Simulation();
    const machine = new PreemptiveResource(sim, 1);
    const log: string[] = [];
    user(sim, machine, log, 'batch', { startSeconds: 0, priority: 5, holdSeconds: 10 });
    user(sim, machine, log, 'polite', { startSeconds: 3, priority: 0, preempt: false, holdSeconds: 2 });
    sim.run();
    expect(log).toEqual([
      'batch granted at 0',
      'batch done at 10',
      'polite granted at 10',
      'polite done at 12',
    ]);
  });

  it('an equal priority does not preempt: the user requested earlier, so its key is smaller', () => {
    // keys: user (5, 0, false), request (5, 3, false); SimPy preempts only if the user's key is larger.
    const sim = new Simulation();
    const machine = new PreemptiveResource(sim, 1);
    const log: string[] = [];
    user(sim, machine, log, 'first', { startSeconds: 0, priority: 5, holdSeconds: 10 });
    user(sim, machine, log, 'second', { startSeconds: 3, priority: 5, holdSeconds: 2 });
    sim.run();
    expect(log).toEqual([
      'first granted at 0',
      'first done at 10',
      'second granted at 10',
      'second done at 12',
    ]);
  });

  it('the user preempted is the one with the largest key: at equal priority, the later request', () => {
    // a (2, 0, false) and b (2, 1, false) hold both units; c (1, 2, false) preempts b, the larger key.
    const sim = new Simulation();
    const machine = new PreemptiveResource(sim, 2);
    const log: string[] = [];
    user(sim, machine, log, 'a', { startSeconds: 0, priority: 2, holdSeconds: 10 });
    user(sim, machine, log, 'b', { startSeconds: 1, priority: 2, holdSeconds: 10 });
    user(sim, machine, log, 'c', { startSeconds: 2, priority: 1, holdSeconds: 1 });
    sim.run();
    expect(log).toEqual([
      'a granted at 0',
      'b granted at 1',
      'b preempted at 2',
      'c granted at 2',
      'c done at 3',
      'a done at 10',
    ]);
  });

  it('queues by (priority, request time, preempt first), then arrival', () => {
    const sim = new Simulation();
    const machine = new PreemptiveResource(sim, 1);
    machine.request(-10);
    const polite = machine.request(1, false);
    const eager = machine.request(1, true);
    const best = machine.request(0, false);
    expect(machine.queue).toEqual([best, eager, polite]);
  });
});
