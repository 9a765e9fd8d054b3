/**
 * longhorn-manager's volume controller as a pure function: `reconcileVolume(volume, view, now)` reads
 * the volume, the nodes and the disks and returns the actions to apply, in order, and the times to
 * reconcile again (longhorn/longhorn-manager:controller/volume_controller.go `syncVolume`,
 * `replenishReplicas`, `cleanupFailedToScheduleReplicas`; scheduler/replica_scheduler.go). It writes
 * nothing: the host (model.ts) applies the actions (actions.ts) and keeps the clock.
 *
 * One reconcile: delete stale failed replicas; then start the replica that waits for its rebuild
 * (placing it first if it has no disk); else reuse, wait or create per replenishment.ts, or, with
 * enough replicas, keep best-effort data locality.
 */
import type { LonghornSettings } from '../profiles/types.ts';
import type { ManagerAction, ReplicaCreationReason } from './actions.ts';
import type { LonghornModelParameters } from './defaults.ts';
import type { NodeStatus } from './disk-inventory.ts';
import { mayRebuild } from './rebuilds.ts';
import {
  cleanUpReason,
  decideReplenishment,
  nextStaleSeconds,
  type ReplenishmentRules,
  replicasToCleanUp,
} from './replenishment.ts';
import { isFailed, isPotentiallyReusable, type Replica } from './replica.ts';
import {
  type ScheduleResult,
  type SchedulingDisk,
  type SchedulingIndex,
  type SchedulingPolicy,
  scheduleReplica,
} from './scheduling.ts';
import type { Volume } from './volume.ts';

/** What the manager reads besides the volume. */
export interface ManagerView {
  readonly settings: LonghornSettings;
  readonly parameters: LonghornModelParameters;
  readonly rules: ReplenishmentRules;
  readonly nodes: ReadonlyMap<string, NodeStatus>;
  /** Longhorn disk tags, by `node/disk`. */
  readonly diskTags: Readonly<Record<string, readonly string[]>>;
  /** Every Longhorn disk as the replica scheduler sees it, leaving out the replicas given. */
  schedulingDisks(without?: ReadonlySet<Replica>): readonly SchedulingDisk[];
  /** The disks of `schedulingDisks()` (no replicas left out) in pick order, if the view keeps them. */
  schedulingIndex?(): SchedulingIndex;
}

export interface Reconcile {
  readonly actions: readonly ManagerAction[];
  /** Reconcile again at these times: the next failed replica turning stale, the end of a wait. */
  readonly requeueAtSeconds: readonly number[];
  /**
   * Nothing to do, decided from the volume, the nodes and the rules alone (not the disks): until one
   * of those changes or a requeue time comes, another reconcile would do nothing either.
   */
  readonly idle: boolean;
}

const NO_REPLICAS: ReadonlySet<Replica> = new Set();

/** The replenishment rules in force: settings, the release's gates, the upgrade's longer wait. */
export function replenishmentRules(
  settings: LonghornSettings,
  parameters: LonghornModelParameters,
  offlineRebuildingOption: boolean | undefined,
  upgradeInProgress: boolean,
): ReplenishmentRules {
  const p = parameters;
  return {
    replenishmentWaitSeconds: upgradeInProgress
      ? p.upgradeReplenishmentWaitSeconds
      : settings.replicaReplenishmentWaitIntervalSeconds,
    staleReplicaTimeoutSeconds: settings.staleReplicaTimeoutSeconds,
    concurrentRebuildPerNodeLimit: settings.concurrentReplicaRebuildPerNodeLimit,
    failedReplicaMaxRetryCount: p.failedReplicaMaxRetryCount,
    reuseFailedReplicas: p.reuseFailedReplicas,
    replenishmentWaitApplies: p.replenishmentWaitApplies,
    offlineRebuilding: (offlineRebuildingOption ?? p.offlineRebuilding) && p.offlineRebuildingAvailable,
    deleteFailedReplicasAtOnce: p.deleteFailedReplicasAtOnce,
  };
}

/**
 * A new replica CR of the volume, named with its next sequence number. A replacement starts at the
 * retry limit so it is never reused (longhorn/longhorn-manager:controller/volume_controller.go
 * `createReplica`); an initial replica placed at creation holds the (empty) data from now.
 */
export function newReplica(
  v: Volume,
  node: string | null,
  disk: string | null,
  reason: ReplicaCreationReason,
  maxRetryCount: number,
  nowSeconds: number,
): Replica {
  return {
    name: `${v.spec.name}-r-${v.replicaSequence}`,
    volume: v.key,
    node,
    disk,
    mode: null,
    failedAtSeconds: null,
    healthyAtSeconds: reason === 'initial' && node !== null ? nowSeconds : null,
    rebuildRetryCount: reason === 'initial' ? 0 : maxRetryCount,
    missedBytes: 0,
    headBytesAtFailure: 0,
    awaitingRebuild: reason !== 'initial',
  };
}

