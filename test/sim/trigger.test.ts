import { describe, expect, it } from 'vitest';
import { Simulation, SimulationError } from '../../sim/index.ts';

// SimPy, simpy/events.py, Event.trigger(event): "Trigger the event with the state and value of the
// provided event"; it copies _ok and _value and schedules the event (NORMAL, no delay), so it can be
// used as a callback to chain events.
describe('Event.trigger (chaining)', () => {
  it("adopts another event's value and is processed after it, at the same time", () => {
    const sim = new Simulation();
    const source = sim.timeout(2, 'volume attached');
    const target = sim.event<string>();
    const order: string[] = [];
    source.addCallback((event) => {
      order.push('source');
      target.trigger(event);
    });
    let got = '';
    sim.process(
      (function* () {
        got = yield target;
        order.push(`target at ${sim.now}`);
      })(),
    );
    sim.run();
    expect(got).toBe('volume attached');
    expect(order).toEqual(['source', 'target at 2']);
  });

  it("adopts a failure: the target's waiter receives the error", () => {
    const sim = new Simulation();
    const source = sim.event<string>();
    const target = sim.event<string>();
    source.addCallback((event) => {
      event.defuse();
      target.trigger(event);
    });
    let caught = '';
    sim.process(
      (function* () {
        try {
          yield target;
        } catch (error) {
          caught = `${(error as Error).message} at ${sim.now}`;
        }
      })(),
    );
    sim.timeout(1).addCallback(() => source.fail(new Error('attach failed')));
    sim.run();
    expect(caught).toBe('attach failed at 1');
  });

  it('does not defuse the source: a failure passed on still stops the run unless handled there', () => {
    const sim = new Simulation();
    const source = sim.event<string>();
    const target = sim.event<string>();
    target.addCallback((event) => event.defuse());
    source.addCallback((event) => target.trigger(event));
    source.fail(new Error('attach failed'));
    expect(() => sim.run()).toThrow(SimulationError);
  });

  it('refuses a target already triggered and a source still pending', () => {
    const sim = new Simulation();
    const done = sim.timeout(1, 'x');
    expect(() => sim.event().succeed('y').trigger(done)).toThrow(/already triggered/);
    expect(() => sim.event().trigger(sim.event())).toThrow(/pending/);
  });
});
