import { describe, expect, it } from 'vitest';
import { allocatedPercent, harvesterStorageView, storageAvailable } from '../../src/longhorn/accounting.ts';
import { fixture, GiB } from './cluster-fixture.ts';

// KB harvester_resource_metrics_calculation: "Sum of the storageMaximum values of all disks: Total
// storage capacity"; "Total storage capacity - Sum of the storageAvailable values of all disks: Data
// source for the Used field"; "Sum of the storageReserved values of all disks: … the Reserved field".
// KB: "Longhorn allows you to specify the percentage of disk space that is not allocated to the default
// disk on each new Longhorn node. The default value is "30"." LW …/nodes/node-space-usage.md
// (Allocated); longhorn/go-common-libs:io/file.go (available rounded down to 100 MiB).

const MiB = 1024 ** 2;

describe('Harvester storage accounting, worked example', () => {
  // 3 nodes × one 1000 GiB default disk; one volume of 100 GiB nominal, 40 GiB written, 3 replicas.
  // Per disk: max 1000 GiB = 1,024,000 MiB; free = 1,024,000 − 40,960 = 983,040 MiB, rounded down to
  // 100 MiB → 983,000 MiB; reserved 30 % = 300 GiB; scheduled 100 GiB.
  // Total = 3000 GiB; Used = 3 × (1,024,000 − 983,000) MiB = 123,000 MiB; Reserved = 900 GiB.
  // Allocated = 100 / ((1000 − 300) × 200 %) = 7.142857… %.
  const f = fixture({ diskSize: '1000Gi', volumes: [{ name: 'vol-1', size: '100Gi', used: '40Gi' }] });

  it('Total = Σ storageMaximum, Used = Total − Σ storageAvailable, Reserved = Σ storageReserved', () => {
    const view = f.model.storageView();
    expect(view.totalBytes).toBe(3000 * GiB);
    expect(view.usedBytes).toBe(123_000 * MiB);
    expect(view.reservedBytes).toBe(900 * GiB);
    expect(view.disks.map((d) => d.storageAvailable)).toEqual([983_000 * MiB, 983_000 * MiB, 983_000 * MiB]);
    expect(view.disks.map((d) => d.storageScheduled)).toEqual([100 * GiB, 100 * GiB, 100 * GiB]);
  });

  it('Allocated = scheduled / ((max − reserved) × over-provisioning %)', () => {
    expect(f.model.storageView().disks[0].allocatedPercent).toBeCloseTo(100 / 14, 10);
    expect(allocatedPercent(700 * GiB, 1000 * GiB, 300 * GiB, 100)).toBe(100);
  });

  it('the accounting record carries the same sums (evaluation reads the trace)', () => {
    const record = f.records('storage.accounting')[0];
    expect(record.data).toMatchObject({
      totalBytes: 3000 * GiB,
      usedBytes: 123_000 * MiB,
      reservedBytes: 900 * GiB,
    });
  });
});

describe('storage accounting rules', () => {
  it('storageAvailable is rounded down to 100 MiB', () => {
    const usage = {
      node: 'n1',
      disk: 'd',
      maximumBytes: 1000 * MiB,
      otherUsedBytes: 1,
      replicaActualBytes: 0,
      scheduledBytes: 0,
      reservedBytes: 0,
    };
    expect(storageAvailable(usage, 100 * MiB)).toBe(900 * MiB);
  });

  it('Used includes what is not Longhorn data on the disk', () => {
    const view = harvesterStorageView([
      {
        node: 'n1',
        disk: 'd',
        storageMaximum: 10,
        storageAvailable: 4,
        storageScheduled: 0,
        storageReserved: 3,
        allocatedPercent: 0,
      },
      {
        node: 'n2',
        disk: 'd',
        storageMaximum: 10,
        storageAvailable: 10,
        storageScheduled: 0,
        storageReserved: 0,
        allocatedPercent: 0,
      },
    ]);
    expect(view).toMatchObject({ totalBytes: 20, usedBytes: 6, reservedBytes: 3 });
  });

  it('a failed replica keeps counting toward storageScheduled (every replica CR on the disk, node_controller.go)', () => {
    const f = fixture({ diskSize: '1000Gi' });
    f.at(100, () => f.model.nodePoweredOff('n2', 'power-loss'));
    f.sim.run({ until: 200 });
    expect(f.model.replicas('default/vol-1').find((r) => r.node === 'n2')?.failedAtSeconds).toBe(108);
    expect(f.model.storageView().disks.find((d) => d.node === 'n2')?.storageScheduled).toBe(100 * GiB);
  });

  it('only the default disk reserves 30 %; a second Longhorn disk reserves 0', () => {
    const f = fixture({ diskSize: '1000Gi', options: { defaultDisk: { n1: 'other' } } });
    const reserved = f.model.storageView().disks.map((d) => d.storageReserved);
    expect(reserved).toEqual([0, 300 * GiB, 300 * GiB]);
  });
});

describe('the disks’ kept sums (disk-inventory.ts) equal a recount of the replica CRs on each disk', () => {
  // node_controller.go: storageScheduled is Σ spec.volumeSize of every replica CR on the disk. The model
  // keeps the sums as replicas are created, placed and deleted (issue 10); a recount must agree.
  const recount = (f: ReturnType<typeof fixture>) =>
    f.model.storageView().disks.map((d) => {
      let scheduled = 0;
      for (const v of f.scenario.volumes) {
        if (v.provisioner.kind !== 'longhorn') continue;
        for (const r of f.model.replicas(`${v.namespace}/${v.name}`))
          if (r.node === d.node && r.disk === d.disk) scheduled += v.sizeBytes;
      }
      return scheduled;
    });

  it('after a power loss, the stale failed replica’s deletion and its replacement', () => {
    const f = fixture({ diskSize: '1000Gi', nodes: 4, settings: { staleReplicaTimeoutSeconds: 60 } });
    f.model.vmStarted({ namespace: 'default', name: 'vm-1' }, 'n1');
    f.at(100, () => f.model.nodePoweredOff('n2', 'power-loss'));
    f.sim.run({ until: 4000 });
    expect(f.records('replica.deleted').length).toBeGreaterThan(0);
    expect(f.records('replica.created').length).toBeGreaterThan(0);
    expect(f.model.storageView().disks.map((d) => d.storageScheduled)).toEqual(recount(f));
  });
});
