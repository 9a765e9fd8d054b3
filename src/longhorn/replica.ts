/**
 * A replica as the model keeps it: the Replica CR fields that drive Longhorn's decisions
 * (longhorn/longhorn-manager:k8s/pkg/apis/longhorn/v1beta2/replica.go) and its mode in the engine's
 * `status.replicaModeMap` (longhorn/longhorn-manager:k8s/pkg/apis/longhorn/v1beta2/engine.go).
 */

/** RW = healthy, WO = rebuilding (gets writes, serves no reads), ERR = failed. */
export type ReplicaMode = 'RW' | 'WO' | 'ERR';

export interface Replica {
  readonly name: string;
  readonly volume: string;
  /** null while unscheduled (LH <= 1.6 creates the CR before a disk is found). */
  node: string | null;
  disk: string | null;
  /** Mode in the engine; null when not in the mode map (volume detached, or not started yet). */
  mode: ReplicaMode | null;
  /** `spec.failedAt`, in simulated seconds. */
  failedAtSeconds: number | null;
  /** `spec.healthyAt`: set when the replica first became RW. */
  healthyAtSeconds: number | null;
  rebuildRetryCount: number;
  /** Bytes the volume received while this replica was failed (the delta a reuse must send). */
  missedBytes: number;
  /** Volume head at failure: written since the last snapshot, sent in full on reuse. */
  headBytesAtFailure: number;
  /** Created or reused and waiting to start its rebuild (scheduling, per-node limit). */
  awaitingRebuild: boolean;
}

export function isFailed(replica: Replica): boolean {
  return replica.failedAtSeconds !== null;
}

export function isHealthy(replica: Replica): boolean {
  return replica.failedAtSeconds === null && replica.mode === 'RW';
}

export function isRebuilding(replica: Replica): boolean {
  return replica.failedAtSeconds === null && replica.mode === 'WO';
}

/**
 * `IsPotentiallyReusableReplica` (longhorn-manager scheduler/replica_scheduler.go): failed, placed,
 * and below the retry limit. Such a replica holds back a new one for the wait interval.
 */
export function isPotentiallyReusable(replica: Replica, maxRetryCount: number): boolean {
  return (
    replica.failedAtSeconds !== null &&
    replica.node !== null &&
    replica.disk !== null &&
    replica.rebuildRetryCount < maxRetryCount
  );
}
