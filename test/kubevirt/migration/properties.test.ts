import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlowNetwork, MemorySink, Simulation } from '../../../sim/index.ts';
import { startMigration } from '../../../src/kubevirt/migration/migration-run.ts';
import { simulateMigration } from '../../../src/kubevirt/migration/single-migration-world.ts';
import { assertProperty } from '../../fast-check-seed.ts';
import { guestOf, hotScenario, scenario } from './guest-arbitraries.ts';
import { MiB, request } from './request-builders.ts';

const link = { linkBytesPerSecond: 1.25e9, untilSeconds: 3600 };

describe('migration properties', () => {
  it('pre-copy converges when the dirty rate is well below the bandwidth and the working set is small', () => {
    assertProperty(
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
    assertProperty(
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
    assertProperty(
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
});
