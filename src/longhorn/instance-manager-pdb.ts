/**
 * Longhorn's PodDisruptionBudget on the instance manager of a node (minAvailable 1), as the
 * instance-manager controller keeps it (longhorn/longhorn-manager:controller/instance_manager_controller.go
 * `syncInstanceManagerPDB`, `canDeleteInstanceManagerPDB`, v1.6.0; the same rule at v1.5.0 with
 * the three policies of that release). While the budget exists the eviction of the instance-manager
 * pod is refused with 429, so `kubectl drain` cannot finish. On a node that is unschedulable
 * (cordoned: Longhorn "cannot tell a cordon from a drain"), the budget is deleted once:
 * 1. no engine runs on the node (every volume attached there has moved or detached);
 * 2. then by `node-drain-policy`:
 *    - `always-allow`: at once;
 *    - `block-for-eviction`: only when no replica is left on the node;
 *    - `allow-if-replica-is-stopped`: every replica on the node that is not stopped has a healthy
 *      replica of its volume on another schedulable node whose instance manager has its budget;
 *    - `block-if-contains-last-replica`, `block-for-eviction-if-contains-last-replica`: the same,
 *      for every replica on the node.
 *    A replica that never became healthy (`spec.healthyAt` empty) never blocks (longhorn/longhorn#2673).
 * "Healthy" is Longhorn's `ListVolumePDBProtectedHealthyReplicasRO` (datastore/longhorn.go):
 * `healthyAt` set, `failedAt` empty, on a schedulable node with a running instance manager.
 */
import type { NodeDrainPolicy } from '../profiles/types.ts';

export interface PdbReplicaView {
  readonly node: string | null;
  readonly everHealthy: boolean;
  readonly failed: boolean;
  /** Desired and current state stopped: the volume is detached, or the replica failed. */
  readonly stopped: boolean;
}

export interface PdbVolumeView {
  /** `namespace/name`. */
  readonly key: string;
  /** The node the engine runs on while attached, else null. */
  readonly engineNode: string | null;
  readonly replicas: readonly PdbReplicaView[];
}

/** Why the instance manager's budget still stands: the volume whose data it protects. */
export interface InstanceManagerPdbHold {
  readonly pdb: string;
  readonly volume: string;
  readonly reason: string;
}

/** The budget's name as the simulation reports it (upstream: the instance manager's own name, a hash). */
export function instanceManagerPdbName(node: string): string {
  return `longhorn-system/instance-manager (${node})`;
}

/**
 * Whether the instance manager's budget on `node` still stands (the first volume it protects), or
 * null when Longhorn has deleted it and the pod may be evicted. `schedulable(n)` is true for a node
 * that is running (its instance manager runs) and not cordoned.
 */
export function instanceManagerPdbHold(
  node: string,
  policy: NodeDrainPolicy,
  volumes: readonly PdbVolumeView[],
  schedulable: (node: string) => boolean,
): InstanceManagerPdbHold | null {
  const pdb = instanceManagerPdbName(node);
  if (schedulable(node)) {
    const first = volumes.find((v) => v.engineNode === node || v.replicas.some((r) => r.node === node));
    return first === undefined
      ? null
      : { pdb, volume: first.key, reason: 'the node is schedulable: Longhorn keeps the budget' };
  }
  const attached = volumes.find((v) => v.engineNode === node);
  if (attached !== undefined)
    return { pdb, volume: attached.key, reason: 'its engine still runs on the node (attached there)' };
  if (policy === 'always-allow') return null;
  for (const volume of volumes) {
    for (const replica of volume.replicas) {
      if (replica.node !== node) continue;
      if (policy === 'block-for-eviction')
        return {
          pdb,
          volume: volume.key,
          reason:
            'node-drain-policy block-for-eviction: a replica is left on the node until Longhorn evicts it',
        };
      if (policy === 'allow-if-replica-is-stopped' && replica.stopped) continue;
      const unused = !replica.everHealthy && !replica.failed;
      const elsewhere = volume.replicas.some(
        (r) => r.node !== null && r.node !== node && r.everHealthy && !r.failed && schedulable(r.node),
      );
      if (!elsewhere && !unused)
        return {
          pdb,
          volume: volume.key,
          reason: `node-drain-policy ${policy}: the node holds the last healthy replica`,
        };
    }
  }
  return null;
}
