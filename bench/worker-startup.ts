/**
 * Worker start-up (issues 12 and 13): how long a piscina thread of `compare` or `sweep` takes to load
 * its worker, from the bundle (src/simulate/worker-file.ts: dist/cli/ or one built now with esbuild)
 * and from the TypeScript sources through tsx. Each sample is a new one-thread pool answering an
 * empty task (no run), so it is the module loading alone; wall and CPU of the whole process
 * (every thread), medians of `runs` samples.
 */
import { COMPARE_RESOURCE_LIMITS, COMPARE_WORKER } from '../src/compare/run-seeds.ts';
import { WORKER_RESOURCE_LIMITS, type WorkerEntry, workerFile } from '../src/simulate/worker-file.ts';
import { SWEEP_WORKER } from '../src/sweep/pool.ts';

const WORKERS: Record<string, { entry: WorkerEntry; emptyTask: object; limits: object }> = {
  compare: {
    entry: COMPARE_WORKER,
    emptyTask: { inputs: null, planPath: '', seeds: [] },
    limits: COMPARE_RESOURCE_LIMITS,
  },
  sweep: { entry: SWEEP_WORKER, emptyTask: { spec: null, indices: [] }, limits: WORKER_RESOURCE_LIMITS },
};

async function sample(
  filename: string,
  task: object,
  limits: object,
): Promise<{ wallMs: number; cpuMs: number }> {
  const { Piscina } = await import('piscina');
  const cpu = process.cpuUsage();
  const started = performance.now();
  const pool = new Piscina({
    filename,
    minThreads: 1,
    maxThreads: 1,
    resourceLimits: limits,
  });
  await pool.run(task);
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await pool.destroy();
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.floor(s.length / 2)]);
}

export async function workerStartupBenchmark(options: { runs: number }) {
  const results: Record<string, object> = {};
  for (const [name, { entry, emptyTask, limits }] of Object.entries(WORKERS)) {
    const resolveStarted = performance.now();
    const bundle = await workerFile(entry);
    const resolveMs = Math.round(performance.now() - resolveStarted);
    for (const [form, filename] of [
      ['bundle', bundle],
      ['tsx', entry.tsxEntry],
    ]) {
      const samples = [];
      for (let i = 0; i < options.runs; i++) samples.push(await sample(filename, emptyTask, limits));
      results[`${name}-${form}`] = {
        file: filename.replace(/^.*\/(dist\/|src\/|harvester-sim-workers-[^/]+\/)/, '$1'),
        wallMs: median(samples.map((s) => s.wallMs)),
        cpuMs: median(samples.map((s) => s.cpuMs)),
        ...(form === 'bundle' ? { resolveMs } : {}),
      };
    }
  }
  return { benchmark: 'worker-startup', runs: options.runs, ...results };
}
