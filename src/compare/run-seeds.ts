/**
 * Runs seed tasks on worker threads (piscina), one thread per core, and returns their outcomes in
 * task order. `threads: 0` runs them on this thread (tests, a handful of runs).
 */
import { availableParallelism } from 'node:os';
import type { SeedOutcome } from './seed-outcome.ts';
import { runSeed, type SeedTask } from './worker.ts';

export interface RunSeedsOptions {
  /** Worker threads; default one per core; 0 runs on the calling thread. */
  readonly threads?: number;
  /** Called after each finished run. */
  readonly onProgress?: (done: number, total: number) => void;
}

export async function runSeeds(
  tasks: readonly SeedTask[],
  options: RunSeedsOptions = {},
): Promise<SeedOutcome[]> {
  const threads = Math.min(options.threads ?? availableParallelism(), tasks.length);
  let done = 0;
  const finished = () => options.onProgress?.(++done, tasks.length);
  if (threads <= 0) {
    const out: SeedOutcome[] = [];
    for (const task of tasks) {
      out.push(runSeed(task));
      finished();
      // Let a progress bar redraw between runs.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return out;
  }
  const { Piscina } = await import('piscina'); // loaded when a pool is needed, not at CLI start
  const pool = new Piscina<SeedTask, SeedOutcome>({
    filename: new URL('./worker-entry.mjs', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
  });
  try {
    return await Promise.all(
      tasks.map(async (task) => {
        const outcome = await pool.run(task);
        finished();
        return outcome;
      }),
    );
  } finally {
    await pool.destroy();
  }
}
