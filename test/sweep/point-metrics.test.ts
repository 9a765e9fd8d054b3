import { describe, expect, it } from 'vitest';
import type { Trace } from '../../src/index.ts';
import { percentile, throttledGuestSeconds } from '../../src/sweep/point-metrics.ts';

describe('sweep point metrics', () => {
  it('percentiles are nearest-rank: p50 of 1…10 is 5, p99 is 10', () => {
    const values = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 99)).toBe(10);
    expect(percentile([], 99)).toBe(0);
  });

  it('guest seconds throttled integrate each throttle step until the migration ends', () => {
    const record = (timeSeconds: number, kind: string, data: object) =>
      ({ timeSeconds, subsystem: 'kubevirt.migration', kind, data }) as unknown as Trace[number];
    // 20 % from 10 s to 30 s, 30 % from 30 s to 40 s: 0.2 × 20 + 0.3 × 10 = 7 s; m2 never throttled.
    const trace = [
      record(10, 'throttle', { migration: 'm1', percent: 20 }),
      record(30, 'throttle', { migration: 'm1', percent: 30 }),
      record(35, 'result', { migration: 'm2' }),
      record(40, 'result', { migration: 'm1' }),
    ];
    expect(throttledGuestSeconds(trace)).toBeCloseTo(7, 12);
  });
});
