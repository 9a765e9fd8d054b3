import { describe, expect, it } from 'vitest';
import {
  type AutoConvergeParameters,
  autoConvergeOnSync,
  initialAutoConverge,
} from '../../../src/kubevirt/migration/auto-converge.ts';
import { throttledDirtyPagesPerSecond } from '../../../src/kubevirt/migration/guest-dirtying.ts';

// qemu/qemu:migration/ram.c migration_trigger_throttle; calibration README point 4
const qemuDefaults: AutoConvergeParameters = {
  enabled: true,
  triggerThresholdPercent: 50,
  initialPercent: 20,
  incrementPercent: 10,
  maxPercent: 99,
  evaluationPeriodSeconds: 1,
  highDirtyCountPerStep: 2,
};

/** Syncs every `passSeconds`, each finding `dirtyPages` re-dirtied after sending `sentBytes`. */
function throttleAfterSyncs(
  syncs: number,
  passSeconds: number,
  dirtyPages: number,
  sentBytes: number,
): number[] {
  let state = initialAutoConverge(0);
  const seen: number[] = [];
  for (let i = 1; i <= syncs; i++) {
    state = autoConvergeOnSync(
      state,
      {
        nowSeconds: i * passSeconds,
        newDirtyPages: dirtyPages,
        transferredBytes: i * sentBytes,
        pageSizeBytes: 4096,
      },
      qemuDefaults,
    );
    seen.push(state.throttlePercent);
  }
  return seen;
}

describe('auto-converge', () => {
  it('"every second evaluation that finds more re-dirtied bytes than 50 % of the bytes sent raises the throttle (20 %, then +10)"', () => {
    // 2 s passes re-dirtying 32 MiB of 32 MiB sent: high every time.
    expect(throttleAfterSyncs(6, 2, 8192, 32 * 2 ** 20)).toEqual([0, 20, 20, 30, 30, 40]);
  });

  it('evaluates only at syncs more than 1 s after the previous evaluation', () => {
    // 0.4 s passes: an evaluation every third sync, so a step every sixth.
    expect(throttleAfterSyncs(12, 0.4, 8192, 32 * 2 ** 20)).toEqual([
      0, 0, 0, 0, 0, 20, 20, 20, 20, 20, 20, 30,
    ]);
  });

  it('does nothing while re-dirtied bytes stay at or below half of the bytes sent', () => {
    expect(throttleAfterSyncs(10, 2, 4096, 32 * 2 ** 20)).toEqual(Array(10).fill(0));
  });

  it('caps at max-cpu-throttle 99 %', () => {
    const seen = throttleAfterSyncs(40, 2, 8192, 32 * 2 ** 20);
    expect(Math.max(...seen)).toBe(99);
  });

  it('cpu-throttle-tailslow: once on, the step is at most what brings the CPU share to share × threshold / dirtied (ram.c mig_throttle_guest_down)', () => {
    const tailslow = { ...qemuDefaults, tailslow: true };
    // At 40 %, a period that dirtied 40 MiB against a threshold of 50 % × 64 MiB sent = 32 MiB:
    // cpu_now 60, cpu_ideal = trunc(60 × 32/40) = 48, step min(12, 10) = 10 → 50 %.
    // Dirtied 34 MiB: cpu_ideal = trunc(60 × 32/34) = 56, step 4 → 44 %.
    const step = (dirtyMiB: number) => {
      const state = { ...initialAutoConverge(0), throttlePercent: 40, highDirtyCount: 1 };
      return autoConvergeOnSync(
        state,
        {
          nowSeconds: 2,
          newDirtyPages: (dirtyMiB * 2 ** 20) / 4096,
          transferredBytes: 64 * 2 ** 20,
          pageSizeBytes: 4096,
        },
        tailslow,
      ).throttlePercent;
    };
    expect(step(40)).toBe(50);
    expect(step(34)).toBe(44);
  });

  it('a CPU-bound guest dirties at (1 − p) of its rate; the calibration guest catches up 4 ms per stall', () => {
    const cpuBound = { dirtyPagesPerSecond: 1000, workingSetPages: 1, throttleCatchUpMs: 0 };
    expect(throttledDirtyPagesPerSecond(cpuBound, 50, 10)).toBeCloseTo(500, 9);
    const paced = { ...cpuBound, throttleCatchUpMs: 4 };
    // 20 %: sleep 2.5 ms < 4 ms, no loss. 80 %: sleep 40 ms, (10 + 4) / 50 of the rate.
    expect(throttledDirtyPagesPerSecond(paced, 20, 10)).toBe(1000);
    expect(throttledDirtyPagesPerSecond(paced, 80, 10)).toBeCloseTo(280, 9);
  });
});
