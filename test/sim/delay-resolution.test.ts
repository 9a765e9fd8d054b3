/**
 * The kernel refuses a positive delay that does not move the clock (`now + delay === now`) and NaN,
 * naming the process and the time (issue 11: a wait's remainder of 2.8e-14 s at t ≈ 350 s stopped
 * time and ran to the event limit).
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../sim/index.ts';

describe('delays the clock cannot resolve', () => {
  it('refuses timeout(2.8e-14) at t = 350 s: half an ulp of 350 is 2^-45 ≈ 2.8e-14', () => {
    const sim = new Simulation({ startSeconds: 350 });
    // ulp(350) = 2^(8 - 52) = 2^-44 ≈ 5.7e-14; a delay below half of it rounds away.
    expect(350 + 2 ** -46 === 350).toBe(true);
    sim.process(
      (function* () {
        yield sim.timeout(2 ** -46);
      })(),
      'waiter',
    );
    expect(() => sim.run()).toThrow(
      /process 'waiter' failed at t=350s: process 'waiter' asked for a delay of 1\.4210854715202004e-14 s, too small to advance the clock at t=350s/,
    );
  });

  it('refuses NaN with the process name and the time', () => {
    const sim = new Simulation();
    sim.process(
      (function* () {
        yield sim.timeout(1);
        yield sim.timeout(Number.NaN);
      })(),
      'trim',
    );
    expect(() => sim.run()).toThrow(/process 'trim' asked for a negative or invalid delay: NaN at t=1s/);
  });

  it('refuses a bare-number sleep too small to advance the clock', () => {
    const sim = new Simulation({ startSeconds: 1e6 });
    sim.process(
      (function* () {
        yield 1e-12;
      })(),
      'sleeper',
    );
    expect(() => sim.run()).toThrow(
      /process 'sleeper' slept a time too small to advance the clock: 1e-12 s at t=1000000s/,
    );
  });

  it('still takes a zero delay and the smallest delay that moves the clock', () => {
    const sim = new Simulation({ startSeconds: 350 });
    const times: number[] = [];
    sim.process(
      (function* () {
        yield sim.timeout(0);
        times.push(sim.now);
        yield sim.timeout(2 ** -44);
        times.push(sim.now);
      })(),
    );
    sim.run();
    expect(times).toEqual([350, 350 + 2 ** -44]);
  });
});
