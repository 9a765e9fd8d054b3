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

  it('stops before events at `until` and leaves the clock there', () => {
    const sim = new Simulation();
    let fired = false;
    sim.timeout(10).addCallback(() => {
      fired = true;
    });
    const result = sim.run({ until: 10 });
    expect(fired).toBe(false);
    expect(result.outcome).toBe('until');
    expect(sim.now).toBe(10);
    sim.run({ until: 10.5 });
    expect(fired).toBe(true);
  });

  it('fails a run that exceeds maxEvents', () => {
    const sim = new Simulation();
    sim.process(
      (function* () {
        for (;;) yield sim.timeout(0);
      })(),
      'spinner',
    );
    expect(() => sim.run({ maxEvents: 1000 })).toThrow(/more than 1000 events/);
  });

  it('stop() ends run() after the current event', () => {
    const sim = new Simulation();
    sim.timeout(1).addCallback(() => sim.stop());
    sim.timeout(2);
    const result = sim.run();
    expect(result.outcome).toBe('stopped');
    expect(sim.now).toBe(1);
    expect(sim.pending).toBe(1);
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
