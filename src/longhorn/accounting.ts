/**
 * Storage accounting as Longhorn reports each disk (longhorn-manager controller/node_controller.go,
 * go-common-libs io/file.go) and as Harvester sums it (KB harvester_resource_metrics_calculation:
 * "Sum of the storageMaximum values of all disks: Total storage capacity; Total storage capacity -
 * Sum of the storageAvailable values of all disks: … Used …; Sum of the storageReserved values of all
 * disks: … Reserved"). Longhorn UI Allocated = scheduled / ((max − reserved) × over-provisioning %)
 * (LW …/nodes/node-space-usage.md). Pure.
 */

export interface DiskUsage {
  readonly node: string;
  readonly disk: string;
  readonly maximumBytes: number;
  /** Bytes on the filesystem that are not Longhorn replica data (OS, images). */
  readonly otherUsedBytes: number;
  /** Actual size of every replica directory on the disk (failed ones still hold their data). */
  readonly replicaActualBytes: number;
  /** Σ nominal size of every replica CR on the disk, failed ones included. */
  readonly scheduledBytes: number;
  readonly reservedBytes: number;
}

export interface DiskStatus {
  readonly node: string;
  readonly disk: string;
  readonly storageMaximum: number;
  readonly storageAvailable: number;
  readonly storageScheduled: number;
  readonly storageReserved: number;
  /** Longhorn UI Allocated, in percent. */
  readonly allocatedPercent: number;
}

export interface HarvesterStorageView {
  readonly totalBytes: number;
  readonly usedBytes: number;
  readonly reservedBytes: number;
  readonly disks: readonly DiskStatus[];
}

/** Free space, rounded down to the rounding unit (100 MiB in Longhorn). */
export function storageAvailable(usage: DiskUsage, roundingBytes: number): number {
  return availableBytes(usage.maximumBytes, usage.otherUsedBytes, usage.replicaActualBytes, roundingBytes);
}

/** `storageAvailable` from the numbers themselves. */
export function availableBytes(
  maximumBytes: number,
  otherUsedBytes: number,
  replicaActualBytes: number,
  roundingBytes: number,
): number {
  const free = Math.max(0, maximumBytes - otherUsedBytes - replicaActualBytes);
  return Math.floor(free / roundingBytes) * roundingBytes;
}

export function allocatedPercent(
  scheduledBytes: number,
  maximumBytes: number,
  reservedBytes: number,
  overProvisioningPercentage: number,
): number {
  const allocatable = ((maximumBytes - reservedBytes) * overProvisioningPercentage) / 100;
  return allocatable > 0 ? (scheduledBytes / allocatable) * 100 : 0;
}

export function diskStatus(
  usage: DiskUsage,
  roundingBytes: number,
  overProvisioningPercentage: number,
): DiskStatus {
  return {
    node: usage.node,
    disk: usage.disk,
    storageMaximum: usage.maximumBytes,
    storageAvailable: storageAvailable(usage, roundingBytes),
    storageScheduled: usage.scheduledBytes,
    storageReserved: usage.reservedBytes,
    allocatedPercent: allocatedPercent(
      usage.scheduledBytes,
      usage.maximumBytes,
      usage.reservedBytes,
      overProvisioningPercentage,
    ),
  };
}

/** Total = Σ max; Used = Total − Σ available; Reserved = Σ reserved. */
export function harvesterStorageView(disks: readonly DiskStatus[]): HarvesterStorageView {
  let total = 0;
  let available = 0;
  let reserved = 0;
  for (const d of disks) {
    total += d.storageMaximum;
    available += d.storageAvailable;
    reserved += d.storageReserved;
  }
  return { totalBytes: total, usedBytes: total - available, reservedBytes: reserved, disks };
}
