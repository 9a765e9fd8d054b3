import { describe, expect, it } from 'vitest';
import { FlowNetwork, Simulation } from '../../../sim/index.ts';
import { defaultMigrationSettings } from '../../../src/kubevirt/migration/migration-request.ts';
import { startMigration } from '../../../src/kubevirt/migration/migration-run.ts';
import { simulateMigration } from '../../../src/kubevirt/migration/single-migration-world.ts';
import { GiB, MiB, request } from './request-builders.ts';

/** A guest that never converges at 16 MiB/s: 16,000 pages/s (62.5 MiB/s) over a 128 MiB working set. */
const hot = { memoryBytes: 256 * MiB, workingSetBytes: 128 * MiB, dirtyPagesPerSecond: 16_000 };
const slow = { bandwidthPerMigrationBytesPerSecond: 16 * MiB };
const link = { linkBytesPerSecond: 1.25e9 };

describe('one migration', () => {
  it('an idle guest converges after the bulk pass: dirty-sync-count 3 (set-up, end of pass 1, final)', () => {
    const result = simulateMigration(
      request({ memoryBytes: 256 * MiB, usedMemoryBytes: 218 * MiB }, { ...slow, kubevirtMonitor: false }),
      link,
    );
    expect(result.outcome).toBe('completed');
    expect(result.iterations).toBe(3);
    // Zero pages cost 9 bytes, used pages 4096 + 8: 218 MiB used, 38 MiB zero. The model sends the
    // pass-1 remainder at the stop as whole pages (its zero pages included) and 64 KiB of device state.
    const expected = ((218 * MiB) / 4096) * 4104 + ((38 * MiB) / 4096) * 9;
    expect(Math.abs(result.transferredBytes - expected) / expected).toBeLessThan(0.005);
    // README point 6: 218 MiB at 16 MiB/s ≈ 13.4 s.
    expect(result.migrationSeconds).toBeGreaterThan(13.3);
    expect(result.migrationSeconds).toBeLessThan(13.8);
    // README point 2: the stop-and-copy is not rate-limited: downtime of milliseconds, not 300 ms.
    expect(result.downtimeMs).toBeLessThan(20);
  });

  it('without allowWorkloadDisruption KubeVirt aborts at completionTimeoutPerGiB × ceil(GB) (256 MiB → 150 s)', () => {
    const result = simulateMigration(request(hot, slow), link);
    expect(result.outcome).toBe('aborted');
    expect(result.reason).toBe('completion-timeout');
    expect(result.vmRunsOn).toBe('source');
    expect(result.migrationSeconds).toBeGreaterThan(150);
    expect(result.migrationSeconds).toBeLessThanOrEqual(150.8);
  });

  it('allowPostCopy (and so allowWorkloadDisruption) switches to post-copy at the timeout and completes', () => {
    const result = simulateMigration(
      request(hot, { ...slow, allowPostCopy: true, allowWorkloadDisruption: true }),
      link,
    );
    expect(result.outcome).toBe('post-copy');
    expect(result.vmRunsOn).toBe('target');
    expect(result.postCopyStartSeconds).toBeGreaterThan(150);
    expect(result.postCopyStartSeconds).toBeLessThan(151);
    // Post-copy pushes the rest at full bandwidth (max-postcopy-bandwidth 0): well under a second on 10 GbE.
    expect(result.migrationSeconds - (result.postCopyStartSeconds as number)).toBeLessThan(1);
    expect(result.downtimeMs).toBeLessThan(20);
  });

  it('allowWorkloadDisruption without post-copy pauses the guest, which then converges', () => {
    const result = simulateMigration(request(hot, { ...slow, allowWorkloadDisruption: true }), link);
    expect(result.outcome).toBe('completed');
    expect(result.guestPausedSeconds).toBeGreaterThan(0);
    expect(result.migrationSeconds).toBeLessThan(300);
  });

  it('pre-1.5 profile (v1.3): 800 s per GB, no pause path, post-copy only with allowPostCopy', () => {
    const legacy = { ...defaultMigrationSettings('v1.3.1'), ...slow };
    expect(legacy.completionTimeoutPerGiBSeconds).toBe(800);
    const aborted = simulateMigration(request(hot, { ...legacy, allowWorkloadDisruption: true }), link);
    expect(aborted.outcome).toBe('aborted');
    expect(aborted.migrationSeconds).toBeGreaterThan(800);
    expect(aborted.migrationSeconds).toBeLessThanOrEqual(800.8);
    const postCopy = simulateMigration(request(hot, { ...legacy, allowPostCopy: true }), link);
    expect(postCopy.outcome).toBe('post-copy');
  });

  it('a zero-throughput stall is aborted by the progress timeout (150 s without DataRemaining falling)', () => {
    const sim = new Simulation({ seed: 1 });
    const net = new FlowNetwork(sim);
    const wire = net.addLink('nic', 1.25e9);
    const run = startMigration(sim, net, request({ memoryBytes: 4 * GiB }, slow), [wire]);
    sim.timeout(5).addCallback(() => net.setLinkCapacity(wire, 0));
    sim.run({ until: 2000, maxEvents: 1_000_000 });
    const result = run.process.value;
    expect(result.outcome).toBe('aborted');
    expect(result.reason).toBe('progress-timeout');
    expect(result.migrationSeconds).toBeGreaterThan(155);
    expect(result.migrationSeconds).toBeLessThan(156);
  });

  it('an operator cancel ends the migration with the VM on the source', () => {
    const result = simulateMigration(
      request(hot, { ...slow, kubevirtMonitor: false }, { cancelAfterSeconds: 60 }),
      link,
    );
    expect(result.outcome).toBe('cancelled');
    expect(result.migrationSeconds).toBeCloseTo(60, 9);
    expect(result.vmRunsOn).toBe('source');
  });

  it('if either node fails during post-copy the VM is lost', () => {
    for (const node of ['source', 'target'] as const) {
      const sim = new Simulation({ seed: 1 });
      const net = new FlowNetwork(sim);
      const wire = net.addLink('nic', 32 * MiB);
      const req = request(
        hot,
        { ...slow, kubevirtMonitor: false, allowPostCopy: true },
        { postCopyAfterPass: 1 },
      );
      const run = startMigration(
        sim,
        net,
        { ...req, settings: { ...req.settings, postCopyBandwidthBytesPerSecond: 16 * MiB } },
        [wire],
      );
      sim.timeout(16).addCallback(() => run.failNode(node));
      sim.run({ until: 100 });
      expect(run.process.value.outcome).toBe('vm-lost');
      expect(run.process.value.vmRunsOn).toBe('none');
    }
  });

  it('a target failure during pre-copy fails the migration; the VM keeps running on the source', () => {
    const sim = new Simulation({ seed: 1 });
    const net = new FlowNetwork(sim);
    const run = startMigration(sim, net, request(hot, { ...slow, kubevirtMonitor: false }), [
      net.addLink('nic', 1.25e9),
    ]);
    sim.timeout(20).addCallback(() => run.failNode('target'));
    sim.run({ until: 100 });
    expect(run.process.value.outcome).toBe('failed');
    expect(run.process.value.vmRunsOn).toBe('source');
  });

  it('BlockMigration copies the disk first and the deadline counts it', () => {
    const result = simulateMigration(
      request(
        { memoryBytes: 256 * MiB, usedMemoryBytes: 128 * MiB, blockMigrationDiskBytes: 64 * MiB },
        slow,
      ),
      link,
    );
    expect(result.outcome).toBe('completed');
    expect(result.passes[0].kind).toBe('disk-copy');
    expect(result.passes[0].seconds).toBeCloseTo(4, 1);
  });

  it('with bandwidthPerMigration 0 two migrations on one link share it (max-min fair)', () => {
    const sim = new Simulation({ seed: 1 });
    const net = new FlowNetwork(sim);
    const wire = net.addLink('nic', 100 * MiB);
    const guest = { memoryBytes: GiB, usedMemoryBytes: 500 * MiB };
    const noLimits = { kubevirtMonitor: false };
    const profile = { profile: { perStreamBytesPerSecond: Number.POSITIVE_INFINITY } };
    const a = startMigration(sim, net, request(guest, noLimits, profile), [wire]);
    const b = startMigration(sim, net, request(guest, noLimits, profile), [wire]);
    sim.run({ until: 100 });
    // 1,000 MiB of used pages at 100 MiB/s in all: about 10 s each, not 5 s.
    expect(a.process.value.migrationSeconds).toBeGreaterThan(9.8);
    expect(b.process.value.migrationSeconds).toBeLessThan(10.5);
  });

  it('a single stream is capped by the per-stream throughput on a faster link', () => {
    const result = simulateMigration(
      request(
        { memoryBytes: GiB, usedMemoryBytes: GiB },
        {},
        { profile: { perStreamBytesPerSecond: 100 * MiB } },
      ),
      { linkBytesPerSecond: 10e9 },
    );
    expect(result.migrationSeconds).toBeGreaterThan(10);
    expect(result.migrationSeconds).toBeLessThan(10.5);
  });
});
