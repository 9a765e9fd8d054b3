import { describe, expect, it } from 'vitest';
import { Container, Resource, Simulation, Store } from '../../sim/index.ts';

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
      lock.request(priority).addCallback((event) => order.push(name) && void event);
    }
    sim.timeout(1).addCallback(() => lock.release(holder));
    sim.run();
    expect(order).toEqual(['high']);
    expect(lock.queue.map((r) => r.priority)).toEqual([3, 5]);
  });

  it('a cancelled request leaves the queue', () => {
    const sim = new Simulation();
    const lock = new Resource(sim, 1);
    lock.request();
    const waiting = lock.request();
    waiting.cancel();
    expect(lock.queue.length).toBe(0);
  });
});

describe('Store', () => {
  it('get waits for a put; filtered gets take the first match', () => {
    const sim = new Simulation();
    const store = new Store<{ node: string }>(sim);
    const got: string[] = [];
    sim.process(
      (function* () {
        const item = yield store.get((x: { node: string }) => x.node === 'harv42');
        got.push(`${item.node}@${sim.now}`);
      })(),
    );
    sim.process(
      (function* () {
        yield sim.timeout(1);
        yield store.put({ node: 'harv41' });
        yield sim.timeout(1);
        yield store.put({ node: 'harv42' });
      })(),
    );
    sim.run();
    expect(got).toEqual(['harv42@2']);
    expect(store.items).toEqual([{ node: 'harv41' }]);
  });

  it('put waits while the store is full', () => {
    const sim = new Simulation();
    const store = new Store<number>(sim, 1);
    let putAt = -1;
    store.put(1);
    sim.process(
      (function* () {
        yield store.put(2);
        putAt = sim.now;
      })(),
    );
    sim.timeout(4).addCallback(() => store.get());
    sim.run();
    expect(putAt).toBe(4);
    expect(store.items).toEqual([2]);
  });
});

describe('Container', () => {
  it('get waits until the level suffices; put waits for room', () => {
    const sim = new Simulation();
    const tank = new Container(sim, 10, 2);
    const log: string[] = [];
    sim.process(
      (function* () {
        yield tank.get(5);
        log.push(`got 5 at ${sim.now}`);
      })(),
    );
    sim.process(
      (function* () {
        yield sim.timeout(3);
        yield tank.put(4);
        log.push(`put 4 at ${sim.now}`);
      })(),
    );
    sim.run();
    expect(log).toEqual(['put 4 at 3', 'got 5 at 3']);
    expect(tank.level).toBe(1);
  });
});