/**
 * One replica of a volume being created, on the engine's node when `preferNode` is given (data
 * locality). When no disk fits: Scheduled=False, and LH <= 1.6 creates the CR anyway, unplaced
 * (`placed` false: stop creating replicas).
 */
export function initialReplica(
  v: Volume,
  view: ManagerView,
  preferNode: string | null,
  nowSeconds: number,
): { readonly actions: ManagerAction[]; readonly placed: boolean } {
  const maxRetry = view.parameters.failedReplicaMaxRetryCount;
  const result = schedule(v, view, v.replicas, undefined, false, preferNode);
  if (!result.ok) {
    const createAnyway = !view.parameters.precheckCreateReplica;
    const actions: ManagerAction[] = [unschedulable(result, createAnyway)];
    if (createAnyway)
      actions.push(create(newReplica(v, null, null, 'initial', maxRetry, nowSeconds), 'initial'));
    return { actions, placed: false };
  }
  const r = newReplica(v, result.node, result.disk, 'initial', maxRetry, nowSeconds);
  return { actions: [create(r, 'initial')], placed: true };
}

/** A reconcile's result: idle when it did nothing and read no disk (no closure per reconcile). */
function reconciled(actions: ManagerAction[], requeueAtSeconds: number[], readDisks: boolean): Reconcile {
  return { actions, requeueAtSeconds, idle: actions.length === 0 && !readDisks };
}

export function reconcileVolume(v: Volume, view: ManagerView, nowSeconds: number): Reconcile {
  const rules = view.rules;
  const maxRetry = rules.failedReplicaMaxRetryCount;
  const actions: ManagerAction[] = [];
  const requeueAtSeconds: number[] = [];
  let readDisks = false;

  const deleted = replicasToCleanUp(v, rules, nowSeconds);
  for (const r of deleted)
    actions.push({ kind: 'delete-replica', replica: r, reason: cleanUpReason(r, rules) });
  // Everything below sees the volume and the disks as they are once those replicas are gone.
  const without = deleted.length === 0 ? NO_REPLICAS : new Set(deleted);
  const replicas = deleted.length === 0 ? v.replicas : v.replicas.filter((r) => !without.has(r));
  const current = deleted.length === 0 ? v : { ...v, replicas };
  const stale = nextStaleSeconds(current, rules, nowSeconds);
  if (stale !== null) requeueAtSeconds.push(stale);

  // A replica created or reused but not running yet: place it, then start (or queue) its rebuild.
  if (mayRebuild(v, rules.offlineRebuilding)) {
    const waiting = replicas.find((r) => !isFailed(r) && r.awaitingRebuild);
    if (waiting !== undefined) {
      if (waiting.node === null) {
        const result = schedule(v, view, replicas, without, true, null, waiting);
        if (!result.ok) {
          actions.push(unschedulable(result, true));
          return reconciled(actions, requeueAtSeconds, readDisks);
        }
        actions.push({ kind: 'place-replica', replica: waiting, node: result.node, disk: result.disk });
      }
      actions.push({ kind: 'start-rebuild', replica: waiting });
      return reconciled(actions, requeueAtSeconds, readDisks);
    }
  }

  const decision = decideReplenishment(current, rules, nowSeconds, (r) => reusableNow(v, r, view));
  switch (decision.kind) {
    case 'none':
      if (decision.reason === 'enough-replicas') {
        readDisks = wantsLocalReplica(v, replicas);
        if (readDisks) actions.push(...keepLocality(v, view, replicas, without, nowSeconds));
      }
      return reconciled(actions, requeueAtSeconds, readDisks);
    case 'reuse':
      actions.push({ kind: 'reuse-replica', replica: decision.replica });
      actions.push({ kind: 'start-rebuild', replica: decision.replica });
      return reconciled(actions, requeueAtSeconds, readDisks);
    case 'wait':
      actions.push({ kind: 'wait', untilSeconds: decision.untilSeconds });
      requeueAtSeconds.push(decision.untilSeconds);
      return reconciled(actions, requeueAtSeconds, readDisks);
    case 'create': {
      const result = schedule(v, view, replicas, without, true, null);
      if (!result.ok) {
        const createAnyway = !view.parameters.precheckCreateReplica;
        actions.push(unschedulable(result, createAnyway));
        if (createAnyway)
          actions.push(create(newReplica(v, null, null, 'replenish', maxRetry, nowSeconds), 'replenish'));
        return reconciled(actions, requeueAtSeconds, readDisks);
      }
      const r = newReplica(v, result.node, result.disk, 'replenish', maxRetry, nowSeconds);
      actions.push(create(r, 'replenish'), { kind: 'start-rebuild', replica: r });
      return reconciled(actions, requeueAtSeconds, readDisks);
    }
  }
}

