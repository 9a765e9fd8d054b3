import { describe, expect, it } from 'vitest';
import { admit, requeueDelaySeconds } from '../../../src/kubevirt/controller/admission.ts';
import { migrationBackoff } from '../../../src/kubevirt/controller/backoff.ts';
import { migrationControllerTiming } from '../../../src/kubevirt/controller/defaults.ts';

// kubevirt/kubevirt:pkg/virt-controller/watch/migration/migration.go handleTargetPodCreation,
// getRequeueDelayForPriority, handleMigrationBackoff, garbageCollectFinalizedMigrations.

const limits = { parallelMigrationsPerCluster: 5, parallelOutboundMigrationsPerNode: 2 };
const holders = (...nodes: string[]) => nodes.map((sourceNode) => ({ sourceNode }));

describe('admission (handleTargetPodCreation)', () => {
  it('admits below both limits', () => {
    expect(admit('n1', 0, holders('n1', 'n2'), limits)).toEqual({ admitted: true });
  });
  it('refuses at the cluster limit (>= parallelMigrationsPerCluster), checked before the node limit', () => {
    expect(admit('n1', 0, holders('n1', 'n1', 'n2', 'n3', 'n4'), limits)).toEqual({
      admitted: false,
      reason: 'cluster-limit',
      delaySeconds: 5,
    });
  });
  it('refuses at the outbound limit of the source node (>= parallelOutboundMigrationsPerNode)', () => {
    expect(admit('n1', 100, holders('n1', 'n1'), limits)).toEqual({
      admitted: false,
      reason: 'node-limit',
      delaySeconds: 1,
    });
  });
  it('has no inbound limit: any number may target one node', () => {
    expect(admit('n5', 0, holders('n1', 'n2', 'n3', 'n4'), limits)).toEqual({ admitted: true });
  });
});

describe('requeue delay by priority (getRequeueDelayForPriority)', () => {
  it('≥ 100 → 1 s, ≥ 50 → 3 s, else 5 s', () => {
    expect([1000, 100, 99, 50, 49, 20, 0].map((p) => requeueDelaySeconds(p))).toEqual([1, 1, 3, 3, 5, 5, 5]);
  });
  it('without the priority queue: 5 s for all', () => {
    const v16 = migrationControllerTiming('v1.6.0');
    expect([100, 50, 0].map((p) => requeueDelaySeconds(p, v16))).toEqual([5, 5, 5]);
    expect(v16.priorityQueue).toBe(false);
  });
  it('the priority queue is on by default from v1.9 (GA); v1.7 and v1.8 need the gate', () => {
    expect(migrationControllerTiming('v1.7.0').priorityQueue).toBe(false);
    expect(migrationControllerTiming('v1.8.0').priorityQueue).toBe(false);
    expect(migrationControllerTiming('v1.8.0', { priorityQueueGate: true }).priorityQueue).toBe(true);
    expect(migrationControllerTiming('v1.6.0', { priorityQueueGate: true }).priorityQueue).toBe(false);
    expect(migrationControllerTiming('v1.9.0').priorityQueue).toBe(true);
    expect(requeueDelaySeconds(100, migrationControllerTiming('v1.8.0'))).toBe(5);
    expect(requeueDelaySeconds(100, migrationControllerTiming('v1.8.0', { priorityQueueGate: true }))).toBe(
      1,
    );
  });
});

describe('retry backoff (handleMigrationBackoff)', () => {
  const failed = (t: number) => ({ origin: 'evacuation' as const, succeeded: false, finishedAtSeconds: t });
  const succeeded = (t: number) => ({ origin: 'evacuation' as const, succeeded: true, finishedAtSeconds: t });

  it('none for the first evacuation VMIM of a VMI', () => {
    expect(migrationBackoff('evacuation', [], 0).remainingSeconds).toBe(0);
  });
  it('20 s after one failure, measured from the failure', () => {
    expect(migrationBackoff('evacuation', [failed(100)], 105)).toEqual({
      consecutiveFailures: 1,
      backoffSeconds: 20,
      remainingSeconds: 15,
    });
  });
  it('doubles per consecutive failure: 20, 40, 80, 160, 320', () => {
    const history = [failed(1), failed(2), failed(3), failed(4), failed(5)];
    const backoffs = [1, 2, 3, 4, 5].map(
      (n) => migrationBackoff('evacuation', history.slice(0, n), 5).backoffSeconds,
    );
    expect(backoffs).toEqual([20, 40, 80, 160, 320]);
  });
  it('a success resets the count', () => {
    expect(
      migrationBackoff('evacuation', [failed(1), failed(2), succeeded(3), failed(4)], 4).backoffSeconds,
    ).toBe(20);
    expect(migrationBackoff('evacuation', [failed(1), succeeded(2)], 2).backoffSeconds).toBe(0);
  });
  it('user VMIMs neither back off nor count', () => {
    const user = { origin: 'user' as const, succeeded: false, finishedAtSeconds: 1 };
    expect(migrationBackoff('user', [failed(1)], 1).backoffSeconds).toBe(0);
    expect(migrationBackoff('evacuation', [user, user], 1).backoffSeconds).toBe(0);
  });
  it('workload-update VMIMs back off like evacuations', () => {
    const wu = { origin: 'workload-update' as const, succeeded: false, finishedAtSeconds: 0 };
    expect(migrationBackoff('workload-update', [wu], 0).backoffSeconds).toBe(20);
  });
  it('the 5 retained finalized VMIMs cap it at 320 s', () => {
    const t = migrationControllerTiming();
    expect(t.backoffInitialSeconds * t.backoffFactor ** (t.finalizedMigrationsKept - 1)).toBe(320);
  });
});
