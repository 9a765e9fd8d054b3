import { Simulation } from '../sim/index.ts';

/** Heap memory held by N pending timeouts (run with --expose-gc for a clean reading). */
export function pendingBenchmark({ timeouts }: { timeouts: number }) {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const sim = new Simulation();
  const random = sim.rng.stream('bench');
  for (let i = 0; i < timeouts; i++) sim.timeout(random.exponential(1000));
  gc?.();
  const heapBytes = process.memoryUsage().heapUsed - before;
  if (sim.pending !== timeouts) throw new Error('timeouts lost');
  return {
    benchmark: 'pending',
    timeouts,
    heapBytes,
    heapMegabytes: heapBytes / 2 ** 20,
    bytesPerTimeout: heapBytes / timeouts,
    gcExposed: gc !== undefined,
  };
}
