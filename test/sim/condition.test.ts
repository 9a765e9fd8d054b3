import { describe, expect, it } from 'vitest';
import { type ConditionValue, Simulation } from '../../sim/index.ts';

// SimPy, simpy/events.py: Condition._check triggers the condition when an event's processing meets it;
// Condition._build_value, its first callback, runs when the condition is itself processed and fills
// the ConditionValue from _populate_value: every event of the condition whose callbacks are None
// (processed), in the condition's order, nested conditions replaced by their own events.
describe('conditions', () => {
  it('allOf waits for every event; its value names them all, in the order given', () => {
    const sim = new Simulation();
    const c = sim.timeout(3, 'c');
    const a = sim.timeout(1, 'a');
    const b = sim.timeout(2, 'b');
    let value: ConditionValue | undefined;
    sim.process(
      (function* () {
        value = yield sim.allOf([c, a, b]);
      })(),
    );
    sim.run();
    expect(value?.events).toEqual([c, a, b]);
    expect(value?.values()).toEqual(['c', 'a', 'b']);
    expect(value?.get(a)).toBe('a');
    // c, due last at 3 s, is the event whose processing met the condition.
    expect(value?.index).toBe(0);
    expect(sim.now).toBe(3);
  });

  it('anyOf triggers on the first event processed and names it', () => {
    const sim = new Simulation();
    let first: ConditionValue | undefined;
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
    expect(first?.events).toEqual([fast]);
    expect(first?.get(fast)).toBe('leader elected');
    expect(first?.has(slow)).toBe(false);
    expect(at).toBe(7);
  });

  it('anyOf names every event processed before the condition is: two timeouts due at the same time are both in', () => {
    // Heap at t=1: a, b (scheduled at t=0). a's processing triggers the condition, scheduled after b;
    // b is processed next, then the condition builds its value: a and b, in the order given.
    const sim = new Simulation();
    const c = sim.timeout(2, 'c');
    const a = sim.timeout(1, 'a');
    const b = sim.timeout(1, 'b');
    let value: ConditionValue | undefined;
    sim.process(
      (function* () {
        value = yield sim.anyOf([c, a, b]);
      })(),
    );
    sim.run({ until: 1.5 });
    expect(value?.events).toEqual([a, b]);
    expect(value?.values()).toEqual(['a', 'b']);
    expect(value?.index).toBe(1);
    expect(value?.has(c)).toBe(false);
  });

  it('leaves out an event triggered but not yet processed when the condition is processed', () => {
    // a's callbacks in order: the condition's check (condition scheduled), then b.succeed (b scheduled
    // after it). The condition is processed before b, so b is not in its value although due at 1 s too.
    const sim = new Simulation();
    const a = sim.timeout(1, 'a');
    const b = sim.event<string>();
    const condition = sim.anyOf([a, b]);
    a.addCallback(() => b.succeed('b'));
    let value: ConditionValue | undefined;
    condition.addCallback((event) => {
      value = event.value as ConditionValue;
    });
    sim.run();
    expect(value?.events).toEqual([a]);
    expect(b.processed).toBe(true);
  });

  it('a nested condition is replaced by its processed events (SimPy _populate_value)', () => {
    const sim = new Simulation();
    const a = sim.timeout(1, 'a');
    const b = sim.timeout(2, 'b');
    const c = sim.timeout(3, 'c');
    const inner = sim.allOf([a, b]);
    let value: ConditionValue | undefined;
    sim.process(
      (function* () {
        value = yield sim.anyOf([inner, c]);
      })(),
    );
    sim.run();
    // inner is processed at 2 s and meets the outer condition, processed at 2 s: a and b, not c.
    expect(value?.events).toEqual([a, b]);
    expect(value?.event).toBe(inner);
    expect(value?.has(inner)).toBe(false);
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

  it('an empty allOf succeeds at once with an empty value', () => {
    const sim = new Simulation();
    let got: ConditionValue | undefined;
    sim.process(
      (function* () {
        got = yield sim.allOf([]);
      })(),
    );
    sim.run();
    expect(got?.events).toEqual([]);
    expect(got?.index).toBe(-1);
    expect(sim.now).toBe(0);
  });
});
