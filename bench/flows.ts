import { type Flow, FlowNetwork, type Link, Simulation } from '../sim/index.ts';

export interface FlowsOptions {
  links: number;
  flows: number;
  concurrent: number;
}

/**
 * `concurrent` workers each start flows one after another over random paths of 1-3 links until
 * `flows` have run; a start and a finish are two flow events.
 */
export function flowsBenchmark({ links, flows, concurrent }: FlowsOptions) {
  const sim = new Simulation();
  const net = new FlowNetwork(sim);
  const random = sim.rng.stream('bench');
  const linkList: Link[] = [];
  for (let l = 0; l < links; l++) linkList.push(net.addLink(`l${l}`, random.uniform(1e8, 1e9)));
  let started = 0;
  let finished = 0;
  let bytes = 0;
  for (let w = 0; w < concurrent; w++) {
    sim.process(
      (function* () {
        while (started < flows) {
          started++;
          const path = random.shuffle(linkList).slice(0, random.integer(1, 3));
          const sizeBytes = random.exponential(1e9);
          const cap = random.chance(1, 4) ? random.uniform(1e6, 1e8) : undefined;
          const flow: Flow = net.startFlow({ path, sizeBytes, rateCapBytesPerSecond: cap });
          yield flow.done;
          finished++;
          bytes += flow.sizeBytes;
        }
      })(),
      `worker${w}`,
    );
  }
  const start = performance.now();
  const result = sim.run();
  const seconds = (performance.now() - start) / 1000;
  if (finished !== flows) throw new Error(`only ${finished} of ${flows} flows finished`);
  return {
    benchmark: 'flows',
    links,
    flows,
    concurrent,
    flowEvents: started + finished,
    kernelEvents: result.events,
    recomputations: net.recomputations,
    simulatedSeconds: sim.now,
    bytes,
    seconds,
    flowEventsPerSecond: (started + finished) / seconds,
  };
}
