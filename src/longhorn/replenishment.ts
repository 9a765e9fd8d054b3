/**
 * What Longhorn does for a volume on each reconcile: delete stale failed replicas, then reuse a failed
 * replica, wait, or ask for a new one. longhorn/longhorn-manager controller/volume_controller.go
 * (`replenishReplicas`, `getReplenishReplicasCount`, `shouldCleanUpFailedReplica`) and
 * scheduler/replica_scheduler.go (`CheckAndReuseFailedReplica`, `RequireNewReplica`,
 * `timeToReplacementReplica`). Pure: the host supplies time and node state.
 */
import type { ReplicaDeletionReason } from '../trace/longhorn.ts';
import { isFailed, isPotentiallyReusable, type Replica } from './replica.ts';
import type { Robustness, VolumeState } from './robustness.ts';

export interface ReplenishmentRules {
  readonly replenishmentWaitSeconds: number;
  readonly staleReplicaTimeoutSeconds: number;
  readonly concurrentRebuildPerNodeLimit: number;
  readonly failedReplicaMaxRetryCount: number;
  readonly reuseFailedReplicas: boolean;
  readonly replenishmentWaitApplies: boolean;
  readonly offlineRebuilding: boolean;
  readonly deleteFailedReplicasAtOnce: boolean;
}

export interface VolumeView {
  readonly state: VolumeState;
  readonly robustness: Robustness;
  /** A live migration of the VM (engine migration) is in progress. */
  readonly migrating: boolean;
  readonly wantedReplicas: number;
  readonly replicas: readonly Replica[];
  readonly lastDegradedAtSeconds: number | null;
}

export type ReplenishDecision =
  | {
      readonly kind: 'none';
      readonly reason:
        | 'rebuild-disabled'
        | 'not-attached'
        | 'faulted'
        | 'migrating'
        | 'rebuilding'
        | 'enough-replicas';
    }
  | { readonly kind: 'reuse'; readonly replica: Replica }
  | { readonly kind: 'wait'; readonly untilSeconds: number }
  | { readonly kind: 'create' };

/**
 * Failed replicas to delete now: retry count at the limit, older than staleReplicaTimeout, or (v2 on
 * LH <= 1.6) any failed replica once a healthy one exists. Never while no healthy replica remains.
 */
export function replicasToCleanUp(
  volume: VolumeView,
  rules: ReplenishmentRules,
  nowSeconds: number,
): Replica[] {
  // Loops, not closures: this runs for every queued volume on every reconcile.
  let anyFailed = false;
  let anyHoldsData = false;
  for (const r of volume.replicas) {
    if (r.failedAtSeconds !== null) anyFailed = true;
    else if (holdsData(r)) anyHoldsData = true;
  }
  if (!anyFailed || !anyHoldsData) return [];
  const stale: Replica[] = [];
  for (const r of volume.replicas) {
    if (r.failedAtSeconds === null) continue;
    if (
      rules.deleteFailedReplicasAtOnce ||
      r.rebuildRetryCount >= rules.failedReplicaMaxRetryCount ||
      nowSeconds - r.failedAtSeconds >= rules.staleReplicaTimeoutSeconds
    )
      stale.push(r);
  }
  return stale;
}

/** A replica not failed and healthy once holds the data (RW now, or stopped while detached). */
function holdsData(r: Replica): boolean {
  return !isFailed(r) && (r.mode === 'RW' || (r.mode === null && r.healthyAtSeconds !== null));
}

/** Why `replicasToCleanUp` deletes the replica (the `replica.deleted` record's reason). */
export function cleanUpReason(r: Replica, rules: ReplenishmentRules): ReplicaDeletionReason {
  if (rules.deleteFailedReplicasAtOnce) return 'v2-failed-replica';
  return r.rebuildRetryCount >= rules.failedReplicaMaxRetryCount ? 'retry-limit' : 'stale';
}

/** When the next failed replica turns stale after now, or null. */
export function nextStaleSeconds(
  volume: VolumeView,
  rules: ReplenishmentRules,
  nowSeconds: number,
): number | null {
  let next: number | null = null;
  for (const r of volume.replicas) {
    if (r.failedAtSeconds === null) continue;
    const at = r.failedAtSeconds + rules.staleReplicaTimeoutSeconds;
    if (at > nowSeconds && (next === null || at < next)) next = at;
  }
  return next;
}

/**
 * The replenishment decision. `reusableNow` says whether a failed replica's node is Ready and
 * schedulable, its disk fits and its instance manager runs (`isFailedReplicaReusable`).
 */
export function decideReplenishment(
  volume: VolumeView,
  rules: ReplenishmentRules,
  nowSeconds: number,
  reusableNow: (replica: Replica) => boolean,
): ReplenishDecision {
  if (rules.concurrentRebuildPerNodeLimit === 0) return { kind: 'none', reason: 'rebuild-disabled' };
  if (volume.state !== 'attached' && !rules.offlineRebuilding)
    return { kind: 'none', reason: 'not-attached' };
  // auto-salvage detaches a faulted volume and revives replicas; nothing is replenished meanwhile.
  if (volume.robustness === 'faulted') return { kind: 'none', reason: 'faulted' };
  if (volume.migrating) return { kind: 'none', reason: 'migrating' };
  // At most one rebuild per volume: skip while a replica is WO or not yet in the mode map.
  if (volume.replicas.some((r) => !isFailed(r) && (r.mode === 'WO' || r.awaitingRebuild)))
    return { kind: 'none', reason: 'rebuilding' };
  const active = volume.replicas.filter((r) => !isFailed(r)).length;
  if (volume.wantedReplicas - active <= 0) return { kind: 'none', reason: 'enough-replicas' };

  const maxRetry = rules.failedReplicaMaxRetryCount;
  if (rules.reuseFailedReplicas) {
    let candidate: Replica | null = null;
    for (const r of volume.replicas) {
      if (!isPotentiallyReusable(r, maxRetry) || !reusableNow(r)) continue;
      // The latest failedAt wins (GetLatestFailedReplica).
      if (candidate === null || (r.failedAtSeconds as number) > (candidate.failedAtSeconds as number))
        candidate = r;
    }
    if (candidate !== null) return { kind: 'reuse', replica: candidate };
  }
  if (
    volume.robustness === 'degraded' &&
    rules.replenishmentWaitApplies &&
    volume.lastDegradedAtSeconds !== null &&
    volume.replicas.some((r) => isPotentiallyReusable(r, maxRetry))
  ) {
    const until = volume.lastDegradedAtSeconds + rules.replenishmentWaitSeconds;
    if (nowSeconds < until) return { kind: 'wait', untilSeconds: until };
  }
  return { kind: 'create' };
}
