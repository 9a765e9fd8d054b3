import { describe, expect, it } from 'vitest';
import type { Replica } from '../../src/longhorn/replica.ts';
import { deriveRobustness } from '../../src/longhorn/robustness.ts';

// longhorn/longhorn-manager:controller/volume_controller.go (ReconcileVolumeState):
// engine unknown → unknown; detached → unknown unless faulted; H ≥ N healthy; 0 < H < N degraded;
// no healthy replica → faulted. KB: `kubectl get volume` shows "detached unknown" for stopped VMs.

function replica(mode: Replica['mode'], failed = false): Replica {
  return {
    name: 'r',
    volume: 'v',
    node: 'n1',
    disk: 'd',
    mode,
    failedAtSeconds: failed ? 1 : null,
    healthyAtSeconds: 0,
    rebuildRetryCount: 0,
    missedBytes: 0,
    headBytesAtFailure: 0,
    awaitingRebuild: false,
  };
}

const base = { state: 'attached' as const, engineLost: false, faulted: false, wantedReplicas: 3 };

describe('robustness as Longhorn derives it', () => {
  it('H ≥ N is healthy, 0 < H < N degraded, H = 0 faulted', () => {
    expect(deriveRobustness({ ...base, replicas: [replica('RW'), replica('RW'), replica('RW')] })).toBe(
      'healthy',
    );
    expect(
      deriveRobustness({ ...base, replicas: [replica('RW'), replica('RW'), replica('ERR', true)] }),
    ).toBe('degraded');
    expect(
      deriveRobustness({ ...base, replicas: [replica('RW'), replica('WO'), replica('ERR', true)] }),
    ).toBe('degraded');
    expect(deriveRobustness({ ...base, replicas: [replica('ERR', true), replica('ERR', true)] })).toBe(
      'faulted',
    );
  });

  it('a detached volume is unknown, never degraded (KB: "detached unknown")', () => {
    expect(
      deriveRobustness({ ...base, state: 'detached', replicas: [replica(null), replica('ERR', true)] }),
    ).toBe('unknown');
  });

  it("losing the engine's node makes the volume unknown", () => {
    expect(
      deriveRobustness({
        ...base,
        engineLost: true,
        replicas: [replica('RW'), replica('RW'), replica('RW')],
      }),
    ).toBe('unknown');
  });
});
