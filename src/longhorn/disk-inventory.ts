/**
 * The Longhorn disks of the cluster as the scheduler and the Hosts screen see them: per disk its
 * maximum, available (rounded), scheduled and reserved bytes, computed from the replicas on it
 * (longhorn/longhorn-manager:controller/node_controller.go; docs/model/longhorn.md, "Accounting"). Reads
 * the model's node and volume tables; changes nothing.
 */
import type { LonghornSettings } from '../profiles/types.ts';
import type { DiskKind, ScenarioNode } from '../scenario/types.ts';
import { type DiskUsage, diskStatus, type HarvesterStorageView, harvesterStorageView } from './accounting.ts';
import type { LonghornModelParameters } from './defaults.ts';
import type { LonghornModelOptions } from './options.ts';
import type { Replica } from './replica.ts';
import type { SchedulingDisk } from './scheduling.ts';
import type { Volume } from './volume.ts';

export interface NodeStatus {
  readonly spec: ScenarioNode;
  /** Powered, Ready, instance manager running. */
  ready: boolean;
  cordoned: boolean;
}

export class DiskInventory {
  constructor(
    private readonly nodes: ReadonlyMap<string, NodeStatus>,
    private readonly volumes: ReadonlyMap<string, Volume>,
    private readonly settings: LonghornSettings,
    private readonly parameters: LonghornModelParameters,
    private readonly options: LonghornModelOptions,
  ) {}

  /** Every Longhorn disk's usage from the replicas on it, leaving out the replicas given. */
  usages(without?: ReadonlySet<Replica>): DiskUsage[] {
    const usages: DiskUsage[] = [];
    for (const status of this.nodes.values()) {
      const node = status.spec;
      for (const d of node.disks.filter((x) => x.longhorn)) {
        let actual = 0;
        let scheduled = 0;
        for (const v of this.volumes.values()) {
          for (const r of v.replicas) {
            if (r.node !== node.name || r.disk !== d.name || without?.has(r)) continue;
            scheduled += v.spec.sizeBytes;
            actual += v.spec.usedBytes;
          }
        }
        usages.push({
          node: node.name,
          disk: d.name,
          maximumBytes: d.sizeBytes,
          otherUsedBytes: this.options.diskOtherUsedBytes?.[`${node.name}/${d.name}`] ?? 0,
          replicaActualBytes: actual,
          scheduledBytes: scheduled,
          reservedBytes: this.reservedBytes(node, d.name, d.sizeBytes),
        });
      }
    }
    return usages;
  }

  /** Disk status and Harvester's sums (Total, Used, Reserved). */
  view(): HarvesterStorageView {
    const rounding = this.parameters.storageAvailableRoundingBytes;
    const op = this.settings.storageOverProvisioningPercentage;
    return harvesterStorageView(this.usages().map((u) => diskStatus(u, rounding, op)));
  }

  /** What the replica scheduler sees of every disk (leaving out the replicas given). */
  schedulingDisks(without?: ReadonlySet<Replica>): SchedulingDisk[] {
    const rounding = this.parameters.storageAvailableRoundingBytes;
    const op = this.settings.storageOverProvisioningPercentage;
    return this.usages(without).map((u) => {
      const status = this.nodes.get(u.node) as NodeStatus;
      const computed = diskStatus(u, rounding, op);
      return {
        node: u.node,
        disk: u.disk,
        zone: status.spec.zone,
        nodeReady: status.ready,
        nodeSchedulable: !(status.cordoned && this.settings.disableSchedulingOnCordonedNode),
        nodeTags: this.options.nodeTags?.[u.node] ?? [],
        diskTags: this.options.diskTags?.[`${u.node}/${u.disk}`] ?? [],
        maximumBytes: computed.storageMaximum,
        availableBytes: computed.storageAvailable,
        reservedBytes: computed.storageReserved,
        scheduledBytes: computed.storageScheduled,
      };
    });
  }

  diskKind(node: string, disk: string | null): DiskKind {
    return this.nodes.get(node)?.spec.disks.find((d) => d.name === disk)?.kind ?? 'ssd';
  }

  /** storage-reserved-percentage-for-default-disk on the default disk (the first Longhorn disk unless set). */
  private reservedBytes(node: ScenarioNode, disk: string, sizeBytes: number): number {
    const defaultDisk = this.options.defaultDisk?.[node.name] ?? node.disks.find((d) => d.longhorn)?.name;
    return disk === defaultDisk
      ? Math.floor((sizeBytes * this.settings.storageReservedPercentageForDefaultDisk) / 100)
      : 0;
  }
}
