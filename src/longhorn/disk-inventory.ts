/**
 * The Longhorn disks of the cluster as the scheduler and the Hosts screen see them: per disk its
 * maximum, available (rounded), scheduled and reserved bytes, from the replicas on it
 * (longhorn/longhorn-manager:controller/node_controller.go; docs/model/longhorn.md, "Accounting").
 *
 * The per-disk sums (scheduled: Σ nominal size, actual: Σ used bytes of the replicas placed there,
 * failed ones included) are kept up to date as replicas are placed and removed (`replicaPlaced`,
 * `replicaRemoved`), the way longhorn-manager's node controller keeps `status.diskStatus` rather than
 * recounting on every scheduling decision. The sums are of whole bytes, so the order of additions
 * cannot change them. Reads the model's node and volume tables; changes nothing else.
 */
import type { LonghornSettings } from '../profiles/types.ts';
import type { DiskKind, ScenarioNode } from '../scenario/types.ts';
import {
  availableBytes,
  type DiskUsage,
  diskStatus,
  type HarvesterStorageView,
  harvesterStorageView,
} from './accounting.ts';
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

/** One Longhorn disk: what never changes, and the sums over the replicas placed on it. */
interface DiskEntry {
  readonly status: NodeStatus;
  readonly node: string;
  readonly disk: string;
  readonly maximumBytes: number;
  readonly otherUsedBytes: number;
  /** This is the node's default disk (it gets storage-reserved-percentage-for-default-disk). */
  readonly isDefault: boolean;
  readonly nodeTags: readonly string[];
  readonly diskTags: readonly string[];
  scheduledBytes: number;
  actualBytes: number;
}

const NO_TAGS: readonly string[] = [];

export class DiskInventory {
  /** Every Longhorn disk, nodes in scenario order, disks in node order. */
  private readonly entries: DiskEntry[] = [];
  /** `node/disk` → its entry. */
  private readonly byKey = new Map<string, DiskEntry>();

  constructor(
    private readonly nodes: ReadonlyMap<string, NodeStatus>,
    private readonly volumes: ReadonlyMap<string, Volume>,
    private readonly settings: LonghornSettings,
    private readonly parameters: LonghornModelParameters,
    options: LonghornModelOptions,
  ) {
    for (const status of nodes.values()) {
      const node = status.spec;
      const defaultDisk = options.defaultDisk?.[node.name] ?? node.disks.find((d) => d.longhorn)?.name;
      for (const d of node.disks) {
        if (!d.longhorn) continue;
        const key = `${node.name}/${d.name}`;
        const entry: DiskEntry = {
          status,
          node: node.name,
          disk: d.name,
          maximumBytes: d.sizeBytes,
          otherUsedBytes: options.diskOtherUsedBytes?.[key] ?? 0,
          isDefault: d.name === defaultDisk,
          nodeTags: options.nodeTags?.[node.name] ?? NO_TAGS,
          diskTags: options.diskTags?.[key] ?? NO_TAGS,
          scheduledBytes: 0,
          actualBytes: 0,
        };
        this.entries.push(entry);
        this.byKey.set(key, entry);
      }
    }
  }

  /** A replica of `v` now has a disk (created placed, or placed later). */
  replicaPlaced(v: Volume, r: Replica): void {
    this.add(v, r, 1);
  }

  /** A placed replica of `v` is deleted (call before it leaves the volume). */
  replicaRemoved(v: Volume, r: Replica): void {
    this.add(v, r, -1);
  }

  /** Every Longhorn disk's usage from the replicas on it, leaving out the replicas given. */
  usages(without?: ReadonlySet<Replica>): DiskUsage[] {
    const usages: DiskUsage[] = [];
    for (const e of this.entries) {
      usages.push({
        node: e.node,
        disk: e.disk,
        maximumBytes: e.maximumBytes,
        otherUsedBytes: e.otherUsedBytes,
        replicaActualBytes: e.actualBytes,
        scheduledBytes: e.scheduledBytes,
        reservedBytes: this.reservedBytes(e),
      });
    }
    if (without !== undefined && without.size > 0) return this.leaveOut(usages, without);
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
    const cordonBlocks = this.settings.disableSchedulingOnCordonedNode;
    // Built straight from the sums (no usage or status objects in between): this runs per placement.
    const usages = without !== undefined && without.size > 0 ? this.usages(without) : null;
    const disks: SchedulingDisk[] = new Array(this.entries.length);
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i];
      const scheduled = usages === null ? e.scheduledBytes : usages[i].scheduledBytes;
      const actual = usages === null ? e.actualBytes : usages[i].replicaActualBytes;
      disks[i] = {
        node: e.node,
        disk: e.disk,
        zone: e.status.spec.zone,
        nodeReady: e.status.ready,
        nodeSchedulable: !(e.status.cordoned && cordonBlocks),
        nodeTags: e.nodeTags,
        diskTags: e.diskTags,
        maximumBytes: e.maximumBytes,
        availableBytes: availableBytes(e.maximumBytes, e.otherUsedBytes, actual, rounding),
        reservedBytes: this.reservedBytes(e),
        scheduledBytes: scheduled,
      };
    }
    return disks;
  }

  diskKind(node: string, disk: string | null): DiskKind {
    return this.nodes.get(node)?.spec.disks.find((d) => d.name === disk)?.kind ?? 'ssd';
  }

  private add(v: Volume, r: Replica, sign: 1 | -1): void {
    if (r.node === null || r.disk === null) return;
    const e = this.byKey.get(`${r.node}/${r.disk}`);
    if (e === undefined) return;
    e.scheduledBytes += sign * v.spec.sizeBytes;
    e.actualBytes += sign * v.spec.usedBytes;
  }

  /** The usages with the given replicas' bytes taken off their disks. */
  private leaveOut(usages: DiskUsage[], without: ReadonlySet<Replica>): DiskUsage[] {
    const index = new Map<string, number>();
    for (let i = 0; i < usages.length; i++) index.set(`${usages[i].node}/${usages[i].disk}`, i);
    for (const r of without) {
      if (r.node === null || r.disk === null) continue;
      const i = index.get(`${r.node}/${r.disk}`);
      if (i === undefined) continue;
      const u = usages[i];
      const v = this.volumes.get(r.volume);
      if (v === undefined || !v.replicas.includes(r)) continue;
      usages[i] = {
        ...u,
        scheduledBytes: u.scheduledBytes - v.spec.sizeBytes,
        replicaActualBytes: u.replicaActualBytes - v.spec.usedBytes,
      };
    }
    return usages;
  }

  /** storage-reserved-percentage-for-default-disk on the default disk (the first Longhorn disk unless set). */
  private reservedBytes(e: DiskEntry): number {
    return e.isDefault
      ? Math.floor((e.maximumBytes * this.settings.storageReservedPercentageForDefaultDisk) / 100)
      : 0;
  }
}
