/**
 * A volume's health after every change: robustness with its records, and the data-at-risk periods
 * (exactly one healthy replica of a volume that wants more) they open and close
 * (longhorn/longhorn-manager:controller/volume_controller.go `ReconcileVolumeState`; robustness.ts).
 */
import type { Recorder } from '../trace/recorder.ts';
import { deriveRobustness, healthyCount, type Robustness } from './robustness.ts';
import type { Volume } from './volume.ts';
import { settleWrites } from './writes.ts';

/**
 * Robustness after a change; `volume.robustness` when it or the healthy count changed, with
 * lastDegradedAt set on entering degraded. External volumes: healthy while attached and their
 * cluster is reachable, faulted when it is not.
 */
export function refreshHealth(
  v: Volume,
  nowSeconds: number,
  externalReachable: boolean,
  record: Recorder<'longhorn'>,
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
    settleWrites(v);
    v.atRiskSinceSeconds = nowSeconds;
    v.atRiskBytes = 0;
  } else if (!atRisk) closeAtRisk(v, nowSeconds, record);
  if (robustness === v.robustness && healthy === v.reportedHealthyReplicas) return;
  const previous = v.robustness;
  v.robustness = robustness;
  v.reportedHealthyReplicas = healthy;
  if (robustness === 'degraded' && previous !== 'degraded') v.lastDegradedAtSeconds = nowSeconds;
  record.emit('volume.robustness', {
    volume: v.key,
    robustness,
    previous,
    healthyReplicas: healthy,
    wantedReplicas: v.wantedReplicas,
  });
}

/** Ends an at-risk period: one `volume.data-at-risk` record unless it lasted no time. */
export function closeAtRisk(v: Volume, nowSeconds: number, record: Recorder<'longhorn'>): void {
  if (v.atRiskSinceSeconds === null) return;
  settleWrites(v);
  if (v.atRiskSinceSeconds < nowSeconds) {
    record.emit('volume.data-at-risk', {
      volume: v.key,
      bytes: v.atRiskBytes,
      fromSeconds: v.atRiskSinceSeconds,
      toSeconds: nowSeconds,
    });
  }
  v.atRiskSinceSeconds = null;
  v.atRiskBytes = 0;
}