/**
 * After a data-locality rebuild: the replica to drop, one not on the engine's node (the last by
 * name), or null while the volume has no more than it wants.
 */
export function surplusReplica(v: Volume): Replica | null {
  const active = v.replicas.filter((r) => !isFailed(r));
  if (active.length <= v.wantedReplicas) return null;
  const remote = active.filter((r) => r.node !== v.engineNode).sort((a, b) => b.name.localeCompare(a.name));
  return remote[0] ?? null;
}

/** Best-effort data locality wants a replica on the engine's node: healthy, and none live there. */
function wantsLocalReplica(v: Volume, replicas: readonly Replica[]): boolean {
  if (!v.bestEffortLocality || v.robustness !== 'healthy' || v.engineNode === null) return false;
  for (const r of replicas) if (r.node === v.engineNode && !isFailed(r)) return false;
  return true;
}

/** Best-effort data locality: once healthy with no replica on the engine's node, build one there. */
function keepLocality(
  v: Volume,
  view: ManagerView,
  replicas: readonly Replica[],
  without: ReadonlySet<Replica>,
  nowSeconds: number,
): ManagerAction[] {
  if (!wantsLocalReplica(v, replicas)) return [];
  const local = v.engineNode as string;
  const result = schedule(v, view, replicas, without, true, local);
  if (!result.ok || result.node !== local) return [];
  const maxRetry = view.parameters.failedReplicaMaxRetryCount;
  const r = newReplica(v, result.node, result.disk, 'data-locality', maxRetry, nowSeconds);
  return [create(r, 'data-locality'), { kind: 'start-rebuild', replica: r }];
}

/**
 * `isFailedReplicaReusable`: the replica's node is Ready and schedulable and its disk carries the
 * volume's disk selector.
 */
function reusableNow(v: Volume, r: Replica, view: ManagerView): boolean {
  if (r.node === null || r.disk === null) return false;
  const node = nodeStatus(view, r.node);
  if (!node.ready) return false;
  if (node.cordoned && view.settings.disableSchedulingOnCordonedNode) return false;
  const tags = view.diskTags[`${r.node}/${r.disk}`] ?? [];
  return v.diskSelector.every((t) => tags.includes(t));
}

function schedule(
  v: Volume,
  view: ManagerView,
  replicas: readonly Replica[],
  without: ReadonlySet<Replica> | undefined,
  replenishing: boolean,
  preferNode: string | null,
  self?: Replica,
): ScheduleResult {
  const s = view.settings;
  const policy: SchedulingPolicy = {
    nodeSoftAntiAffinity: s.replicaSoftAntiAffinity,
    zoneSoftAntiAffinity: s.replicaZoneSoftAntiAffinity,
    diskSoftAntiAffinity: s.replicaDiskSoftAntiAffinity,
    overProvisioningPercentage: s.storageOverProvisioningPercentage,
    minimalAvailablePercentage: s.storageMinimalAvailablePercentage,
  };
  const maxRetry = view.parameters.failedReplicaMaxRetryCount;
  const existing = replicas
    .filter((r) => r !== self && r.node !== null && r.disk !== null)
    .map((r) => ({
      node: r.node as string,
      disk: r.disk as string,
      failed: isFailed(r),
      potentiallyReusable: isPotentiallyReusable(r, maxRetry),
    }));
  const disks = view.schedulingDisks(without);
  const index = without === undefined || without.size === 0 ? view.schedulingIndex?.() : undefined;
  return scheduleReplica(
    disks,
    {
      sizeBytes: v.spec.sizeBytes,
      actualBytes: v.spec.usedBytes,
      nodeSelector: v.nodeSelector,
      diskSelector: v.diskSelector,
      existing,
      replenishing,
      preferNode,
    },
    policy,
    index,
  );
}

function unschedulable(
  result: Extract<ScheduleResult, { ok: false }>,
  replicaCreated: boolean,
): ManagerAction {
  return { kind: 'report-unschedulable', cause: result.reason, message: result.message, replicaCreated };
}

function create(replica: Replica, reason: ReplicaCreationReason): ManagerAction {
  return { kind: 'create-replica', replica, reason };
}

function nodeStatus(view: ManagerView, name: string): NodeStatus {
  const status = view.nodes.get(name);
  if (status === undefined) throw new Error(`longhorn: unknown node ${name}`);
  return status;
}
