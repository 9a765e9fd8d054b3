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
  settleWrites(v);
  v.writeBytesPerSecond = rate;
  if (v.longhorn) record.emit('volume.writes', { volume: v.key, bytesPerSecond: rate });
}

/**
 * The accrual intervals of one model: one entry per Longhorn event at a new time, the seconds since
 * the previous one. Writes are integrated lazily: a volume keeps the index it is integrated through
 * (`Volume.writes`) and replays the intervals after it when something reads or changes what it
 * accrues (`settleWrites`), as a controller's work queue touches only the objects that changed.
 * Each volume's sums are its own and replay the same interval sequence with the same operations, so
 * the result is the same, bit for bit, as integrating every writing volume at every event.
 */
export class WriteLedger {
  private seconds = new Float64Array(0);
  /** Intervals appended. */
  length = 0;
  /**
   * Long replays already made, by their start (first interval, rate, starting value, cap) → how far
   * they went and the value there. Volumes that started writing together at the same rate (VMs
   * started at once) replay the same sequence: the later ones continue from where the first stopped.
   */
  private readonly replays = new Map<string, { through: number; value: number }>();

  append(seconds: number): void {
    if (seconds <= 0) return;
    if (this.length === this.seconds.length) {
      const grown = new Float64Array(Math.max(1, this.seconds.length * 2));
      grown.set(this.seconds);
      this.seconds = grown;
    }
    this.seconds[this.length++] = seconds;
  }

  /**
   * `value = min(cap, value + rate × seconds)` for each interval from `from` to the end, in turn (cap
   * Infinity: a plain sum). At the cap it stays there.
   */
  replay(from: number, rate: number, value: number, cap: number): number {
    const end = this.length;
    if (end - from < MEMO_MIN_INTERVALS) return this.integrate(from, end, rate, value, cap);
    const key = `${from}|${rate}|${value}|${cap}`;
    const known = this.replays.get(key);
    if (known === undefined) {
      const result = this.integrate(from, end, rate, value, cap);
      this.replays.set(key, { through: end, value: result });
      return result;
    }
    known.value = this.integrate(known.through, end, rate, known.value, cap);
    known.through = end;
    return known.value;
  }

  private integrate(from: number, end: number, rate: number, value: number, cap: number): number {
    const seconds = this.seconds;
    let x = value;
    for (let i = from; i < end && x !== cap; i++) x = Math.min(cap, x + rate * seconds[i]);
    return x;
  }
}

/** Replays shorter than this are not remembered (the key would cost more than the loop). */
const MEMO_MIN_INTERVALS = 64;

/** Where a volume's accrued sums stand: its model's ledger and the intervals integrated so far. */
export interface VolumeWrites {
  readonly ledger: WriteLedger;
  through: number;
}

/**
 * Integrates the volume's writes over the intervals it has not seen, with its current state: call it
 * before reading `headBytes`, `atRiskBytes` or a replica's `missedBytes`, and before changing what
 * decides them (state, write rate, a replica failing, reviving or leaving, the at-risk period, a
 * reset), so every interval is integrated with the state it ended in.
 */
export function settleWrites(v: Volume): void {
  const w = v.writes;
  const from = w.through;
  if (from === w.ledger.length) return;
  w.through = w.ledger.length;
  if (v.writeBytesPerSecond === 0 || v.state !== 'attached' || !v.longhorn) return;
  const rate = v.writeBytesPerSecond;
  const size = v.spec.sizeBytes;
  v.headBytes = w.ledger.replay(from, rate, v.headBytes, size);
  for (const r of v.replicas) {
    if (isFailed(r)) r.missedBytes = w.ledger.replay(from, rate, r.missedBytes, size);
  }
  if (v.atRiskSinceSeconds !== null) v.atRiskBytes = w.ledger.replay(from, rate, v.atRiskBytes, Infinity);
}
