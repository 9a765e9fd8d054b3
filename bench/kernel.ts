import { EventHeap, Simulation } from '../sim/index.ts';

export interface KernelOptions {
  processes: number;
  steps: number;
  /** Runs of each side; the best is reported (other load on the machine only slows a run down). */
  repeat?: number;
}

/**
 * The hold model: P processes each yield K exponential timeouts (mean 1 s), as `yield seconds` (the
 * kernel's sleep) and as `yield sim.timeout(seconds)`. Also runs the floor the kernel is judged
 * against: the same generators driven by a bare typed-array heap loop.
 */
export function kernelBenchmark({ processes, steps, repeat = 3 }: KernelOptions) {
  let best = kernelOnce(processes, steps, 'sleep');
  let bestTimeout = kernelOnce(processes, steps, 'timeout');
  let floor = bareFloor(processes, steps);
  for (let i = 1; i < repeat; i++) {
    const run = kernelOnce(processes, steps, 'sleep');
    if (run.seconds < best.seconds) best = run;
    const timeoutRun = kernelOnce(processes, steps, 'timeout');
    if (timeoutRun.seconds < bestTimeout.seconds) bestTimeout = timeoutRun;
    floor = Math.max(floor, bareFloor(processes, steps));
  }
  return {
    benchmark: 'kernel',
    processes,
    steps,
    repeat,
    events: best.events,
    seconds: best.seconds,
    eventsPerSecond: best.events / best.seconds,
    cpuSeconds: best.cpuSeconds,
    eventsPerCpuSecond: best.events / best.cpuSeconds,
    /** The same model written `yield sim.timeout(d)`: one new event per step. */
    timeoutEventsPerSecond: bestTimeout.events / bestTimeout.seconds,
    floorEventsPerSecond: floor,
    fractionOfFloor: best.events / best.seconds / floor,
  };
}

/** `sleep`: `yield seconds`; `timeout`: `yield sim.timeout(seconds)` (a new event each time). */
type Form = 'sleep' | 'timeout';

function kernelOnce(processes: number, steps: number, form: Form) {
  const sim = new Simulation();
  const random = sim.rng.stream('bench');
  for (let p = 0; p < processes; p++) {
    sim.process(
      form === 'sleep'
        ? (function* () {
            for (let k = 0; k < steps; k++) yield random.exponential(1);
          })()
        : (function* () {
            for (let k = 0; k < steps; k++) yield sim.timeout(random.exponential(1));
          })(),
      `p${p}`,
    );
  }
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = sim.run();
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return { events: result.events, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

/** Generators resumed straight from an EventHeap, with no kernel around them. */
function bareFloor(processes: number, steps: number): number {
  const heap = new EventHeap<Generator<number, void, void>>();
  const random = new Simulation({ seed: 'floor' }).rng.stream('bench');
  let now = 0;
  for (let p = 0; p < processes; p++) {
    const generator = (function* () {
      for (let k = 0; k < steps; k++) yield random.exponential(1);
    })();
    const first = generator.next();
    if (!first.done) heap.push(first.value, 1, generator);
  }
  let events = 0;
  const start = performance.now();
  while (heap.size > 0) {
    now = heap.peekTime();
    const generator = heap.pop();
    events++;
    const next = generator.next();
    if (!next.done) heap.push(now + next.value, 1, generator);
  }
  return events / ((performance.now() - start) / 1000);
}
