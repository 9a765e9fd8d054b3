/**
 * Guest writes as the volumes receive them: each VM's disk write rate split over its Longhorn volumes,
 * nothing from paused guests, and the bytes written between events integrated into the head, every
 * failed replica's delta and the open data-at-risk period (docs/model/longhorn.md, "Writes and data at
 * risk"). State changes with their `volume.writes` records; time is a parameter.
 */
import type { Recorder } from '../trace/recorder.ts';
import { isFailed } from './replica.ts';
import { healthyCount } from './robustness.ts';
import type { Volume } from './volume.ts';

/**
 * A VM's share of its write rate on one volume: the explicit share when given, else an even split
 * over the VM's Longhorn volumes (none for an external volume).
 */
export function writeShareBytesPerSecond(
  vmWriteBytesPerSecond: number,
  explicitShare: number | undefined,
  v: Volume,
  longhornVolumesOfVm: number,
): number {
  if (explicitShare !== undefined) return vmWriteBytesPerSecond * explicitShare;
  return v.longhorn && longhornVolumesOfVm > 0 ? vmWriteBytesPerSecond / longhornVolumesOfVm : 0;
}

/**
 * Whether the engine takes writes: not when the volume is faulted or attached with no healthy
 * replica, for then "no healthy active replica remains" and the engine fails every I/O
 * (longhorn/longhorn-manager:controller/volume_controller.go `ReconcileEngineReplicaState`; research
 * longhorn.md §1.2, faulted). The guest sees I/O errors; nothing reaches a replica.
 */
export function engineTakesWrites(v: Volume): boolean {
  if (!v.longhorn) return true;
  if (v.faulted) return false;
  return v.state !== 'attached' || healthyCount(v.replicas) > 0;
}

/**
 * The volume's rate is the sum over its writers that are not suspended, and 0 while the engine fails
 * I/O (`engineTakesWrites`); `volume.writes` when it changes.
 */
export function updateWriteRate(v: Volume, record: Recorder<'longhorn'>): void {
  let rate = 0;
  if (engineTakesWrites(v)) for (const [vm, share] of v.writers) if (!v.suspended.has(vm)) rate += share;
  if (rate === v.writeBytesPerSecond) return;
  v.writeBytesPerSecond = rate;
  if (v.longhorn) record.emit('volume.writes', { volume: v.key, bytesPerSecond: rate });
}

/** Writes over `seconds` grow the head, every failed replica's delta (both capped at the size) and the at-risk count. */
export function accrueWrites(volumes: Iterable<Volume>, seconds: number): void {
  if (seconds <= 0) return;
  for (const v of volumes) {
    if (v.writeBytesPerSecond === 0 || v.state !== 'attached' || !v.longhorn) continue;
    const written = v.writeBytesPerSecond * seconds;
    v.headBytes = Math.min(v.spec.sizeBytes, v.headBytes + written);
    for (const r of v.replicas) {
      if (isFailed(r)) r.missedBytes = Math.min(v.spec.sizeBytes, r.missedBytes + written);
    }
    if (v.atRiskSinceSeconds !== null) v.atRiskBytes += written;
  }
}
