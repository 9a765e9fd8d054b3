import { FlowNetwork } from './flow/network.ts';
import { Resource } from './resources/resource.ts';
import { Simulation } from './simulation.ts';
import { MemorySink } from './trace.ts';

/**
 * The kernel on its own: five transfers of random size wait for one of two slots, then share a
 * 1 Gbit/s link max-min fairly. Returns the timeline as text.
 */
export function runKernelDemo(seed: number | string): string {
  const sim = new Simulation({ seed });
  const trace = sim.trace.addSink(new MemorySink());
  const net = new FlowNetwork(sim);
  const link = net.addLink('link', 125_000_000);
  const slots = new Resource(sim, 2);
  const random = sim.rng.stream('demo');
  for (let i = 1; i <= 5; i++) {
    sim.process(
      (function* () {
        yield sim.timeout(random.uniform(0, 2));
        const slot = slots.request();
        sim.trace.emit('demo', 'queued', { transfer: i });
        yield slot;
        const flow = net.startFlow({
          path: [link],
          sizeBytes: Math.round(random.uniform(1e8, 1e9)),
          name: `t${i}`,
        });
        sim.trace.emit('demo', 'started', { transfer: i, sizeBytes: flow.sizeBytes });
        yield flow.done;
        sim.trace.emit('demo', 'finished', { transfer: i, sizeBytes: flow.sizeBytes });
        slots.release(slot);
      })(),
      `transfer${i}`,
    );
  }
  const result = sim.run({ until: 3600, maxEvents: 10_000 });
  const lines = trace.records.map((r) => {
    const size = r.data.sizeBytes === undefined ? '' : ` ${(r.data.sizeBytes / 1e6).toFixed(0)} MB`;
    return `${r.timeSeconds.toFixed(3).padStart(8)} s  transfer ${r.data.transfer} ${r.kind}${size}`;
  });
  lines.push(`${result.events} events, seed ${seed}; two slots, one 1 Gbit/s link shared max-min fairly`);
  return `${lines.join('\n')}\n`;
}
