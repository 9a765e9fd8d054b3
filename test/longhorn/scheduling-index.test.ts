/**
 * The scheduling index (disks in pick order, kept by DiskInventory) is a speed-up only: over any
 * disks, replicas, zones, cordons and policies, a placement through the index picks the disk the
 * full scan picks (longhorn/longhorn-manager:scheduler/replica_scheduler.go `getDiskCandidates`:
 * stages by node and zone, then the disk with the most usable space), and the same failure.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { type SchedulingDisk, type SchedulingIndex, scheduleReplica } from '../../src/longhorn/scheduling.ts';
import { assertProperty } from '../fast-check-seed.ts';

const GiB = 1024 ** 3;
const nodes = ['node-1', 'node-10', 'node-2', 'node-9'];

const diskArb = fc.record({
  node: fc.constantFrom(...nodes),
  disk: fc.constantFrom('a', 'b'),
  zone: fc.constantFrom(null, 'z1', 'z2'),
  nodeReady: fc.boolean(),
  nodeSchedulable: fc.boolean(),
  availableGiB: fc.integer({ min: 0, max: 10 }).map((x) => x * 100),
  reservedGiB: fc.constantFrom(0, 300),
  scheduledGiB: fc.integer({ min: 0, max: 20 }).map((x) => x * 100),
});

/** What DiskInventory builds: names ranked as localeCompare orders them, then the pick order. */
function indexOf(disks: SchedulingDisk[]): SchedulingIndex {
  const ordered = [...disks].sort(
    (a, b) =>
      b.availableBytes - b.reservedBytes - (a.availableBytes - a.reservedBytes) ||
      (a.nameOrder as number) - (b.nameOrder as number) ||
      disks.indexOf(a) - disks.indexOf(b),
  );
  return { ordered, disksOf: (node) => disks.filter((d) => d.node === node) };
}

describe('scheduling index', () => {
  it('picks what the full scan picks, for any disks, replicas, preferred node and policy', () => {
    assertProperty(
      fc.property(
        fc.uniqueArray(diskArb, { minLength: 1, maxLength: 8, selector: (d) => `${d.node}/${d.disk}` }),
        fc.array(fc.record({ at: fc.nat(), failed: fc.boolean(), potentiallyReusable: fc.boolean() }), {
          maxLength: 3,
        }),
        fc.option(fc.constantFrom(...nodes), { nil: null }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (specs, replicas, preferNode, replenishing, nodeSoft, zoneSoft, diskSoft) => {
          const names = specs.map((d) => `${d.node}/${d.disk}`);
          const sorted = [...specs].sort(
            (a, b) => a.node.localeCompare(b.node) || a.disk.localeCompare(b.disk),
          );
          const disks: SchedulingDisk[] = specs.map((d) => ({
            node: d.node,
            disk: d.disk,
            zone: d.zone,
            nodeReady: d.nodeReady,
            nodeSchedulable: d.nodeSchedulable,
            nodeTags: [],
            diskTags: [],
            maximumBytes: 1000 * GiB,
            availableBytes: d.availableGiB * GiB,
            reservedBytes: d.reservedGiB * GiB,
            scheduledBytes: d.scheduledGiB * GiB,
            nameOrder: sorted.indexOf(d),
          }));
          const existing = replicas.map((r) => {
            const [node, disk] = names[r.at % names.length].split('/');
            return { node, disk, failed: r.failed, potentiallyReusable: r.potentiallyReusable };
          });
          const request = {
            sizeBytes: 100 * GiB,
            actualBytes: 40 * GiB,
            nodeSelector: [],
            diskSelector: [],
            existing,
            replenishing,
            preferNode,
          };
          const policy = {
            nodeSoftAntiAffinity: nodeSoft,
            zoneSoftAntiAffinity: zoneSoft,
            diskSoftAntiAffinity: diskSoft,
            overProvisioningPercentage: 200,
            minimalAvailablePercentage: 25,
          };
          const full = scheduleReplica(disks, request, policy);
          const indexed = scheduleReplica(disks, request, policy, indexOf(disks));
          if (JSON.stringify(full) !== JSON.stringify(indexed))
            throw new Error(`full ${JSON.stringify(full)} ≠ indexed ${JSON.stringify(indexed)}`);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
