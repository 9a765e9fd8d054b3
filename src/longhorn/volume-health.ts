/**
 * Per-volume bookkeeping between events: writes integrated since the last event (each failed
 * replica's delta, the head, data at risk), and robustness refreshed after every change with its
 * records (research/longhorn.md §1.2; LM controller/volume_controller.go).
 */
import type { LonghornRecordData } from '../trace/longhorn.ts';
import { isFailed } from './replica.ts';
import { deriveRobustness, healthyCount, type Robustness } from './robustness.ts';
import type { Volume } from './volume.ts';

export type LonghornEmit = <K extends keyof LonghornRecordData>(kind: K, data: LonghornRecordData[K]) => void;

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

/**
 * Robustness after a change; `volume.robustness` when it or the healthy count changed, with
 * lastDegradedAt set on entering degraded. External volumes: healthy while attached and their
 * cluster is reachable, faulted when it is not.
 */
export function refreshHealth(
  v: Volume,
  nowSeconds: number,
  externalReachable: boolean,
  emit: LonghornEmit,
): void {
  if (!v.longhorn) {
    v.robustness = !externalReachable ? 'faulted' : v.state === 'attached' ? 'healthy' : 'unknown';
    return;
  }
  const healthy = healthyCount(v.replicas);
  if (v.state === 'attached' && !v.engineLost && healthy === 0 && v.replicas.length > 0) v.faulted = true;
  const robustness: Robustness = deriveRobustness({
    state: v.state,
    engineLost: v.engineLost,
    faulted: v.faulted,
    wantedReplicas: v.wantedReplicas,
    replicas: v.replicas,
  });
  const atRisk = v.state === 'attached' && !v.engineLost && healthy === 1 && v.wantedReplicas > 1;
  if (atRisk && v.atRiskSinceSeconds === null) {
    v.atRiskSinceSeconds = nowSeconds;
    v.atRiskBytes = 0;
  } else if (!atRisk) closeAtRisk(v, nowSeconds, emit);
  if (robustness === v.robustness && healthy === v.reportedHealthyReplicas) return;
  const previous = v.robustness;
  v.robustness = robustness;
  v.reportedHealthyReplicas = healthy;
  if (robustness === 'degraded' && previous !== 'degraded') v.lastDegradedAtSeconds = nowSeconds;
  emit('volume.robustness', {
    volume: v.key,
    robustness,
    previous,
    healthyReplicas: healthy,
    wantedReplicas: v.wantedReplicas,
  });
}

/** Ends an at-risk period: one `volume.data-at-risk` record unless it lasted no time. */
export function closeAtRisk(v: Volume, nowSeconds: number, emit: LonghornEmit): void {
  if (v.atRiskSinceSeconds === null) return;
  if (v.atRiskSinceSeconds < nowSeconds) {
    emit('volume.data-at-risk', {
      volume: v.key,
      bytes: v.atRiskBytes,
      fromSeconds: v.atRiskSinceSeconds,
      toSeconds: nowSeconds,
    });
  }
  v.atRiskSinceSeconds = null;
  v.atRiskBytes = 0;
}
