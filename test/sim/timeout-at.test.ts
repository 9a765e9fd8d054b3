/**
 * `timeoutAt(t)`: an event at an absolute time. A periodic process that skips idle periods must land
 * exactly where its repeated `timeout(period)` steps would have: ten steps of 0.1 s from 0 reach
 * 0.9999999999999999 (0.1 is not a binary fraction), not 1.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../sim/index.ts';

describe('timeoutAt', () => {
  it('succeeds at the very time given, the sum of ten 0.1 s steps (0.9999999999999999), not 1', () => {
    let stepped = 0;
    for (let i = 0; i < 10; i++) stepped += 0.1;
    expect(stepped).toBe(0.9999999999999999);
    const sim = new Simulation();
    const seen: number[] = [];
    sim.process(
      (function* () {
        yield sim.timeoutAt(stepped);
        seen.push(sim.now);
      })(),
    );
    sim.run();
    expect(seen).toEqual([0.9999999999999999]);
  });

  it('keeps FIFO order with timeouts due at the same instant (scheduled first, processed first)', () => {
    const sim = new Simulation();
    const order: string[] = [];
    sim.timeout(2).addCallback(() => order.push('timeout'));
    sim.timeoutAt(2).addCallback(() => order.push('at'));
    sim.run();
    expect(order).toEqual(['timeout', 'at']);
  });

  it('refuses a time before now, NaN and Infinity with one line', () => {
    const sim = new Simulation({ startSeconds: 5 });
    expect(() => sim.timeoutAt(4)).toThrow('timeoutAt: expected a finite time not before now 5, found 4');
    expect(() => sim.timeoutAt(Number.NaN)).toThrow(/found NaN/);
    expect(() => sim.timeoutAt(Number.POSITIVE_INFINITY)).toThrow(/found Infinity/);
  });
});
