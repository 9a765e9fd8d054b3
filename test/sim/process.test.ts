import { describe, expect, it } from 'vitest';
import { Interrupt, type ProcessGenerator, Simulation } from '../../sim/index.ts';

describe('processes', () => {
  it('joins another process and receives its return value', () => {
    const sim = new Simulation();
    const worker = sim.process(
      (function* (): ProcessGenerator<number> {
        yield sim.timeout(4);
        return 42;
      })(),
    );
    let got = 0;
    let at = 0;
    sim.process(
      (function* () {
        got = yield worker;
        at = sim.now;
      })(),
    );
    sim.run();
    expect(got).toBe(42);
    expect(at).toBe(4);
  });

  it('receives the value of a timeout', () => {
    const sim = new Simulation();
    let got = '';
    sim.process(
      (function* () {
        got = yield sim.timeout(1, 'tick');
      })(),
    );
    sim.run();
    expect(got).toBe('tick');
  });

  it('continues at once when yielding an already processed event', () => {
    const sim = new Simulation();
    const done = sim.timeout(1, 'x');
    const times: number[] = [];
    sim.process(
      (function* () {
        yield sim.timeout(2);
        const v = yield done;
        times.push(sim.now);
        expect(v).toBe('x');
      })(),
    );
    sim.run();
    expect(times).toEqual([2]);
  });

  it('throws Interrupt(cause) into a waiting process, which may carry on', () => {
    const sim = new Simulation();
    const log: string[] = [];
    const sleeper = sim.process(
      (function* () {
        try {
          yield sim.timeout(100);
          log.push('woke');
        } catch (error) {
          if (!(error instanceof Interrupt)) throw error;
          log.push(`interrupted at ${sim.now} by ${String(error.cause)}`);
        }
        yield sim.timeout(1);
        log.push(`done at ${sim.now}`);
      })(),
      'sleeper',
    );
    sim.process(
      (function* () {
        yield sim.timeout(5);
        sleeper.interrupt('power loss');
      })(),
    );
    sim.run();
    expect(log).toEqual(['interrupted at 5 by power loss', 'done at 6']);
    // The abandoned 100 s timeout still fires, with nobody waiting for it.
    expect(sim.now).toBe(100);
  });

  it('does not interrupt a finished process', () => {
    const sim = new Simulation();
    const quick = sim.process(
      (function* () {
        yield sim.timeout(1);
      })(),
      'quick',
    );
    sim.run();
    expect(() => quick.interrupt()).toThrow(/has terminated/);
  });

  it('fails a process that yields something other than an event', () => {
    const sim = new Simulation();
    sim.process(
      (function* (): Generator<any, void, any> {
        yield 'five';
      })(),
      'bad',
    );
    expect(() => sim.run()).toThrow(/process 'bad' failed at t=0s: process 'bad' yielded five, not an event/);
  });
});

describe('yield seconds (sleep)', () => {
  it('sleeps like a timeout and receives undefined', () => {
    const sim = new Simulation();
    const log: string[] = [];
    sim.process(
      (function* () {
        const v = yield 2.5;
        log.push(`woke at ${sim.now} with ${String(v)}`);
        yield 0;
        yield 1;
        log.push(`again at ${sim.now}`);
      })(),
    );
    sim.run();
    expect(log).toEqual(['woke at 2.5 with undefined', 'again at 3.5']);
  });

  it('keeps FIFO order with timeouts due at the same time', () => {
    const sim = new Simulation();
    const order: string[] = [];
    sim.process(
      (function* () {
        yield sim.timeout(1);
        order.push('timeout');
      })(),
    );
    sim.process(
      (function* () {
        yield 1;
        order.push('sleep');
      })(),
    );
    sim.run();
    expect(order).toEqual(['timeout', 'sleep']);
  });

  it('an interrupted sleep does not wake the process early later', () => {
    const sim = new Simulation();
    const wakes: number[] = [];
    const sleeper = sim.process(
      (function* () {
        try {
          yield 10;
        } catch (error) {
          if (!(error instanceof Interrupt)) throw error;
        }
        yield 20; // from t=1: due at 21, although the abandoned sleep is still due at 10
        wakes.push(sim.now);
      })(),
    );
    sim.timeout(1).addCallback(() => sleeper.interrupt());
    sim.run();
    expect(wakes).toEqual([21]);
  });

  it('fails the process on a negative sleep', () => {
    const sim = new Simulation();
    sim.process(
      (function* () {
        yield -1;
      })(),
      'bad-sleep',
    );
    expect(() => sim.run()).toThrow(/slept a negative or invalid time: -1/);
  });
});
