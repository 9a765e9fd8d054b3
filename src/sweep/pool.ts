/**
 * Running grid points: on piscina worker threads (one per core by default), or in this thread with
 * `threads: 1`. Results come back in index order whatever order the workers finish in.
 */
import { availableParallelism } from 'node:os';
import { batchSize, WORKER_RESOURCE_LIMITS, workerFile } from '../simulate/worker-file.ts';
import type { PointResult } from './point-metrics.ts';
import { preparedFor, runPoint } from './point-run.ts';
import type { SweepSpec } from './spec.ts';

export interface PoolOptions {
  /** Worker threads; 1 runs every point in this thread. Default: the cores Node sees. */
  readonly threads?: number;
  /** Called as each point finishes (in completion order). */
  readonly onPoint?: (result: PointResult, done: number, total: number) => void;
}

/** The sweep worker: bundled when it can be (src/simulate/worker-file.ts), else the tsx entry. */
export const SWEEP_WORKER = {
  bundled: 'pool-worker.js',
  source: "export { runPointBatch as default } from './src/sweep/point-run.ts';",
  tsxEntry: new URL('./pool-worker.js', import.meta.url).href,
};

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
  const [{ Piscina }, filename] = await Promise.all([
    import('piscina'), // loaded when a pool is needed, not at CLI start
    workerFile(SWEEP_WORKER),
  ]);
  const pool = new Piscina<{ spec: SweepSpec; indices: readonly number[] }, PointResult[]>({
    filename,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 1000,
    resourceLimits: WORKER_RESOURCE_LIMITS,
  });
  // Consecutive points per task: one message (and one spec to clone) per batch rather than per point.
  const size = batchSize(indices.length, threads);
  const batches: number[][] = [];
  for (let i = 0; i < indices.length; i += size) batches.push(indices.slice(i, i + size));
  try {
    const results = await Promise.all(
      batches.map((batch) => pool.run({ spec, indices: batch }).then((points) => points.map(finished))),
    );
    return results.flat().sort((a, b) => a.index - b.index);
  } finally {
    await pool.destroy();
  }
}
