import { describe, expect, it } from 'vitest';
import type { PointResult } from '../../src/sweep/point-metrics.ts';
import { dominates, paretoFront, parseObjective, rank } from '../../src/sweep/ranking.ts';

const point = (
  index: number,
  makespanSeconds: number,
  downtimeP99Ms: number,
  failures: number,
): PointResult => ({
  index,
  settings: {},
  runs: 1,
  makespanSeconds,
  makespanMaxSeconds: makespanSeconds,
  downtimeP50Ms: 0,
  downtimeP99Ms,
  migrations: 1,
  aborted: failures,
  postCopy: 0,
  failed: 0,
  notEvacuatedRuns: 0,
  bytesMoved: 0,
  throttledGuestSeconds: 0,
  failures,
});

// Hand-made: 0 is fast but loses a VM; 1 is slow with short downtime; 2 is dominated by 3 (slower and
// longer downtime, same failures); 3 trades makespan for downtime against 1.
const points = [point(0, 100, 300, 1), point(1, 400, 100, 0), point(2, 300, 250, 0), point(3, 200, 200, 0)];

describe('sweep ranking', () => {
  it('a point dominates another when no worse on makespan, p99 downtime and failures, and better on one', () => {
    expect(dominates(points[3], points[2])).toBe(true);
    expect(dominates(points[2], points[3])).toBe(false);
    expect(dominates(points[1], points[3])).toBe(false);
    expect(dominates(points[3], points[3])).toBe(false);
  });

  it('the Pareto front is every point no other dominates', () => {
    expect(paretoFront(points)).toEqual([0, 1, 3]);
  });

  it('ranks by the objectives in order: fewest failures, then makespan, then p99 downtime', () => {
    expect(rank(points, parseObjective('failures,makespan,p99-downtime'))).toEqual([3, 2, 1, 0]);
    expect(rank(points, parseObjective('p99-downtime'))).toEqual([1, 3, 2, 0]);
  });

  it('refuses an objective it does not know', () => {
    expect(() => parseObjective('failures,speed')).toThrow(/found "speed"/);
  });
});
