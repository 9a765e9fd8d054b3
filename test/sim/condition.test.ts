import { describe, expect, it } from 'vitest';
import { type FirstOf, Simulation } from '../../sim/index.ts';

describe('conditions', () => {
  it('allOf waits for every event and gives their values in order', () => {
    const sim = new Simulation();
    let values: unknown[] = [];
    sim.process(
      (function* () {
        values = yield sim.allOf([sim.timeout(3, 'c'), sim.timeout(1, 'a'), sim.timeout(2, 'b')]);
      })(),
    );
    sim.run();
    expect(values).toEqual(['c', 'a', 'b']);
    expect(sim.now).toBe(3);
  });

  it('anyOf gives the first event processed', () => {
    const sim = new Simulation();
    let first: FirstOf | undefined;
    let at = -1;
    const slow = sim.timeout(30, 'timeout');
    const fast = sim.timeout(7, 'leader elected');
    sim.process(
      (function* () {
        first = yield sim.anyOf([slow, fast]);
        at = sim.now;
      })(),
    );
    sim.run();
    expect(first?.index).toBe(1);
    expect(first?.event).toBe(fast);
    expect(first?.value).toBe('leader elected');
    expect(at).toBe(7);
  });

  it('fails as soon as one event fails', () => {
    const sim = new Simulation();
    const bad = sim.event();
    let message = '';
    sim.process(
      (function* () {
        try {
          yield sim.allOf([sim.timeout(10), bad]);
        } catch (error) {
          message = `${(error as Error).message} at ${sim.now}`;
        }
      })(),
    );
    sim.timeout(2).addCallback(() => bad.fail(new Error('no quorum')));
    sim.run();
    expect(message).toBe('no quorum at 2');
  });

  it('an empty allOf succeeds at once', () => {
    const sim = new Simulation();
    let got: unknown;
    sim.process(
      (function* () {
        got = yield sim.allOf([]);
      })(),
    );
    sim.run();
    expect(got).toEqual([]);
    expect(sim.now).toBe(0);
  });
});
