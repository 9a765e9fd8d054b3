/**
 * Lazy write accrual (writes.ts `WriteLedger`, `settleWrites`) is a speed-up only. The rule it must
 * keep (docs/model/longhorn.md, "Writes and data at risk"): "Writes are integrated between events.
 * While a replica is failed they grow its delta", the head and a delta capped at the volume's size,
 * and the bytes written while at risk summed. Integrating every writing volume at every event (what
 * the model did before) is the reference here: over any sequence of events, rate changes, attach and
 * detach, failures, revivals, resets and at-risk periods, on volumes that share one ledger, the lazy
 * sums settled at the reads equal the reference bit for bit (`Object.is`), including volumes that
 * start together and share a remembered replay.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Replica } from '../../src/longhorn/replica.ts';
import { newVolume, type Volume } from '../../src/longhorn/volume.ts';
import { settleWrites, WriteLedger } from '../../src/longhorn/writes.ts';
import { assertProperty } from '../fast-check-seed.ts';
import { fixtureScenario } from './cluster-fixture.ts';

interface Sums {
  head: number;
  missed: number[];
  atRisk: number;
}

function replica(i: number): Replica {
  return {
    name: `r-${i}`,
    volume: 'v',
    node: `n${i + 1}`,
    disk: 'd',
    mode: 'RW',
    failedAtSeconds: null,
    healthyAtSeconds: 0,
    rebuildRetryCount: 0,
    missedBytes: 0,
    headBytesAtFailure: 0,
    awaitingRebuild: false,
  };
}

/** The model's accrual before it became lazy: every writing volume, at every event. */
function eagerAccrue(v: Volume, s: Sums, seconds: number): void {
  if (seconds <= 0 || v.writeBytesPerSecond === 0 || v.state !== 'attached' || !v.longhorn) return;
  const written = v.writeBytesPerSecond * seconds;
  s.head = Math.min(v.spec.sizeBytes, s.head + written);
  v.replicas.forEach((r, i) => {
    if (r.failedAtSeconds !== null) s.missed[i] = Math.min(v.spec.sizeBytes, s.missed[i] + written);
  });
  if (v.atRiskSinceSeconds !== null) s.atRisk += written;
}

const op = fc.oneof(
  // an event: the seconds since the previous one (0: same instant), repeated to pass the memo's length
  fc.record({
    kind: fc.constant('events' as const),
    seconds: fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 500, noNaN: true })),
    count: fc.integer({ min: 1, max: 150 }),
  }),
  fc.record({
    kind: fc.constant('rate' as const),
    volume: fc.nat(2),
    rate: fc.constantFrom(0, 1_000_000, 12_345_678.9, 3e7 / 7),
  }),
  fc.record({
    kind: fc.constantFrom('attach', 'detach', 'risk', 'safe', 'reset', 'read'),
    volume: fc.nat(2),
  }),
  fc.record({ kind: fc.constantFrom('fail', 'revive'), volume: fc.nat(2), replica: fc.nat(2) }),
);

describe('lazy write accrual', () => {
  it('settled sums equal integrating every writing volume at every event, bit for bit', () => {
    const spec = fixtureScenario().volumes[0];
    assertProperty(
      fc.property(fc.array(op, { maxLength: 60 }), fc.constantFrom(1e9, spec.sizeBytes), (ops, size) => {
        const ledger = new WriteLedger();
        const volumes = [0, 1, 2].map(() => {
          const v = newVolume({ ...spec, sizeBytes: size }, {}, 0, ledger);
          v.state = 'attached';
          v.replicas = [0, 1, 2].map(replica);
          return v;
        });
        const sums: Sums[] = volumes.map(() => ({ head: 0, missed: [0, 0, 0], atRisk: 0 }));
        const check = (i: number) => {
          const v = volumes[i];
          settleWrites(v);
          expect(Object.is(v.headBytes, sums[i].head)).toBe(true);
          expect(Object.is(v.atRiskBytes, sums[i].atRisk)).toBe(true);
          v.replicas.forEach((r, j) => {
            if (r.failedAtSeconds !== null) expect(Object.is(r.missedBytes, sums[i].missed[j])).toBe(true);
          });
        };
        for (const o of ops) {
          if (o.kind === 'events') {
            for (let n = 0; n < o.count; n++) {
              ledger.append(o.seconds);
              for (let i = 0; i < volumes.length; i++) eagerAccrue(volumes[i], sums[i], o.seconds);
            }
            continue;
          }
          // what the model's transitions do: settle, then change
          const v = volumes[o.volume];
          const s = sums[o.volume];
          settleWrites(v);
          if (o.kind === 'rate') v.writeBytesPerSecond = o.rate;
          else if (o.kind === 'attach') v.state = 'attached';
          else if (o.kind === 'detach') v.state = 'detached';
          else if (o.kind === 'risk' && v.atRiskSinceSeconds === null) {
            v.atRiskSinceSeconds = 1;
            v.atRiskBytes = 0;
            s.atRisk = 0;
          } else if (o.kind === 'safe') v.atRiskSinceSeconds = null;
          else if (o.kind === 'reset') {
            v.headBytes = 0;
            s.head = 0;
          } else if (o.kind === 'fail' && v.replicas[o.replica].failedAtSeconds === null) {
            v.replicas[o.replica].failedAtSeconds = 1;
            v.replicas[o.replica].missedBytes = 0;
            s.missed[o.replica] = 0;
          } else if (o.kind === 'revive') v.replicas[o.replica].failedAtSeconds = null;
          else if (o.kind === 'read') check(o.volume);
        }
        for (let i = 0; i < volumes.length; i++) check(i);
      }),
    );
  });

  it('a volume that starts with others continues their replay and reaches the cap', () => {
    // 2 volumes writing 1 MB/s from the same interval; 0.1 s intervals: 0.1 × 1e6 summed 3,000 times
    // in floating point, then capped at the 200 MB size after 2,000 s.
    const spec = fixtureScenario().volumes[0];
    const ledger = new WriteLedger();
    const [a, b] = [0, 1].map(() => {
      const v = newVolume({ ...spec, sizeBytes: 200e6 }, {}, 0, ledger);
      v.state = 'attached';
      v.writeBytesPerSecond = 1e6;
      return v;
    });
    let expected = 0;
    for (let i = 0; i < 3000; i++) {
      ledger.append(0.1);
      expected = Math.min(200e6, expected + 1e6 * 0.1);
      if (i === 999) settleWrites(a);
    }
    expect(a.headBytes).not.toBe(200e6);
    settleWrites(b);
    settleWrites(a);
    expect(b.headBytes).toBe(200e6);
    expect(a.headBytes).toBe(expected);
  });
});
