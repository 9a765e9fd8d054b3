import { describe, expect, it } from 'vitest';
import { isSchedulableToDisk, type SchedulingDisk, scheduleReplica } from '../../src/longhorn/scheduling.ts';

// longhorn/longhorn-manager:scheduler/replica_scheduler.go (IsSchedulableToDisk, getDiskCandidates,
// filterDisksWithMatchingReplicas); LW …/nodes/scheduling.md.

const GiB = 1024 ** 3;
const harvesterPolicy = {
  nodeSoftAntiAffinity: false,
  zoneSoftAntiAffinity: true,
  diskSoftAntiAffinity: true,
  overProvisioningPercentage: 200,
  minimalAvailablePercentage: 25,
};

function disk(node: string, extra: Partial<SchedulingDisk> = {}): SchedulingDisk {
  return {
    node,
    disk: 'data',
    zone: null,
    nodeReady: true,
    nodeSchedulable: true,
    nodeTags: [],
    diskTags: [],
    maximumBytes: 1000 * GiB,
    availableBytes: 1000 * GiB,
    reservedBytes: 300 * GiB,
    scheduledBytes: 0,
    ...extra,
  };
}

const request = {
  sizeBytes: 100 * GiB,
  actualBytes: 40 * GiB,
  nodeSelector: [],
  diskSelector: [],
  existing: [],
  replenishing: false,
};

describe('IsSchedulableToDisk (minimal available 25 %, over-provisioning 200 % on Harvester: overcommit_config.go)', () => {
  it('refuses when available − actual size would be at or below 25 % of the maximum', () => {
    // 1000 GiB disk: 25 % = 250 GiB. 290 GiB free − 40 GiB = 250 GiB → not strictly above → refused.
    const capacity = {
      maximumBytes: 1000 * GiB,
      availableBytes: 290 * GiB,
      reservedBytes: 0,
      scheduledBytes: 0,
    };
    expect(isSchedulableToDisk(100 * GiB, 40 * GiB, capacity, harvesterPolicy).ok).toBe(false);
    expect(
      isSchedulableToDisk(100 * GiB, 40 * GiB, { ...capacity, availableBytes: 291 * GiB }, harvesterPolicy)
        .ok,
    ).toBe(true);
  });

  it('allows size + scheduled up to (max − reserved) × 200 %: 1400 GiB on a 1000 GiB default disk', () => {
    // (1000 − 300) × 200 % = 1400 GiB. 1300 scheduled + 100 = 1400 fits; + 101 does not.
    const capacity = {
      maximumBytes: 1000 * GiB,
      availableBytes: 900 * GiB,
      reservedBytes: 300 * GiB,
      scheduledBytes: 1300 * GiB,
    };
    expect(isSchedulableToDisk(100 * GiB, 0, capacity, harvesterPolicy).ok).toBe(true);
    expect(isSchedulableToDisk(101 * GiB, 0, capacity, harvesterPolicy).ok).toBe(false);
    // Longhorn's own default of 100 %: 700 GiB is the limit.
    expect(
      isSchedulableToDisk(100 * GiB, 0, capacity, { ...harvesterPolicy, overProvisioningPercentage: 100 }).ok,
    ).toBe(false);
  });
});

