import { describe, expect, it } from 'vitest';
import { Container, Simulation } from '../../sim/index.ts';

// SimPy, simpy/resources/container.py and base.py: a put or get is tried at once (_trigger_put /
// _trigger_get from Put/Get.__init__); the other queue is tried when that event is processed (the
// callbacks _trigger_get / _trigger_put). Container's _do_put / _do_get return True when served and
// None otherwise, which ends the pass: a head that does not fit holds up the waiters behind it.
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

  it('a waiting get is served when the put is processed, not inside put()', () => {
    const sim = new Simulation();
    const tank = new Container(sim, 10, 0);
    const get = tank.get(5);
    const put = tank.put(5);
    expect(put.triggered).toBe(true);
    expect(tank.level).toBe(5);
    expect(get.triggered).toBe(false);
    sim.step(); // processes `put`
    expect(get.triggered).toBe(true);
    expect(tank.level).toBe(0);
  });

  it('a get at the head that does not fit holds up smaller gets behind it', () => {
    // level 0: get(8) waits, then get(3) waits behind it. put(5): level 5, still < 8, so neither is
    // served; put(3): level 8, get(8) is served (level 0) and get(3) waits on.
    const sim = new Simulation();
    const tank = new Container(sim, 10, 0);
    const big = tank.get(8);
    const small = tank.get(3);
    tank.put(5);
    sim.run();
    expect([big.triggered, small.triggered, tank.level]).toEqual([false, false, 5]);
    tank.put(3);
    sim.run();
    expect([big.processed, small.triggered, tank.level]).toEqual([true, false, 0]);
  });

  it('a put waiting for room is served when the get is processed', () => {
    const sim = new Simulation();
    const tank = new Container(sim, 10, 8);
    const put = tank.put(4);
    expect(put.triggered).toBe(false);
    const get = tank.get(6);
    expect([get.triggered, tank.level, put.triggered]).toEqual([true, 2, false]);
    sim.step(); // processes `get`: room for 4 (2 + 4 <= 10)
    expect([put.triggered, tank.level]).toEqual([true, 6]);
  });
});
