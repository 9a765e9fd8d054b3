/**
 * Running grid points: on piscina worker threads (one per core by default), or in this thread with
 * `threads: 1`. Results come back in index order whatever order the workers finish in.
 */
import { availableParallelism } from 'node:os';
import type { PointResult } from './point-metrics.ts';
import { preparedFor, runPoint } from './point-run.ts';
import type { SweepSpec } from './spec.ts';

export interface PoolOptions {
  /** Worker threads; 1 runs every point in this thread. Default: the cores Node sees. */
  readonly threads?: number;
  /** Called as each point finishes (in completion order). */
  readonly onPoint?: (result: PointResult, done: number, total: number) => void;
}

export function defaultThreads(): number {
  return availableParallelism();
}

export async function runPoints(
  spec: SweepSpec,
  indices: readonly number[],
  options: PoolOptions = {},
): Promise<PointResult[]> {
  const threads = Math.max(1, Math.min(options.threads ?? defaultThreads(), indices.length));
  let done = 0;
  const finished = (result: PointResult) => {
    done++;
    options.onPoint?.(result, done, indices.length);
    return result;
  };
  if (threads === 1) {
    const prepared = preparedFor(spec);
    return indices.map((index) => finished(runPoint(prepared, index)));
  }
  const { Piscina } = await import('piscina'); // loaded when a pool is needed, not at CLI start
  const pool = new Piscina<{ spec: SweepSpec; index: number }, PointResult>({
    filename: new URL('./pool-worker.js', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 1000,
  });
  try {
    const results = await Promise.all(indices.map((index) => pool.run({ spec, index }).then(finished)));
    return results.sort((a, b) => a.index - b.index);
  } finally {
    await pool.destroy();
  }
}
