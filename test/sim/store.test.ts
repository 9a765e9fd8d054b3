import { describe, expect, it } from 'vitest';
import { Simulation, Store } from '../../sim/index.ts';

// SimPy, simpy/resources/store.py and base.py: a put or get is tried at once; the other queue is
// tried when that event is processed. Store._do_put returns None (one put per pass);
// FilterStore._do_get returns True (every waiting get is tried, each taking its first match).
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

  it('a waiting get is served when the put is processed, not inside put()', () => {
    const sim = new Simulation();
    const store = new Store<string>(sim);
    const get = store.get();
    store.put('harv41');
    expect(store.items).toEqual(['harv41']);
    expect(get.triggered).toBe(false);
    sim.step(); // processes the put
    expect(get.value).toBe('harv41');
    expect(store.items).toEqual([]);
  });

  it('a waiting put is served when the get that made room is processed', () => {
    const sim = new Simulation();
    const store = new Store<number>(sim, 1);
    store.put(1);
    const put = store.put(2);
    sim.run();
    const get = store.get();
    expect([get.value, put.triggered, store.items.length]).toEqual([1, false, 0]);
    sim.step(); // processes the get
    expect([put.triggered, store.items]).toEqual([true, [2]]);
  });

  it('every waiting get is tried when one put is processed (FilterStore._do_get returns True)', () => {
    // Two gets wait; two puts land at once (both items go in at put()). Processing the first put
    // serves both gets, in arrival order.
    const sim = new Simulation();
    const store = new Store<string>(sim);
    const first = store.get();
    const second = store.get();
    store.put('a');
    store.put('b');
    sim.step(); // processes the first put
    expect([first.value, second.value]).toEqual(['a', 'b']);
  });
});
