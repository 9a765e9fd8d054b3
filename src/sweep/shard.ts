/**
 * Shards: shard i of n holds the grid points whose index is i modulo n (round robin, so that slow
 * corners of the grid spread over the shards). A shard's result is a pure function of (spec, i, n):
 * no clock, no host, no order of completion in it.
 */

import { pointCount } from './grid.ts';
import type { PointResult } from './point-metrics.ts';
import { type SweepSpec, specDigest } from './spec.ts';

export const SHARD_FORMAT = 'harvester-sim.sweep-shard/v1';

export interface ShardResult {
  readonly format: typeof SHARD_FORMAT;
  /** specDigest(spec): shards merge only with shards of the same sweep. */
  readonly digest: string;
  readonly spec: SweepSpec;
  readonly shard: { readonly index: number; readonly count: number };
  /** This shard's points, by index. */
  readonly points: readonly PointResult[];
}

/** `--shard 2/4`: 0-based index, count ≥ 1. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m === null ? Number.NaN : Number(m[1]);
  const count = m === null ? Number.NaN : Number(m[2]);
  if (!(count >= 1 && index >= 0 && index < count))
    throw new Error(`--shard: expected "i/n" with 0 ≤ i < n (e.g. 0/4), found "${text}"`);
  return { index, count };
}

/** The grid point indices of shard `index` of `count`, ascending. */
export function shardPoints(spec: SweepSpec, index: number, count: number): number[] {
  const points: number[] = [];
  for (let p = index; p < pointCount(spec.axes); p += count) points.push(p);
  return points;
}

/** Runs a shard with `runPoints` (in this thread or on a pool) and packs the result. */
export async function runShard(
  spec: SweepSpec,
  index: number,
  count: number,
  runPoints: (indices: readonly number[]) => Promise<PointResult[]>,
): Promise<ShardResult> {
  const results = await runPoints(shardPoints(spec, index, count));
  return {
    format: SHARD_FORMAT,
    digest: specDigest(spec),
    spec,
    shard: { index, count },
    points: [...results].sort((a, b) => a.index - b.index),
  };
}
