/**
 * Runs seed tasks on worker threads (piscina), one thread per core, and returns their outcomes in
 * task order. `threads: 0` runs them on this thread (tests, a handful of runs).
 */
import { availableParallelism } from 'node:os';
import { WORKER_RESOURCE_LIMITS, workerFile } from '../simulate/worker-file.ts';
import type { SeedOutcome } from './seed-outcome.ts';
import { runSeed, type SeedBatch, type SeedTask } from './worker.ts';

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

/** At most this many seeds per task: enough to make a message per batch cheap, few enough to balance. */
const MAX_BATCH = 8;
/** Batches per thread at least, so that the threads finish close together. */
const BATCHES_PER_THREAD = 6;

export async function runSeeds(
  tasks: readonly SeedTask[],
  options: RunSeedsOptions = {},
): Promise<SeedOutcome[]> {
  const threads = Math.min(options.threads ?? availableParallelism(), tasks.length);
  let done = 0;
  const finished = (runs: number) => {
    done += runs;
    options.onProgress?.(done, tasks.length);
  };
  if (threads <= 0) {
    const out: SeedOutcome[] = [];
    for (const task of tasks) {
      out.push(runSeed(task));
      finished(1);
      // Let a progress bar redraw between runs.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return out;
  }
  const [{ Piscina }, filename] = await Promise.all([
    import('piscina'), // loaded when a pool is needed, not at CLI start
    workerFile(COMPARE_WORKER),
  ]);
  const pool = new Piscina<SeedBatch, SeedOutcome[]>({
    filename,
    minThreads: threads,
    maxThreads: threads,
    resourceLimits: WORKER_RESOURCE_LIMITS,
  });
  const batchSize = Math.max(
    1,
    Math.min(MAX_BATCH, Math.floor(tasks.length / (threads * BATCHES_PER_THREAD))),
  );
  const out: SeedOutcome[] = new Array(tasks.length);
  try {
    await Promise.all(
      seedBatches(tasks, batchSize).map(async ({ batch, indices }) => {
        const outcomes = await pool.run(batch);
        indices.forEach((index, k) => {
          out[index] = outcomes[k];
        });
        finished(indices.length);
      }),
    );
    return out;
  } finally {
    await pool.destroy();
  }
}

/**
 * The tasks as batches of up to `size` seeds of one scenario and plan, each with the task indices it
 * answers, in the order of their first task (seed-major order stays seed-major).
 */
export function seedBatches(
  tasks: readonly SeedTask[],
  size: number,
): { batch: SeedBatch; indices: number[] }[] {
  const batches: {
    batch: { scenarioPath: string; planPath: string; seeds: (number | string)[] };
    indices: number[];
  }[] = [];
  const open = new Map<string, (typeof batches)[number]>();
  tasks.forEach((task, index) => {
    const key = `${task.scenarioPath}\u0000${task.planPath}`;
    let current = open.get(key);
    if (current === undefined || current.indices.length >= size) {
      current = {
        batch: { scenarioPath: task.scenarioPath, planPath: task.planPath, seeds: [] },
        indices: [],
      };
      open.set(key, current);
      batches.push(current);
    }
    current.batch.seeds.push(task.seed);
    current.indices.push(index);
  });
  return batches;
}
