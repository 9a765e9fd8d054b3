import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Flow, FlowNetwork, type FlowOutcome, Simulation } from '../../sim/index.ts';
import { assertProperty } from '../fast-check-seed.ts';

function finishTimes(sim: Simulation, flows: Flow[]): Map<Flow, number> {
  const times = new Map<Flow, number>();
  for (const flow of flows) flow.done.addCallback(() => times.set(flow, sim.now));
  return times;
}

describe('FlowNetwork: max-min sharing', () => {
  it('shares two links among three flows with one cap (hand-computed)', () => {
    // Link A = 100 B/s carries f1 and f2; link B = 60 B/s carries f2 and f3 (capped at 10 B/s).
    // A splits 50/50; f3 takes its cap 10, f2 needs only 50 of B's remaining 50. Rates 50, 50, 10.
    const sim = new Simulation();
    const net = new FlowNetwork(sim);
    const a = net.addLink('A', 100);
    const b = net.addLink('B', 60);
    const f1 = net.startFlow({ path: [a], sizeBytes: 1000 });
    const f2 = net.startFlow({ path: [a, b], sizeBytes: 1000 });
    const f3 = net.startFlow({ path: [b], sizeBytes: 100, rateCapBytesPerSecond: 10 });
    expect([f1, f2, f3].map((f) => f.currentRateBytesPerSecond)).toEqual([50, 50, 10]);
    const done = finishTimes(sim, [f1, f2, f3]);
    sim.run();
    // f3: 100 B at 10 B/s = 10 s; f1 and f2: 1000 B at 50 B/s = 20 s.
    expect([done.get(f1), done.get(f2), done.get(f3)]).toEqual([20, 20, 10]);
  });

  it('gives the freed share to the others when a flow ends', () => {
    // One 100 B/s link, flows of 100 and 300 bytes: 50/50 until t=2 (100 B each),
    // then the second runs alone at 100 B/s for its last 200 B: ends at t=4.
    const sim = new Simulation();
    const net = new FlowNetwork(sim);
    const link = net.addLink('nic', 100);
    const short = net.startFlow({ path: [link], sizeBytes: 100 });
    const long = net.startFlow({ path: [link], sizeBytes: 300 });
    const done = finishTimes(sim, [short, long]);
    sim.run();
    expect(done.get(short)).toBe(2);
    expect(done.get(long)).toBe(4);
  });

  it('a bottleneck elsewhere leaves more for the others (not equal split)', () => {
    // f1 crosses A (100) and B (20); f2 crosses A only. B limits f1 to 20, so f2 gets 80 of A.
    const sim = new Simulation();
    const net = new FlowNetwork(sim);
    const a = net.addLink('A', 100);
    const b = net.addLink('B', 20);
    const f1 = net.startFlow({ path: [a, b], sizeBytes: 1e6 });
    const f2 = net.startFlow({ path: [a], sizeBytes: 1e6 });
    expect(f1.currentRateBytesPerSecond).toBe(20);
    expect(f2.currentRateBytesPerSecond).toBe(80);
  });

  it('reports bytes sent while running and lets the remaining size change', () => {
    // 10 B/s; at t=3 30 B are sent; the pass grows to 50 more bytes: ends at 3 + 5 = 8 with 80 B sent.
    const sim = new Simulation();
    const net = new FlowNetwork(sim);
    const link = net.addLink('l', 10);
    const flow = net.startFlow({ path: [link], sizeBytes: 40 });
    let endedAt = -1;
    sim.process(
      (function* () {
        yield sim.timeout(3);
        expect(flow.sentBytes).toBeCloseTo(30, 9);
        expect(flow.remainingBytes).toBeCloseTo(10, 9);
        flow.setRemainingBytes(50);
        const outcome: FlowOutcome = yield flow.done;
        expect(outcome).toBe('completed');
        endedAt = sim.now;
      })(),
    );
    sim.run();
    expect(endedAt).toBe(8);
    expect(flow.sentBytes).toBeCloseTo(80, 9);
    expect(flow.sizeBytes).toBeCloseTo(80, 9);
  });

  it('re-shares when a link capacity or a cap changes', () => {
    // 100 B/s for 1 s (100 B), then capacity 50: the remaining 100 B take 2 s more; done at 3.
    const sim = new Simulation();
    const net = new FlowNetwork(sim);
    const link = net.addLink('l', 100);
    const flow = net.startFlow({ path: [link], sizeBytes: 200 });
    sim.timeout(1).addCallback(() => net.setLinkCapacity(link, 50));
    const done = finishTimes(sim, [flow]);
    sim.run();
    expect(done.get(flow)).toBe(3);

    const sim2 = new Simulation();
    const net2 = new FlowNetwork(sim2);
    const link2 = net2.addLink('l', 100);
    const capped = net2.startFlow({ path: [link2], sizeBytes: 200, rateCapBytesPerSecond: 20 });
    sim2.timeout(5).addCallback(() => capped.setRateCap(undefined));
    const done2 = finishTimes(sim2, [capped]);
    sim2.run();
    // 5 s at 20 B/s = 100 B, then 100 B at 100 B/s = 1 s.
    expect(done2.get(capped)).toBe(6);
  });

  it('a cancelled flow stops counting and ends with "cancelled"', () => {
    const sim = new Simulation();
    const net = new FlowNetwork(sim);
    const link = net.addLink('l', 10);
    const flow = net.startFlow({ path: [link], sizeBytes: 100 });
    let outcome: FlowOutcome | undefined;
    flow.done.addCallback((e) => {
      outcome = e.value as FlowOutcome;
    });
    sim.timeout(4).addCallback(() => flow.cancel());
    sim.run();
    expect(outcome).toBe('cancelled');
    expect(flow.sentBytes).toBeCloseTo(40, 9);
    expect(net.flows.length).toBe(0);
  });

  it('recomputes only the component a change touches', () => {
    const sim = new Simulation();
    const net = new FlowNetwork(sim);
    const a = net.addLink('A', 100);
    const b = net.addLink('B', 100);
    const onA = net.startFlow({ path: [a], sizeBytes: 1e9 });
    net.startFlow({ path: [b], sizeBytes: 1e9 });
    sim.run({ until: 1 });
    const before = onA.currentRateBytesPerSecond;
    net.startFlow({ path: [b], sizeBytes: 1e9 });
    sim.run({ until: 2 });
    expect(onA.currentRateBytesPerSecond).toBe(before);
    expect(onA.sentBytes).toBeCloseTo(200, 6);
  });
});

