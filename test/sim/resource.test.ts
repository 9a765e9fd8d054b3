import { describe, expect, it } from 'vitest';
import { Resource, Simulation } from '../../sim/index.ts';

// SimPy, simpy/resources/base.py and resource.py: Request is a Put event, Release a Get event.
// Put.__init__ queues the request and calls _trigger_put at once (granted now if a unit is free);
// Get.__init__ (a release) removes the user at once (Resource._do_get) and adds _trigger_put to
// the release event's callbacks, so the queue head is tried when the release is processed, one event
// later at the same time. PriorityResource's queue is sorted by (priority, time, not preempt).
describe('Resource', () => {
  it('grants capacity units in arrival order and queues the rest', () => {
    const sim = new Simulation();
    const slots = new Resource(sim, 2);
    const log: string[] = [];
    for (const [name, holdSeconds] of [
      ['a', 5],
      ['b', 3],
      ['c', 1],
      ['d', 1],
    ] as const) {
      sim.process(
        (function* () {
          const request = slots.request();
          yield request;
          log.push(`${name}+${sim.now}`);
          yield sim.timeout(holdSeconds);
          slots.release(request);
        })(),
      );
    }
    sim.run();
    // a and b start at 0; c gets b's unit at 3, d gets c's at 4.
    expect(log).toEqual(['a+0', 'b+0', 'c+3', 'd+4']);
  });

  it('release() removes the user at once; the waiter is granted when the release event is processed', () => {
    const sim = new Simulation();
    const lock = new Resource(sim, 1);
    const first = lock.request();
    const second = lock.request();
    sim.run();
    const released = lock.release(first);
    expect(released.triggered).toBe(true);
    expect(lock.users).toEqual([]);
    expect(lock.queue).toEqual([second]);
    expect(second.triggered).toBe(false);
    sim.step(); // processes `released`: _trigger_put grants the head of the queue
    expect(lock.users).toEqual([second]);
    expect(second.triggered).toBe(true);
    expect(second.usageSinceSeconds).toBe(0);
  });

  it('a higher-priority request arriving at the same instant as a release gets the resource (release is processed one event later)', () => {
    // t=5: the holder's timeout (created at 0) comes before the high process's second timeout
    // (created at 4). The holder releases: the release event is scheduled behind that timeout. The
    // high request (priority 1) sorts ahead of low (priority 5) and takes the free unit at once; the
    // release event, processed next, finds no free unit. high holds 2 s, so low starts at 7.
    // (Granting inside release() would have given the unit to low at 5 and to high at 6.)
    const sim = new Simulation();
    const lock = new Resource(sim, 1);
    const log: string[] = [];
    sim.process(
      (function* () {
        const request = lock.request();
        yield request;
        yield sim.timeout(5);
        lock.release(request);
      })(),
      'holder',
    );
    const user = (name: string, priority: number, holdSeconds: number) =>
      function* () {
        const request = lock.request(priority);
        yield request;
        log.push(`${name}+${sim.now}`);
        yield sim.timeout(holdSeconds);
        lock.release(request);
      };
    sim.process(
      (function* () {
        yield sim.timeout(1);
        yield* user('low', 5, 1)();
      })(),
      'low',
    );
    sim.process(
      (function* () {
        yield sim.timeout(4);
        yield sim.timeout(1);
        yield* user('high', 1, 2)();
      })(),
      'high',
    );
    sim.run();
    expect(log).toEqual(['high+5', 'low+7']);
  });

  it('a request of equal priority made between a release and its processing waits behind the queue head', () => {
    // _trigger_put always tries the head: the newcomer's own request grants the older waiter (at 5)
    // and the newcomer waits for the waiter's release at 6.
    const sim = new Simulation();
    const lock = new Resource(sim, 1);
    const holder = lock.request();
    const log: string[] = [];
    const waiter = lock.request();
    waiter.addCallback(() => log.push(`waiter+${sim.now}`));
    sim.timeout(5).addCallback(() => {
      lock.release(holder);
      const newcomer = lock.request();
      newcomer.addCallback(() => log.push(`newcomer+${sim.now}`));
      expect(waiter.triggered).toBe(true);
    });
    sim.timeout(6).addCallback(() => lock.release(waiter));
    sim.run();
    expect(log).toEqual(['waiter+5', 'newcomer+6']);
  });

  it('serves lower priority numbers first among waiters', () => {
    const sim = new Simulation();
    const lock = new Resource(sim, 1);
    const order: string[] = [];
    const holder = lock.request();
    for (const [name, priority] of [
      ['low', 5],
      ['high', 1],
      ['mid', 3],
    ] as const) {
      lock.request(priority).addCallback(() => order.push(name));
    }
    sim.timeout(1).addCallback(() => lock.release(holder));
    sim.run();
    expect(order).toEqual(['high']);
    expect(lock.queue.map((r) => r.priority)).toEqual([3, 5]);
  });

  it('a cancelled request leaves the queue (SimPy Put.cancel); a granted one is released', () => {
    const sim = new Simulation();
    const lock = new Resource(sim, 1);
    const holder = lock.request();
    const waiting = lock.request();
    waiting.cancel();
    expect(lock.queue.length).toBe(0);
    holder.cancel();
    expect(lock.users.length).toBe(0);
  });
});
