/**
 * Volume state and robustness as longhorn-manager derives them (controller/volume_controller.go
 * `ReconcileEngineReplicaState`, `ReconcileVolumeState`). Pure.
 */
import { isHealthy, type Replica } from './replica.ts';

export type VolumeState = 'creating' | 'attached' | 'detached' | 'attaching' | 'detaching';
export type Robustness = 'healthy' | 'degraded' | 'faulted' | 'unknown';

export interface RobustnessInput {
  readonly state: VolumeState;
  /** The engine's node is lost: the engine state is unknown. */
  readonly engineLost: boolean;
  /** Set once no healthy replica remained while attached; cleared by salvage. */
  readonly faulted: boolean;
  readonly wantedReplicas: number;
  readonly replicas: readonly Replica[];
}

/**
 * - engine unknown -> unknown; detaching or detached -> unknown unless faulted
 *   (so a stopped VM's disks show "unknown", never "degraded");
 * - no healthy replica -> faulted; H >= N -> healthy; 0 < H < N -> degraded.
 */
export function deriveRobustness(input: RobustnessInput): Robustness {
  if (input.faulted) return 'faulted';
  if (input.engineLost) return 'unknown';
  if (input.state !== 'attached') return 'unknown';
  const healthy = healthyCount(input.replicas);
  if (healthy === 0) return 'faulted';
  return healthy >= input.wantedReplicas ? 'healthy' : 'degraded';
}

export function healthyCount(replicas: readonly Replica[]): number {
  let count = 0;
  for (const replica of replicas) if (isHealthy(replica)) count++;
  return count;
}
