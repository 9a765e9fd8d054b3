import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlowNetwork, MemorySink, Simulation } from '../../../sim/index.ts';
import type { MigrationResult } from '../../../src/kubevirt/migration/migration-request.ts';
import { startMigration } from '../../../src/kubevirt/migration/migration-run.ts';
import { simulateMigration } from '../../../src/kubevirt/migration/single-migration-world.ts';
import { MiB, request } from './request-builders.ts';

/** A guest and a bandwidth limit, sizes in MiB. */
const scenario = fc.record({
  memoryMib: fc.integer({ min: 64, max: 1024 }),
  usedShare: fc.double({ min: 0.1, max: 1, noNaN: true }),
  wssShare: fc.double({ min: 0.01, max: 1, noNaN: true }),
  bandwidthMibps: fc.integer({ min: 32, max: 512 }),
  /** Dirty rate as a share of the bandwidth. */
  rateShare: fc.double({ min: 0, max: 2, noNaN: true }),
  downtimeMs: fc.integer({ min: 30, max: 1000 }),
});
/** Guests that keep re-dirtying a large working set: auto-converge and post-copy have work to do. */
const hotScenario = fc.record({
  memoryMib: fc.integer({ min: 128, max: 512 }),
  usedShare: fc.double({ min: 0.5, max: 1, noNaN: true }),
  wssShare: fc.double({ min: 0.3, max: 1, noNaN: true }),
  bandwidthMibps: fc.integer({ min: 32, max: 128 }),
  rateShare: fc.double({ min: 0.8, max: 2, noNaN: true }),
  downtimeMs: fc.integer({ min: 30, max: 300 }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function guestOf(s: Scenario) {
  const used = Math.max(4096, Math.floor(s.memoryMib * s.usedShare) * MiB);
  return {
    memoryBytes: s.memoryMib * MiB,
    usedMemoryBytes: used,
    workingSetBytes: Math.max(4096, Math.floor((used * s.wssShare) / 4096) * 4096),
    dirtyPagesPerSecond: (s.rateShare * s.bandwidthMibps * MiB) / 4096,
  };
}

const link = { linkBytesPerSecond: 1.25e9, untilSeconds: 3600 };

function recordedBytes(result: MigrationResult): number {
  return result.passes.reduce((sum, pass) => sum + pass.bytes, 0) + result.downtimeBytes;
}

describe('migration properties', () => {
  it('pre-copy converges when the dirty rate is well below the bandwidth and the working set is small', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const bandwidth = s.bandwidthMibps * MiB;
        const guest = {
          ...guestOf(s),
          // At most half the bandwidth, over a working set below half of bandwidth × downtime-limit.
          dirtyPagesPerSecond: (Math.min(s.rateShare, 0.5) * bandwidth) / 4096,
          workingSetBytes: Math.max(
            4096,
            Math.floor((bandwidth * (s.downtimeMs / 1000) * 0.5) / 4096) * 4096,
          ),
        };
        guest.workingSetBytes = Math.min(guest.workingSetBytes, guest.usedMemoryBytes);
        const result = simulateMigration(
          request(guest, { bandwidthPerMigrationBytesPerSecond: bandwidth, downtimeLimitMs: s.downtimeMs }),
          link,
        );
        expect(result.outcome).toBe('completed');
        expect(result.vmRunsOn).toBe('target');
      }),
      { numRuns: 40 },
    );
  });

  it('the auto-converge throttle only rises during a migration and is released after', () => {
    let throttledRuns = 0;
    fc.assert(
      fc.property(fc.oneof(scenario, hotScenario), fc.integer({ min: 20, max: 60 }), (s, cancelAfter) => {
        const sim = new Simulation({ seed: 7 });
        const sink = sim.trace.addSink(new MemorySink());
        const net = new FlowNetwork(sim);
        const run = startMigration(
          sim,
          net,
          request(
            guestOf(s),
            {
              bandwidthPerMigrationBytesPerSecond: s.bandwidthMibps * MiB,
              downtimeLimitMs: s.downtimeMs,
              allowAutoConverge: true,
              kubevirtMonitor: false,
            },
            { cancelAfterSeconds: cancelAfter },
          ),
          [net.addLink('nic', 1.25e9)],
        );
        sim.run({ until: cancelAfter + 10, maxEvents: 1_000_000 });
        const throttles = sink.records
          .filter((r) => r.kind === 'throttle')
          .map((r) => r.data.percent as number);
        if (throttles.length > 0) throttledRuns++;
        for (let i = 1; i < throttles.length; i++) expect(throttles[i]).toBeGreaterThan(throttles[i - 1]);
        expect(run.process.triggered).toBe(true);
        expect(run.throttlePercent).toBe(0);
        expect(run.process.value.maxThrottlePercent).toBe(
          throttles.length === 0 ? 0 : throttles[throttles.length - 1],
        );
      }),
      { numRuns: 40 },
    );
    // The property is not vacuous: some runs did throttle.
    expect(throttledRuns).toBeGreaterThan(0);
  });

  it('post-copy completes when no node fails', () => {
    let switched = 0;
    fc.assert(
      fc.property(fc.oneof(scenario, hotScenario), fc.integer({ min: 1, max: 3 }), (s, afterPass) => {
        const result = simulateMigration(
          request(
            guestOf(s),
            {
              bandwidthPerMigrationBytesPerSecond: s.bandwidthMibps * MiB,
              downtimeLimitMs: s.downtimeMs,
              allowPostCopy: true,
              kubevirtMonitor: false,
            },
            { postCopyAfterPass: afterPass },
          ),
          link,
        );
        // Either pre-copy converged before pass `afterPass` was sent, or post-copy finished it.
        expect(['post-copy', 'completed']).toContain(result.outcome);
        expect(result.vmRunsOn).toBe('target');
        if (result.outcome === 'post-copy') {
          switched++;
          expect(result.iterations).toBeLessThanOrEqual(afterPass + 2);
        }
      }),
      { numRuns: 40 },
    );
    expect(switched).toBeGreaterThan(0);
  });

  it('bytes are conserved: pass bytes + downtime bytes = transferred', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.boolean(),
        fc.boolean(),
        fc.option(fc.integer({ min: 1, max: 40 }), { nil: null }),
        (s, autoConverge, postCopy, cancelAfter) => {
          const result = simulateMigration(
            request(
              { ...guestOf(s), blockMigrationDiskBytes: s.memoryMib % 3 === 0 ? 32 * MiB : 0 },
              {
                bandwidthPerMigrationBytesPerSecond: s.bandwidthMibps % 2 === 0 ? s.bandwidthMibps * MiB : 0,
                downtimeLimitMs: s.downtimeMs,
                allowAutoConverge: autoConverge,
                allowPostCopy: postCopy,
                kubevirtMonitor: false,
              },
              { postCopyAfterPass: postCopy ? 2 : null, cancelAfterSeconds: cancelAfter ?? 120 },
            ),
            link,
          );
          expect(Math.abs(recordedBytes(result) - result.transferredBytes)).toBeLessThanOrEqual(
            1e-9 * result.transferredBytes + 1e-6,
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});
