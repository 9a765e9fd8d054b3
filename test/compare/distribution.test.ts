import { describe, expect, it } from 'vitest';
import { distribution, nearestRank } from '../../src/compare/distribution.ts';

describe('percentiles over seeds are nearest-rank (the ⌈q·n⌉-th smallest, a value some seed produced)', () => {
  const oneToTwenty = Array.from({ length: 20 }, (_, i) => 20 - i);

  it('p50 of 1..20 is the 10th value, p95 the 19th, max the 20th', () => {
    expect(distribution(oneToTwenty)).toMatchObject({ min: 1, p50: 10, p95: 19, max: 20, mean: 10.5 });
  });

  it('p95 of 200 values is the 190th', () => {
    const values = Array.from({ length: 200 }, (_, i) => i + 1);
    expect(nearestRank(values, 0.95)).toBe(190);
  });

  it('one value is every percentile', () => {
    expect(distribution([7])).toMatchObject({ min: 7, p50: 7, p95: 7, max: 7 });
  });
});
