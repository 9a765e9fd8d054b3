import { describe, expect, it } from 'vitest';
import { MemorySink, Simulation } from '../../sim/index.ts';
import { NodeLifecycle } from '../../src/kube/node-lifecycle.ts';
import { profileFor } from '../../src/profiles/profile.ts';
import { Recorder } from '../../src/trace/recorder.ts';

function setup(harvesterVersion: string) {
  const sim = new Simulation();
  const memory = sim.trace.addSink(new MemorySink());
  const settings = profileFor(harvesterVersion).settings;
  const reset: string[] = [];
  const lifecycle = new NodeLifecycle(
    ['n1', 'n2'],
    settings.kubernetes,
    settings.harvester,
    new Recorder(sim, 'nodes'),
    new Recorder(sim, 'kube'),
    { outOfService: (node) => reset.push(node), ready: () => {} },
  );
  return { lifecycle, memory, reset, settings };
}

/** Ticks every 5 s (node-monitor-period) with n2's kubelet silent from t=0. */
function tickUntil(lifecycle: NodeLifecycle, endSeconds: number, api = () => true) {
  for (let t = 5; t <= endSeconds; t += 5) lifecycle.tick(t, api(), (node) => node === 'n1');
}

describe('node lifecycle (controlplane.md §5)', () => {
  it('marks a silent node Unknown after node-monitor-grace-period 40 s (Kubernetes < 1.32)', () => {
    const { lifecycle, settings } = setup('1.3.0');
    expect(settings.kubernetes.nodeMonitorGracePeriodSeconds).toBe(40);
    tickUntil(lifecycle, 40);
    expect(lifecycle.isReady('n2')).toBe(true);
    tickUntil(lifecycle, 45);
    expect(lifecycle.isReady('n2')).toBe(false);
    expect(lifecycle.taints('n2').get('node.kubernetes.io/unreachable')).toBe('NoExecute');
    expect(lifecycle.isReady('n1')).toBe(true);
  });

  it('before v1.7.0 force-deletes the VMIs `period` (300 s) after Unknown, with no taint (node_down_controller.go v1.6.1)', () => {
    const { lifecycle, reset, settings } = setup('1.6.1');
    // Unknown at the first 5 s tick past the grace period; the force delete `period` later.
    const unknownAt = settings.kubernetes.nodeMonitorGracePeriodSeconds + 5;
    tickUntil(lifecycle, unknownAt + 300 - 5);
    expect(reset).toEqual([]);
    tickUntil(lifecycle, unknownAt + 300);
    expect(reset).toEqual(['n2']);
    expect([...lifecycle.taints('n2').keys()]).toEqual(['node.kubernetes.io/unreachable']);
    tickUntil(lifecycle, 1000);
    expect(reset).toEqual(['n2']);
  });

  it('from v1.7.0 adds kubevirt.io/drain 15 s after Unknown and out-of-service 180 s later (vm-force-reset-policy)', () => {
    const { lifecycle, reset, settings } = setup('1.7.0');
    const unknownAt = settings.kubernetes.nodeMonitorGracePeriodSeconds + 5;
    tickUntil(lifecycle, unknownAt + 10);
    expect(lifecycle.taints('n2').has('kubevirt.io/drain')).toBe(false);
    tickUntil(lifecycle, unknownAt + 15);
    expect(lifecycle.taints('n2').get('kubevirt.io/drain')).toBe('NoSchedule');
    tickUntil(lifecycle, unknownAt + 15 + 175);
    expect(reset).toEqual([]);
    tickUntil(lifecycle, unknownAt + 15 + 180);
    expect(lifecycle.taints('n2').get('node.kubernetes.io/out-of-service')).toBe('NoExecute');
    expect(reset).toEqual(['n2']);
  });

  it('changes nothing while the API is down, then gives every node a fresh grace period', () => {
    const { lifecycle } = setup('1.3.0');
    tickUntil(lifecycle, 100, () => false);
    expect(lifecycle.isReady('n2')).toBe(true);
    lifecycle.tick(105, true, (node) => node === 'n1');
    expect(lifecycle.isReady('n2')).toBe(true);
    lifecycle.tick(145, true, (node) => node === 'n1');
    expect(lifecycle.isReady('n2')).toBe(true);
    lifecycle.tick(150, true, (node) => node === 'n1');
    expect(lifecycle.isReady('n2')).toBe(false);
  });

  it('clears the taints when the node is Ready again', () => {
    const { lifecycle, memory } = setup('1.7.0');
    tickUntil(lifecycle, 300);
    lifecycle.tick(305, true, () => true);
    expect(lifecycle.isReady('n2')).toBe(true);
    expect(lifecycle.taints('n2').size).toBe(0);
    const removed = memory.records.filter((r) => r.kind === 'taint.removed').map((r) => r.data.taint);
    expect(removed).toEqual([
      'node.kubernetes.io/unreachable',
      'kubevirt.io/drain',
      'node.kubernetes.io/out-of-service',
    ]);
  });
});