describe('FlowNetwork: properties', () => {
  const scenario = fc.record({
    capacities: fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 6 }),
    flows: fc.array(
      fc.record({
        links: fc.uniqueArray(fc.nat(5), { minLength: 1, maxLength: 3 }),
        sizeBytes: fc.integer({ min: 1, max: 10_000 }),
        cap: fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
        startSeconds: fc.integer({ min: 0, max: 20 }),
      }),
      { minLength: 1, maxLength: 12 },
    ),
  });

  it('no link over capacity; every flow at its cap or bottlenecked on a saturated link; bytes conserved', () => {
    assertProperty(
      fc.property(scenario, ({ capacities, flows }) => {
        const sim = new Simulation();
        const net = new FlowNetwork(sim);
        const links = capacities.map((c, i) => net.addLink(`l${i}`, c));
        const started: Flow[] = [];
        const check = () => {
          net.flush();
          for (const link of links) {
            const load = link.flows.reduce((sum, f) => sum + f.rateBytesPerSecond, 0);
            expect(load).toBeLessThanOrEqual(link.capacityBytesPerSecond * (1 + 1e-9));
          }
          for (const flow of net.flows) {
            const atCap =
              flow.rateCapBytesPerSecond !== undefined &&
              Math.abs(flow.rateBytesPerSecond - flow.rateCapBytesPerSecond) <=
                1e-9 * flow.rateCapBytesPerSecond;
            const bottlenecked = flow.path.some((link) => {
              const load = link.flows.reduce((sum, f) => sum + f.rateBytesPerSecond, 0);
              const saturated = load >= link.capacityBytesPerSecond * (1 - 1e-9);
              const largest = Math.max(...link.flows.map((f) => f.rateBytesPerSecond));
              return saturated && flow.rateBytesPerSecond >= largest * (1 - 1e-9);
            });
            expect(atCap || bottlenecked).toBe(true);
          }
        };
        for (const spec of flows) {
          sim.process(
            (function* () {
              yield sim.timeout(spec.startSeconds);
              const flow = net.startFlow({
                path: spec.links
                  .map((i) => links[i % links.length])
                  .filter((l, i, all) => all.indexOf(l) === i),
                sizeBytes: spec.sizeBytes,
                rateCapBytesPerSecond: spec.cap,
              });
              started.push(flow);
              check();
              yield flow.done;
              check();
            })(),
          );
        }
        let lastTime = 0;
        while (sim.pending > 0) {
          sim.step();
          expect(sim.now).toBeGreaterThanOrEqual(lastTime);
          lastTime = sim.now;
        }
        expect(started.length).toBe(flows.length);
        for (const flow of started) {
          expect(flow.done.processed).toBe(true);
          expect(flow.remainingBytes).toBe(0);
        }
        const sent = started.reduce((s, f) => s + f.sentBytes, 0);
        const asked = flows.reduce((s, f) => s + f.sizeBytes, 0);
        expect(sent).toBeCloseTo(asked, 3);
      }),
      { numRuns: 150 },
    );
  });
});
