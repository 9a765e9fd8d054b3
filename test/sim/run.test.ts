import { describe, expect, it } from 'vitest';
import { LimitExceeded, Simulation, URGENT } from '../../sim/index.ts';

// What docs/kernel.md states of sim.run({ until, maxEvents }) and its outcome, rule by rule.
describe('run({ until, maxEvents })', () => {
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

  it('an URGENT event due at `until` is not processed either: only the time is compared', () => {
    const sim = new Simulation();
    const urgent = sim.event<string>();
    urgent.succeed('u', URGENT);
    const result = sim.run({ until: 0 });
    expect(result).toEqual({ outcome: 'until', events: 0, nowSeconds: 0 });
    expect(urgent.processed).toBe(false);
  });

  it('a finite `until` is the outcome even when no event is left before it, and the clock moves there', () => {
    const sim = new Simulation();
    sim.timeout(2);
    expect(sim.run({ until: 10 })).toEqual({ outcome: 'until', events: 1, nowSeconds: 10 });
  });

  it('with no `until` the outcome is `empty` and the clock stays at the last event', () => {
    const sim = new Simulation();
    sim.timeout(2);
    expect(sim.run()).toEqual({ outcome: 'empty', events: 1, nowSeconds: 2 });
  });

  it('processes exactly maxEvents events, and throws LimitExceeded only when one more is due', () => {
    const three = new Simulation();
    for (const delaySeconds of [1, 2, 3]) three.timeout(delaySeconds);
    expect(three.run({ maxEvents: 3 })).toEqual({ outcome: 'empty', events: 3, nowSeconds: 3 });

    const four = new Simulation();
    for (const delaySeconds of [1, 2, 3, 4]) four.timeout(delaySeconds);
    expect(() => four.run({ maxEvents: 3 })).toThrow(LimitExceeded);
    expect(four.now).toBe(3);
    expect(four.eventCount).toBe(3);
    expect(four.pending).toBe(1);
  });

  it('an event due at or after `until` does not count against maxEvents', () => {
    const sim = new Simulation();
    for (const delaySeconds of [1, 2, 3]) sim.timeout(delaySeconds);
    expect(sim.run({ until: 3, maxEvents: 2 })).toEqual({ outcome: 'until', events: 2, nowSeconds: 3 });
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
    const result = sim.run({ until: 5 });
    expect(result.outcome).toBe('stopped');
    expect(sim.now).toBe(1);
    expect(sim.pending).toBe(1);
  });

  it('takes `until` as a number of seconds only, not an event (unlike SimPy run(until=event))', () => {
    const sim = new Simulation();
    const event = sim.timeout(1);
    expect(() => sim.run({ until: event as unknown as number })).toThrow(TypeError);
    expect(() => sim.run({ until: Number.NaN })).toThrow(TypeError);
    sim.run({ until: 2 });
    expect(() => sim.run({ until: 1 })).toThrow(RangeError);
  });
});
