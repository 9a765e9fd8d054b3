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
import type { SchedulingDisk, SchedulingIndex } from './scheduling.ts';
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
  /** What the scheduler sees of this disk, kept up to date and handed out again (no copy per placement). */
  readonly scheduling: MutableSchedulingDisk;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type MutableSchedulingDisk = Mutable<SchedulingDisk>;

const NO_TAGS: readonly string[] = [];
const NO_DISKS: readonly SchedulingDisk[] = [];

export class DiskInventory {
  /** Every Longhorn disk, nodes in scenario order, disks in node order. */
  private readonly entries: DiskEntry[] = [];
  /** The array `schedulingDisks()` hands out, one per entry. */
  private readonly current: SchedulingDisk[] = [];
  /** The same disks in pick order (`SchedulingIndex`), kept sorted as their space changes. */
  private readonly ordered: MutableSchedulingDisk[] = [];
  private readonly position = new Map<SchedulingDisk, number>();
  private readonly disksByNode = new Map<string, SchedulingDisk[]>();
  /** The same lists with their node's status, in an array (`schedulingDisks` walks it per placement). */
  private readonly nodeDisks: { readonly status: NodeStatus; readonly disks: MutableSchedulingDisk[] }[] = [];
  /** node → disk → entry (no `node/disk` string per placement). */
  private readonly entryOf = new Map<string, Map<string, DiskEntry>>();
  /** A node's `ready` or `cordoned` changed since the disks last copied them. */
  private flagsStale = true;
  private readonly index: SchedulingIndex = {
    ordered: this.ordered,
    disksOf: (node) => this.disksByNode.get(node) ?? NO_DISKS,
  };

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
        const otherUsedBytes = options.diskOtherUsedBytes?.[key] ?? 0;
        const isDefault = d.name === defaultDisk;
        const nodeTags = options.nodeTags?.[node.name] ?? NO_TAGS;
        const diskTags = options.diskTags?.[key] ?? NO_TAGS;
        const entry: DiskEntry = {
          status,
          node: node.name,
          disk: d.name,
          maximumBytes: d.sizeBytes,
          otherUsedBytes,
          isDefault,
          nodeTags,
          diskTags,
          scheduledBytes: 0,
          actualBytes: 0,
          scheduling: {
            node: node.name,
            disk: d.name,
            zone: node.zone,
            nodeReady: status.ready,
            nodeSchedulable: true,
            nodeTags,
            diskTags,
            maximumBytes: d.sizeBytes,
            availableBytes: 0,
            reservedBytes: 0,
            scheduledBytes: 0,
            nameOrder: 0,
          },
        };
        this.entries.push(entry);
        const disks = this.entryOf.get(node.name) ?? new Map<string, DiskEntry>();
        disks.set(d.name, entry);
        this.entryOf.set(node.name, disks);
      }
    }
    // Name order as the scheduler's tie-break collates it (node, then disk; localeCompare).
    const byName = [...this.entries].sort(
      (a, b) => a.node.localeCompare(b.node) || a.disk.localeCompare(b.disk),
    );
    for (let i = 0; i < byName.length; i++) {
      const previous = i > 0 ? byName[i - 1] : null;
      const same =
        previous !== null &&
        previous.node.localeCompare(byName[i].node) === 0 &&
        previous.disk.localeCompare(byName[i].disk) === 0;
      byName[i].scheduling.nameOrder = same ? (previous as DiskEntry).scheduling.nameOrder : i;
    }
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i];
      this.position.set(e.scheduling, i);
      e.scheduling.reservedBytes = this.reservedBytes(e);
      e.scheduling.availableBytes = this.available(e);
      this.ordered.push(e.scheduling);
      this.current.push(e.scheduling);
      let list = this.disksByNode.get(e.node) as MutableSchedulingDisk[] | undefined;
      if (list === undefined) {
        list = [];
        this.disksByNode.set(e.node, list);
        this.nodeDisks.push({ status: e.status, disks: list });
      }
      list.push(e.scheduling);
    }
    this.ordered.sort((a, b) => this.pickOrder(a, b));
  }

  /**
   * The disks in pick order, valid after `schedulingDisks()` (which refreshes the node flags) and
   * until the next change.
   */
  schedulingIndex(): SchedulingIndex {
    return this.index;
  }

  /** `pick`'s order: most usable space (available − reserved) first, then names, then entry order. */
  private pickOrder(a: SchedulingDisk, b: SchedulingDisk): number {
    return (
      b.availableBytes - b.reservedBytes - (a.availableBytes - a.reservedBytes) ||
      (a.nameOrder as number) - (b.nameOrder as number) ||
      (this.position.get(a) as number) - (this.position.get(b) as number)
    );
  }

  /** A node's `ready` or `cordoned` was written: `schedulingDisks` copies the flags again. */
  nodeFlagsChanged(): void {
    this.flagsStale = true;
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

  /**
   * What the replica scheduler sees of every disk (leaving out the replicas given). Without replicas
   * to leave out, the disks are the inventory's own, refreshed (valid until the next change: the
   * scheduler reads them at once).
   */
  schedulingDisks(without?: ReadonlySet<Replica>): readonly SchedulingDisk[] {
    const rounding = this.parameters.storageAvailableRoundingBytes;
    const cordonBlocks = this.settings.disableSchedulingOnCordonedNode;
    if (without === undefined || without.size === 0) {
      // A node's flags are copied to its disks only when they changed (per node, not per disk), and
      // the nodes are looked at only after a write of their flags.
      if (!this.flagsStale) return this.current;
      this.flagsStale = false;
      for (const { status, disks } of this.nodeDisks) {
        const ready = status.ready;
        const schedulable = !(status.cordoned && cordonBlocks);
        const first = disks[0];
        if (first.nodeReady === ready && first.nodeSchedulable === schedulable) continue;
        for (const d of disks) {
          d.nodeReady = ready;
          d.nodeSchedulable = schedulable;
        }
      }
      return this.current;
    }
    // Built straight from the sums (no usage or status objects in between).
    const usages = this.usages(without);
    const disks: SchedulingDisk[] = new Array(this.entries.length);
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i];
      const scheduled = usages[i].scheduledBytes;
      const actual = usages[i].replicaActualBytes;
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
        nameOrder: e.scheduling.nameOrder,
      };
    }
    return disks;
  }

  diskKind(node: string, disk: string | null): DiskKind {
    return this.nodes.get(node)?.spec.disks.find((d) => d.name === disk)?.kind ?? 'ssd';
  }

  private add(v: Volume, r: Replica, sign: 1 | -1): void {
    if (r.node === null || r.disk === null) return;
    const e = this.entryOf.get(r.node)?.get(r.disk);
    if (e === undefined) return;
    e.scheduledBytes += sign * v.spec.sizeBytes;
    e.actualBytes += sign * v.spec.usedBytes;
    this.refreshSpace(e);
  }

  private available(e: DiskEntry): number {
    const rounding = this.parameters.storageAvailableRoundingBytes;
    return availableBytes(e.maximumBytes, e.otherUsedBytes, e.actualBytes, rounding);
  }

  /** Where `d` is in pick order (binary search: its key has not changed yet). */
  private orderedIndex(d: SchedulingDisk): number {
    const ordered = this.ordered;
    let low = 0;
    let high = ordered.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.pickOrder(ordered[mid], d) < 0) low = mid + 1;
      else high = mid;
    }
    if (ordered[low] !== d) throw new Error(`disk ${d.node}/${d.disk} is not where its space puts it`);
    return low;
  }

  /** The sums changed: the scheduler's copy, and the disk's place in pick order. */
  private refreshSpace(e: DiskEntry): void {
    const d = e.scheduling;
    d.scheduledBytes = e.scheduledBytes;
    const available = this.available(e);
    if (available === d.availableBytes) return;
    const ordered = this.ordered;
    const from = this.orderedIndex(d);
    d.availableBytes = available;
    // Its new place among the others (binary search on each side of the old one), then the disks in
    // between shift by one: the same array as taking it out and inserting it there.
    let to: number;
    if (from > 0 && this.pickOrder(ordered[from - 1], d) > 0) {
      let low = 0;
      let high = from - 1;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (this.pickOrder(ordered[mid], d) < 0) low = mid + 1;
        else high = mid;
      }
      to = low;
      for (let i = from; i > to; i--) ordered[i] = ordered[i - 1];
    } else {
      let low = from + 1;
      let high = ordered.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (this.pickOrder(ordered[mid], d) < 0) low = mid + 1;
        else high = mid;
      }
      to = low - 1;
      for (let i = from; i < to; i++) ordered[i] = ordered[i + 1];
    }
    ordered[to] = d;
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
