import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  FlowNetwork,
  HashSink,
  JsonLinesSink,
  MemorySink,
  Simulation,
  traceHash,
} from '../../sim/index.ts';
import { assertProperty } from '../fast-check-seed.ts';

/** A small world: workers draw delays, share a link and trace what they do. */
function run(seed: number): { hash: string; records: number } {
  const sim = new Simulation({ seed });
  const hash = sim.trace.addSink(new HashSink());
  const net = new FlowNetwork(sim);
  const link = net.addLink('storage', 1e8);
  const random = sim.rng.stream('workers');
  for (let w = 0; w < 5; w++) {
    sim.process(
      (function* () {
        for (let i = 0; i < 4; i++) {
          yield sim.timeout(random.exponential(2));
          const flow = net.startFlow({ path: [link], sizeBytes: random.uniform(1e6, 1e8) });
          sim.trace.emit('demo', 'flow.start', { worker: w, size: flow.sizeBytes });
          yield flow.done;
          sim.trace.emit('demo', 'flow.end', { worker: w });
        }
      })(),
      `w${w}`,
    );
  }
  sim.run({ until: 1e6 });
  return { hash: hash.digest(), records: hash.count };
}

describe('tracing and determinism', () => {
  it('the same seed gives the same trace hash; another seed another hash', () => {
    const a = run(11);
    expect(a.records).toBe(40);
    expect(run(11).hash).toBe(a.hash);
    expect(run(12).hash).not.toBe(a.hash);
  });

  it('records carry the simulated time, subsystem, kind and data', () => {
    const sim = new Simulation();
    const memory = sim.trace.addSink(new MemorySink());
    const lines: string[] = [];
    sim.trace.addSink(new JsonLinesSink((line) => lines.push(line)));
    sim.timeout(2.5).addCallback(() => sim.trace.emit('etcd', 'leader.elected', { member: 'm1', term: 3 }));
    sim.run();
    expect(memory.records).toEqual([
      { timeSeconds: 2.5, subsystem: 'etcd', kind: 'leader.elected', data: { member: 'm1', term: 3 } },
    ]);
    expect(lines).toEqual([
      '{"data":{"member":"m1","term":3},"kind":"leader.elected","subsystem":"etcd","timeSeconds":2.5}',
    ]);
    expect(traceHash(memory.records)).toBe(
      (() => {
        const h = new HashSink();
        for (const r of memory.records) h.write(r);
        return h.digest();
      })(),
    );
  });

  it('is off (and costs nothing) with no sink', () => {
    const sim = new Simulation();
    expect(sim.trace.enabled).toBe(false);
    const sink = sim.trace.addSink(new MemorySink());
    expect(sim.trace.enabled).toBe(true);
    sim.trace.removeSink(sink);
    expect(sim.trace.enabled).toBe(false);
    sim.trace.emit('x', 'y', {});
    expect(sink.records).toEqual([]);
  });

  it('canonical JSON does not depend on key order', () => {
    assertProperty(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(object));
      }),
    );
  });

  it('time never decreases across random processes (property)', () => {
    assertProperty(
      fc.property(
        // Zero or at least a microsecond: a positive delay too small to move the clock is refused
        // (sim/simulation.ts checkDelay, issue 11), so subnormal delays are not valid input here.
        fc.array(
          fc.array(fc.oneof(fc.constant(0), fc.float({ min: Math.fround(1e-6), max: 100, noNaN: true })), {
            maxLength: 20,
          }),
          { maxLength: 20 },
        ),
        (plans) => {
          const sim = new Simulation();
          for (const delays of plans) {
            sim.process(
              (function* () {
                for (const d of delays) yield sim.timeout(d);
              })(),
            );
          }
          let last = 0;
          while (sim.pending > 0) {
            sim.step();
            expect(sim.now).toBeGreaterThanOrEqual(last);
            last = sim.now;
          }
        },
      ),
    );
  });
});
