/**
 * Ranking grid points: `--objective` names metrics in priority order (each minimized, ties broken by
 * the next, then by grid index), and the Pareto front over makespan × p99 downtime × failures.
 */
import type { PointResult } from './point-metrics.ts';

export const OBJECTIVES = {
  failures: (p: PointResult) => p.failures,
  makespan: (p: PointResult) => p.makespanSeconds,
  'p99-downtime': (p: PointResult) => p.downtimeP99Ms,
  'p50-downtime': (p: PointResult) => p.downtimeP50Ms,
  'post-copy': (p: PointResult) => p.postCopy,
  bytes: (p: PointResult) => p.bytesMoved,
  throttled: (p: PointResult) => p.throttledGuestSeconds,
} as const;

export type Objective = keyof typeof OBJECTIVES;

/** Fewest failures first, then the shortest evacuation, then the smallest p99 downtime. */
export const DEFAULT_OBJECTIVE: readonly Objective[] = ['failures', 'makespan', 'p99-downtime'];

export function parseObjective(text: string): Objective[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const known = Object.keys(OBJECTIVES);
  for (const name of names)
    if (!known.includes(name))
      throw new Error(
        `--objective: expected names of ${known.join(', ')} separated by commas, found "${name}"`,
      );
  if (names.length === 0) throw new Error(`--objective: expected at least one of ${known.join(', ')}`);
  return names as Objective[];
}

/** Grid indices, best first. */
export function rank(points: readonly PointResult[], objective: readonly Objective[]): number[] {
  return [...points]
    .sort((a, b) => {
      for (const name of objective) {
        const d = OBJECTIVES[name](a) - OBJECTIVES[name](b);
        if (d !== 0) return d;
      }
      return a.index - b.index;
    })
    .map((p) => p.index);
}

const PARETO_AXES = [OBJECTIVES.makespan, OBJECTIVES['p99-downtime'], OBJECTIVES.failures];

/** `a` is no worse than `b` on every Pareto axis and better on one. */
export function dominates(a: PointResult, b: PointResult): boolean {
  let better = false;
  for (const axis of PARETO_AXES) {
    if (axis(a) > axis(b)) return false;
    if (axis(a) < axis(b)) better = true;
  }
  return better;
}

/** Grid indices of the points no other point dominates, ascending. */
export function paretoFront(points: readonly PointResult[]): number[] {
  return points.filter((p) => !points.some((q) => dominates(q, p))).map((p) => p.index);
}