describe('replica placement', () => {
  it('hard node anti-affinity (replica-soft-anti-affinity false): never two replicas on one node', () => {
    const disks = [disk('n1'), disk('n2')];
    const existing = [
      { node: 'n1', disk: 'data', failed: false, potentiallyReusable: false },
      { node: 'n2', disk: 'data', failed: false, potentiallyReusable: false },
    ];
    const result = scheduleReplica(disks, { ...request, existing }, harvesterPolicy);
    expect(result).toMatchObject({ ok: false, reason: 'anti-affinity' });
    // With node soft anti-affinity on, the third replica shares a node (a second disk there is preferred).
    const twoDisks = [...disks, disk('n1', { disk: 'extra' })];
    const soft = scheduleReplica(
      twoDisks,
      { ...request, existing },
      { ...harvesterPolicy, nodeSoftAntiAffinity: true },
    );
    expect(soft).toEqual({ ok: true, node: 'n1', disk: 'extra' });
  });

  it('soft zone anti-affinity: an unused zone first, a used zone when no other is left', () => {
    const disks = [
      disk('n1', { zone: 'a' }),
      disk('n2', { zone: 'a', availableBytes: 1000 * GiB }),
      disk('n3', { zone: 'b', availableBytes: 500 * GiB }),
    ];
    const existing = [{ node: 'n1', disk: 'data', failed: false, potentiallyReusable: false }];
    // n2 has more space but shares zone a with n1: n3 (zone b) wins.
    expect(scheduleReplica(disks, { ...request, existing }, harvesterPolicy)).toEqual({
      ok: true,
      node: 'n3',
      disk: 'data',
    });
    const both = [...existing, { node: 'n3', disk: 'data', failed: false, potentiallyReusable: false }];
    expect(scheduleReplica(disks, { ...request, existing: both }, harvesterPolicy)).toEqual({
      ok: true,
      node: 'n2',
      disk: 'data',
    });
    // Hard zone anti-affinity: no second replica in zone a.
    expect(
      scheduleReplica(
        disks,
        { ...request, existing: both },
        { ...harvesterPolicy, zoneSoftAntiAffinity: false },
      ),
    ).toMatchObject({ ok: false });
  });

  it('cordoned or not-Ready nodes get no replica (disable-scheduling-on-cordoned-node)', () => {
    const disks = [disk('n1', { nodeSchedulable: false }), disk('n2', { nodeReady: false }), disk('n3')];
    expect(scheduleReplica(disks, request, harvesterPolicy)).toEqual({ ok: true, node: 'n3', disk: 'data' });
    expect(scheduleReplica(disks.slice(0, 2), request, harvesterPolicy)).toMatchObject({
      ok: false,
      reason: 'node-unavailable',
    });
  });

  it('disk and node tags must contain the volume selectors', () => {
    const disks = [disk('n1', { diskTags: ['ssd'] }), disk('n2', { diskTags: ['nvme'] })];
    expect(scheduleReplica(disks, { ...request, diskSelector: ['nvme'] }, harvesterPolicy)).toEqual({
      ok: true,
      node: 'n2',
      disk: 'data',
    });
    expect(scheduleReplica(disks, { ...request, diskSelector: ['hdd'] }, harvesterPolicy)).toMatchObject({
      ok: false,
      reason: 'tags-not-fulfilled',
    });
    expect(scheduleReplica(disks, { ...request, nodeSelector: ['gpu'] }, harvesterPolicy)).toMatchObject({
      ok: false,
      reason: 'tags-not-fulfilled',
    });
  });

  it('the disk with the most usable space (available − reserved) wins', () => {
    const disks = [
      disk('n1', { availableBytes: 800 * GiB }),
      disk('n2', { availableBytes: 900 * GiB, reservedBytes: 0 }),
    ];
    expect(scheduleReplica(disks, request, harvesterPolicy)).toEqual({ ok: true, node: 'n2', disk: 'data' });
  });

  it('breaks a tie in usable space by node name as localeCompare sorts it (node-10 before node-9), or by nameOrder when every disk has one', () => {
    // localeCompare compares "node-1…" and "node-9" at the character after "node-": '1' < '9'.
    const tied = [disk('node-9'), disk('node-10')];
    expect(scheduleReplica(tied, request, harvesterPolicy)).toEqual({
      ok: true,
      node: 'node-10',
      disk: 'data',
    });
    // nameOrder is the same order precomputed (DiskInventory ranks its disks once); it decides alone.
    const ranked = [disk('node-9', { nameOrder: 0 }), disk('node-10', { nameOrder: 1 })];
    expect(scheduleReplica(ranked, request, harvesterPolicy)).toEqual({
      ok: true,
      node: 'node-9',
      disk: 'data',
    });
  });

  it('reports insufficient storage with the rule that failed', () => {
    const result = scheduleReplica([disk('n1', { availableBytes: 260 * GiB })], request, harvesterPolicy);
    expect(result).toMatchObject({ ok: false, reason: 'insufficient-storage' });
    expect(result.ok ? '' : result.message).toContain('minimal available');
  });

  it('a potentially reusable failed replica holds its node until replenishment starts', () => {
    const disks = [disk('n1'), disk('n2'), disk('n3')];
    const existing = [
      { node: 'n1', disk: 'data', failed: false, potentiallyReusable: false },
      { node: 'n2', disk: 'data', failed: false, potentiallyReusable: false },
      { node: 'n3', disk: 'data', failed: true, potentiallyReusable: true },
    ];
    expect(scheduleReplica(disks, { ...request, existing }, harvesterPolicy)).toMatchObject({ ok: false });
    expect(scheduleReplica(disks, { ...request, existing, replenishing: true }, harvesterPolicy)).toEqual({
      ok: true,
      node: 'n3',
      disk: 'data',
    });
  });
});
