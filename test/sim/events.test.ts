import { describe, expect, it } from 'vitest';
import { type Event, Simulation, SimulationError, URGENT } from '../../sim/index.ts';

describe('scheduling', () => {
  it('runs same-time events first in, first out', () => {
    const sim = new Simulation();
    const order: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      sim.process(
        (function* () {
          yield sim.timeout(1);
          order.push(name);
        })(),
        name,
      );
    }
    sim.run();
    expect(order).toEqual(['a', 'b', 'c']);
    expect(sim.now).toBe(1);
  });

  it('runs URGENT before NORMAL events at the same time', () => {
    const sim = new Simulation();
    const order: string[] = [];
    const normal = sim.event<string>();
    const urgent = sim.event<string>();
    normal.addCallback(() => order.push('normal'));
    urgent.addCallback(() => order.push('urgent'));
    normal.succeed('n');
    urgent.succeed('u', URGENT);
    sim.run();
    expect(order).toEqual(['urgent', 'normal']);
  });

  it('rejects negative delays', () => {
    expect(() => new Simulation().timeout(-1)).toThrow(RangeError);
  });
});

describe('failures travel as values', () => {
  it('throws a failed event into the process waiting for it', () => {
    const sim = new Simulation();
    const failing = sim.event<number>();
    let caught: unknown;
    sim.process(
      (function* () {
        try {
          yield failing;
        } catch (error) {
          caught = error;
        }
      })(),
    );
    sim.timeout(3).addCallback(() => failing.fail(new Error('disk gone')));
    sim.run();
    expect((caught as Error).message).toBe('disk gone');
  });

  it('stops the run on an unhandled failure, naming the process and the time', () => {
    const sim = new Simulation();
    sim.process(
      (function* () {
        yield sim.timeout(2.5);
        throw new Error('boom');
      })(),
      'etcd-m1',
    );
    try {
      sim.run();
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SimulationError);
      const e = error as SimulationError;
      expect(e.processName).toBe('etcd-m1');
      expect(e.timeSeconds).toBe(2.5);
      expect(e.message).toBe("process 'etcd-m1' failed at t=2.5s: boom");
    }
  });

  it('lets a failure pass when it was defused', () => {
    const sim = new Simulation();
    const event: Event<never> = sim.event<never>();
    event.fail(new Error('ignored'));
    event.defuse();
    expect(sim.run().outcome).toBe('empty');
  });

  it('propagates a process failure to the process that joins it', () => {
    const sim = new Simulation();
    const child = sim.process(
      (function* () {
        yield sim.timeout(1);
        throw new Error('child failed');
      })(),
      'child',
    );
    let seen = '';
    sim.process(
      (function* () {
        try {
          yield child;
        } catch (error) {
          seen = (error as Error).message;
        }
      })(),
      'parent',
    );
    sim.run();
    expect(seen).toBe('child failed');
  });
});
