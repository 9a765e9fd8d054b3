/**
 * Runs seed tasks on worker threads (piscina), one thread per core, and returns their outcomes in
 * task order. `threads: 0` runs them on this thread (tests, a handful of runs).
 */
import { availableParallelism } from 'node:os';
import { batchSize, workerFile } from '../simulate/worker-file.ts';
import type { RunInputs } from './run-inputs.ts';
import type { SeedOutcome } from './seed-outcome.ts';
import type { SeedBatch, SeedTask } from './worker.ts';

export interface RunSeedsOptions {
  /** Worker threads; default one per core; 0 runs on the calling thread. */
  readonly threads?: number;
  /** Called after each finished run (on worker threads, after each finished batch of runs). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The compare worker: bundled when it can be (worker-file.ts), else the tsx entry. */
export const COMPARE_WORKER = {
  bundled: 'worker-entry.mjs',
  source: "export { runSeedBatch as default } from './src/compare/worker.ts';",
  tsxEntry: new URL('./worker-entry.mjs', import.meta.url).href,
};

/**
 * V8 limits of compare's threads: a young generation of 48 MB (16 MB semi-spaces, V8's default on
 * 64-bit), not the 192 MB sweep's threads get (worker-file.ts WORKER_RESOURCE_LIMITS). A seed-witness
 * run holds a small world and allocates about 5 MB; with the larger nursery the 200-seed compare took
 * more CPU (system time for the larger spaces included), docs/performance.md "Compare, second pass".
 * It changes when memory is collected, never what a run computes.
 */
export const COMPARE_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 48 } as const;

/** Worker threads that answer seed batches. */
export interface SeedPool {
  readonly threads: number;
  run(batch: SeedBatch): Promise<SeedOutcome[]>;
  /** Stops the threads; never throws. */
  destroy(): Promise<void>;
}

/**
 * `threads` worker threads, started: once this resolves, they load their module on their own threads
 * while the caller goes on (compare parses its inputs meanwhile, synchronously). Creating them waits
 * for nothing but piscina's import and the worker file (worker-file.ts); they are never left running.
 */
export async function startSeedPool(threads: number): Promise<SeedPool> {
  const [{ Piscina }, filename] = await Promise.all([
    import('piscina'), // loaded when a pool is needed, not at CLI start
    workerFile(COMPARE_WORKER),
  ]);
  const pool = new Piscina<SeedBatch, SeedOutcome[]>({
    filename,
    minThreads: threads,
    maxThreads: threads,
    resourceLimits: COMPARE_RESOURCE_LIMITS,
  });
  return {
    threads,
    run: (batch) => pool.run(batch),
    destroy: async () => {
      try {
        await pool.destroy();
      } catch {
        // already stopped
      }
    },
  };
}

/** The worker threads runSeeds uses for `tasks` (0: none, run on the calling thread). */
export function threadsFor(tasks: number, threads: number | undefined): number {
  return Math.max(0, Math.min(threads ?? availableParallelism(), tasks));
}

/**
 * Runs the tasks and returns their outcomes in task order: on `pool` if given (it stays open), else
 * on a pool of its own, or on this thread when `threads` is 0.
 */
export async function runSeeds(
  tasks: readonly SeedTask[],
  options: RunSeedsOptions & { readonly pool?: SeedPool } = {},
): Promise<SeedOutcome[]> {
  const threads = options.pool?.threads ?? threadsFor(tasks.length, options.threads);
  let done = 0;
  const finished = (runs: number) => {
    done += runs;
    options.onProgress?.(done, tasks.length);
  };
  if (threads <= 0) {
    const { runSeed } = await import('./worker.ts'); // the models, loaded only to run here
    const out: SeedOutcome[] = [];
    for (const task of tasks) {
      out.push(runSeed(task));
      finished(1);
      // Let a progress bar redraw between runs.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return out;
  }
  const pool = options.pool ?? (await startSeedPool(threads));
  const size = batchSize(tasks.length, threads);
  const out: SeedOutcome[] = new Array(tasks.length);
  try {
    await Promise.all(
      seedBatches(tasks, size).map(async ({ batch, indices }) => {
        const outcomes = await pool.run(batch);
        indices.forEach((index, k) => {
          out[index] = outcomes[k];
        });
        finished(indices.length);
      }),
    );
    return out;
  } finally {
    if (options.pool === undefined) await pool.destroy();
  }
}

/**
 * The tasks as batches of up to `size` seeds of one plan (the same `inputs` object), each with the
 * task indices it answers, in the order of their first task (seed-major order stays seed-major).
 */
export function seedBatches(
  tasks: readonly SeedTask[],
  size: number,
): { batch: SeedBatch; indices: number[] }[] {
  const batches: {
    batch: { inputs: RunInputs; planPath: string; seeds: (number | string)[] };
    indices: number[];
  }[] = [];
  const open = new Map<RunInputs, (typeof batches)[number]>();
  tasks.forEach((task, index) => {
    let current = open.get(task.inputs);
    if (current === undefined || current.indices.length >= size) {
      current = { batch: { inputs: task.inputs, planPath: task.planPath, seeds: [] }, indices: [] };
      open.set(task.inputs, current);
      batches.push(current);
    }
    current.batch.seeds.push(task.seed);
    current.indices.push(index);
  });
  return batches;
}
