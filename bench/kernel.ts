import { EventHeap, Simulation } from '../sim/index.ts';

export interface KernelOptions {
  processes: number;
  steps: number;
}

/**
 * The hold model: P processes each yield K exponential timeouts (mean 1 s). Also runs the floor the
 * kernel is judged against: the same generators driven by a bare typed-array heap loop.
 */
export function kernelBenchmark({ processes, steps }: KernelOptions) {
  const sim = new Simulation();
  const random = sim.rng.stream('bench');
  for (let p = 0; p < processes; p++) {
    sim.process(
      (function* () {
        for (let k = 0; k < steps; k++) yield sim.timeout(random.exponential(1));
      })(),
      `p${p}`,
    );
  }
  const start = performance.now();
  const result = sim.run();
  const seconds = (performance.now() - start) / 1000;
  const floor = bareFloor(processes, steps);
  return {
    benchmark: 'kernel',
    processes,
    steps,
    events: result.events,
    seconds,
    eventsPerSecond: result.events / seconds,
    floorEventsPerSecond: floor,
    fractionOfFloor: result.events / seconds / floor,
  };
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
