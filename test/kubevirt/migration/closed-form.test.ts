import { describe, expect, it } from 'vitest';
import { closedFormPrecopy } from '../../../src/kubevirt/migration/closed-form.ts';
import { acceptableCompletionSeconds } from '../../../src/kubevirt/migration/completion-timeout.ts';
import { simulateMigration } from '../../../src/kubevirt/migration/single-migration-world.ts';
import { GiB, request } from './request-builders.ts';

// research/migration.md §6a worked example: "M = 4 GiB → 750 s budget, B = 1.25 GB/s (10 GbE),
// threshold 375 MB; D = 200 MB/s → λ = 0.16, V1 ≈ 687 MB, V2 ≈ 110 MB < 375 MB → n = 2,
// total ≈ 3.4 + 0.55 s, downtime ≈ 90 ms."
describe('§6a closed form for the default QEMU/KubeVirt path', () => {
  const input = {
    memoryBytes: 4 * GiB,
    bandwidthBytesPerSecond: 1.25e9,
    dirtyBytesPerSecond: 200e6,
    downtimeLimitSeconds: 0.3,
  };

  it('reproduces the worked example', () => {
    const result = closedFormPrecopy(input);
    expect(acceptableCompletionSeconds(150, 4 * GiB)).toBe(750);
    expect(result.thresholdBytes).toBe(375e6);
    expect(result.stopRound).toBe(2);
    expect(result.roundBytes[1] / 1e6).toBeCloseTo(687.2, 1);
    expect(result.roundBytes[2] / 1e6).toBeCloseTo(110.0, 1);
    // 4.295 GB / 1.25 GB/s = 3.44 s, 687 MB / 1.25 GB/s = 0.55 s.
    expect(result.liveSeconds).toBeCloseTo(3.436 + 0.55, 2);
    expect(result.downtimeSeconds * 1000).toBeCloseTo(88, 0);
  });

  it('the simulation agrees on convergence and total time; its downtime stays under the limit', () => {
    const closed = closedFormPrecopy(input);
    const simulated = simulateMigration(
      request(
        { memoryBytes: 4 * GiB, workingSetBytes: 4 * GiB, dirtyPagesPerSecond: 200e6 / 4096 },
        {},
        { profile: { perStreamBytesPerSecond: Number.POSITIVE_INFINITY, qemuSetupSeconds: 0 } },
      ),
      { linkBytesPerSecond: 1.25e9 },
    );
    expect(simulated.outcome).toBe('completed');
    expect(Math.abs(simulated.migrationSeconds - closed.totalSeconds) / closed.totalSeconds).toBeLessThan(
      0.05,
    );
    // QEMU syncs as soon as the pass's remainder falls below B·d (calibration README point 1), so
    // what is left at the stop is just under the threshold rather than V2: downtime ≤ limit + device state.
    expect(simulated.downtimeMs).toBeLessThanOrEqual(300 + 10);
  });

  it('no convergence when D ≥ B', () => {
    expect(closedFormPrecopy({ ...input, dirtyBytesPerSecond: 1.3e9 }).converges).toBe(false);
  });
});
