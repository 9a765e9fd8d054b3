/**
 * Merging shard results into the sweep's result. One shard of one (`--shard 0/1`, what a plain
 * `sweep` runs) merges to the same result as n shards of the same spec: the points are the same pure
 * function of the spec, and ranking reads only the points.
 */
import { pointCount } from './grid.ts';
import type { PointResult } from './point-metrics.ts';
import { DEFAULT_OBJECTIVE, type Objective, paretoFront, rank } from './ranking.ts';
import { SHARD_FORMAT, type ShardResult } from './shard.ts';
import type { SweepSpec } from './spec.ts';

export const SWEEP_FORMAT = 'harvester-sim.sweep/v1';

export interface SweepResult {
  readonly format: typeof SWEEP_FORMAT;
  readonly digest: string;
  readonly spec: SweepSpec;
  readonly objective: readonly Objective[];
  /** Every grid point, by index. */
  readonly points: readonly PointResult[];
  /** Grid indices, best first. */
  readonly ranking: readonly number[];
  /** Grid indices on the Pareto front (makespan × p99 downtime × failures). */
  readonly pareto: readonly number[];
  /** The best-ranked point's index. */
  readonly recommended: number;
}

export class MergeError extends Error {
  constructor(message: string) {
    super(`sweep merge: ${message}`);
    this.name = 'MergeError';
  }
}

/** Checks that `data` (e.g. a parsed shard file) is a shard result; names `source` if not. */
export function asShard(data: unknown, source: string): ShardResult {
  const shard = data as Partial<ShardResult> | null;
  if (shard === null || typeof shard !== 'object' || shard.format !== SHARD_FORMAT)
    throw new MergeError(
      `${source}: expected a shard file (format "${SHARD_FORMAT}", from sweep --shard i/n)`,
    );
  return shard as ShardResult;
}

export function mergeShards(
  shards: readonly ShardResult[],
  objective: readonly Objective[] = DEFAULT_OBJECTIVE,
): SweepResult {
  if (shards.length === 0) throw new MergeError('expected at least one shard file');
  const [first] = shards;
  const count = first.shard.count;
  const seen = new Set<number>();
  for (const s of shards) {
    if (s.digest !== first.digest)
      throw new MergeError(
        `shard ${s.shard.index}/${s.shard.count} is of sweep ${s.digest}, not ${first.digest}`,
      );
    if (s.shard.count !== count)
      throw new MergeError(
        `shard ${s.shard.index}/${s.shard.count} is one of ${s.shard.count}, not ${count}`,
      );
    if (seen.has(s.shard.index)) throw new MergeError(`shard ${s.shard.index}/${count} is given twice`);
    seen.add(s.shard.index);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0)
    throw new MergeError(`missing shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')}`);
  const points: PointResult[] = shards.flatMap((s) => s.points).sort((a, b) => a.index - b.index);
  const expected = pointCount(first.spec.axes);
  if (points.length !== expected || points.some((p, i) => p.index !== i))
    throw new MergeError(`expected grid points 0 … ${expected - 1} once each, found ${points.length} points`);
  const ranking = rank(points, objective);
  return {
    format: SWEEP_FORMAT,
    digest: first.digest,
    spec: first.spec,
    objective,
    points,
    ranking,
    pareto: paretoFront(points),
    recommended: ranking[0],
  };
}
