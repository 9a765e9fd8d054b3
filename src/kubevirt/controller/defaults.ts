/**
 * Constants of the migration and evacuation controllers (the settable migration configuration is
 * src/profiles/kubevirt-migration-defaults.ts). Each entry names its upstream source. KubeVirt paths
 * are at `kubevirt/kubevirt` main d923fdb (after v1.9.0).
 */

import { LATEST_KUBEVIRT_VERSION } from '../../profiles/kubevirt-migration-defaults.ts';
import type { Sourced } from '../../profiles/types.ts';
import { isAtLeast } from '../../profiles/version.ts';

const MIGRATION_CTRL = 'kubevirt/kubevirt:pkg/virt-controller/watch/migration/migration.go';

/** Queue priorities of a VMIM (`pkg/util/migrations/migrations.go`, `QueuePriority*`). */
export const QUEUE_PRIORITY = {
  running: {
    value: 1000,
    source: 'kubevirt/kubevirt:pkg/util/migrations/migrations.go QueuePriorityRunning',
  },
  systemCritical: {
    value: 100,
    source: 'kubevirt/kubevirt:pkg/util/migrations/migrations.go QueuePrioritySystemCritical',
  },
  userTriggered: {
    value: 50,
    source: 'kubevirt/kubevirt:pkg/util/migrations/migrations.go QueuePriorityUserTriggered',
  },
  systemMaintenance: {
    value: 20,
    source: 'kubevirt/kubevirt:pkg/util/migrations/migrations.go QueuePrioritySystemMaintenance',
  },
  default: { value: 0, source: 'kubevirt/kubevirt:pkg/util/migrations/migrations.go QueuePriorityDefault' },
} as const satisfies Record<string, Sourced<number>>;

/** The migration controller's constants; the requeue delays by priority apply with the priority queue. */
export const MIGRATION_CONTROLLER_CONSTANTS = {
  /** Evacuation / workload-update VMIM retry: first backoff, doubled per consecutive failure. */
  failedMigrationBackoffSeconds: { value: 20, source: `${MIGRATION_CTRL} handleMigrationBackoff` },
  backoffFactor: { value: 2, source: `${MIGRATION_CTRL} handleMigrationBackoff` },
  finalizedMigrationsKept: {
    value: 5,
    source: `${MIGRATION_CTRL} defaultFinalizedMigrationGarbageCollectionBuffer`,
  },
  unschedulablePendingTimeoutSeconds: {
    value: 300,
    source: `${MIGRATION_CTRL} defaultUnschedulablePendingTimeoutSeconds`,
  },
  catchAllPendingTimeoutSeconds: {
    value: 900,
    source: `${MIGRATION_CTRL} defaultCatchAllPendingTimeoutSeconds`,
  },
  requeueSystemCriticalSeconds: {
    value: 1,
    source: `${MIGRATION_CTRL} getRequeueDelayForPriority (v1.7+, priority queue)`,
  },
  requeueUserTriggeredSeconds: {
    value: 3,
    source: `${MIGRATION_CTRL} getRequeueDelayForPriority (v1.7+, priority queue)`,
  },
  /** Every other VMIM, and every VMIM without the priority queue (and before v1.7). */
  requeueDefaultSeconds: { value: 5, source: `${MIGRATION_CTRL} getRequeueDelayForPriority` },
  schedulerRetrySeconds: {
    value: 10,
    source: 'kubernetes/kubernetes:pkg/scheduler/apis/config/v1 podMaxBackoffSeconds default',
  },
  /** Without the priority queue: resync of a node with no free slot. */
  evacuationNoSpotRequeueSeconds: {
    value: 5,
    source:
      'kubevirt/kubevirt:pkg/virt-controller/watch/drain/evacuation/evacuation.go @v1.6.0 sync (freeSpots <= 0)',
  },
} as const satisfies Record<string, Sourced<number>>;

/**
 * Bounds on the controllers' loops (STYLE.md, "put a limit on everything"). None is upstream: each
 * says why its value lies beyond anything a run waits for.
 */
export const CONTROLLER_SIMULATOR_LIMITS = {
  /** VMIMs the evacuation controller creates for one VMI before it reports the VMI not evacuated. */
  maxVmimsPerEvacuation: {
    value: 50,
    source:
      'simulator limit: kubevirt/kubevirt:pkg/virt-controller/watch/drain/evacuation/evacuation.go creates a new VMIM after every failure, for ever; with the failed-migration backoff (20 s doubling, at most 320 s) 50 VMIMs are over 4 h of backoff alone',
  },
  /** Syncs of one Pending VMIM before the migration controller fails it. */
  maxSyncsPerPendingVmim: {
    value: 1_000_000,
    source: `simulator limit: ${MIGRATION_CTRL} requeues a Pending VMIM (1-5 s by priority) for ever; 1,000,000 syncs are ~11.6 days at 1 s`,
  },
} as const satisfies Record<string, Sourced<number>>;

/**
 * The migration priority queue (gate MigrationPriorityQueue): Alpha in v1.7, Beta in v1.8, GA in v1.9.
 * KubeVirt enables only GA gates by default (`pkg/virt-config/feature-gates.go`,
 * `isFeatureGateEnabled`), so on the default path it is on from v1.9; v1.7 and v1.8 need the gate.
 */
export const PRIORITY_QUEUE = {
  gateSince: {
    value: 'v1.7',
    source: 'kubevirt/kubevirt:pkg/virt-config/featuregate/active.go @v1.7.0 (MigrationPriorityQueue, Alpha)',
  },
  defaultSince: {
    value: 'v1.9',
    source: 'kubevirt/kubevirt:pkg/virt-config/featuregate/inactive.go @d923fdb (MigrationPriorityQueue, GA)',
  },
} as const satisfies Record<string, Sourced<string>>;

export interface MigrationControllerTiming {
  /** Requeue of a Pending VMIM refused by a parallel limit, priority ≥ system-critical. */
  readonly requeueSystemCriticalSeconds: number;
  /** … priority ≥ user-triggered. */
  readonly requeueUserTriggeredSeconds: number;
  /** … any lower priority (and every VMIM before v1.7). */
  readonly requeueDefaultSeconds: number;
  /**
   * The priority queue: requeue delays by priority, re-enqueue of the top Pending VMIMs when one
   * finishes, and an evacuation controller that creates every VMIM at once. Off: 5 s for all, no
   * re-enqueue, and the evacuation controller creates VMIMs only into free slots.
   */
  readonly priorityQueue: boolean;
  /** Evacuation / workload-update retry backoff after the first consecutive failure. */
  readonly backoffInitialSeconds: number;
  /** Factor per further consecutive failure. */
  readonly backoffFactor: number;
  /**
   * Finalized VMIMs kept per VMI; older ones are garbage-collected, so the backoff sees at most this
   * many failures: the cap is initial × factor^(kept − 1) = 20 × 2^4 = 320 s.
   */
  readonly finalizedMigrationsKept: number;
  /** A target pod Pending and Unschedulable this long fails the migration. */
  readonly unschedulablePendingTimeoutSeconds: number;
  /** A target pod Pending for any reason this long fails the migration. */
  readonly catchAllPendingTimeoutSeconds: number;
  /** kube-scheduler's longest pod backoff: how often an unschedulable target pod is retried. */
  readonly schedulerRetrySeconds: number;
}

/** The controller timing of one KubeVirt release (latest by default). */
export function migrationControllerTiming(
  kubevirtVersion: string = LATEST_KUBEVIRT_VERSION,
  options: { readonly priorityQueueGate?: boolean } = {},
): MigrationControllerTiming {
  const c = MIGRATION_CONTROLLER_CONSTANTS;
  const priorityQueue =
    isAtLeast(kubevirtVersion, PRIORITY_QUEUE.defaultSince.value) ||
    (options.priorityQueueGate === true && isAtLeast(kubevirtVersion, PRIORITY_QUEUE.gateSince.value));
  return {
    requeueSystemCriticalSeconds: (priorityQueue ? c.requeueSystemCriticalSeconds : c.requeueDefaultSeconds)
      .value,
    requeueUserTriggeredSeconds: (priorityQueue ? c.requeueUserTriggeredSeconds : c.requeueDefaultSeconds)
      .value,
    requeueDefaultSeconds: c.requeueDefaultSeconds.value,
    priorityQueue,
    backoffInitialSeconds: c.failedMigrationBackoffSeconds.value,
    backoffFactor: c.backoffFactor.value,
    finalizedMigrationsKept: c.finalizedMigrationsKept.value,
    unschedulablePendingTimeoutSeconds: c.unschedulablePendingTimeoutSeconds.value,
    catchAllPendingTimeoutSeconds: c.catchAllPendingTimeoutSeconds.value,
    schedulerRetrySeconds: c.schedulerRetrySeconds.value,
  };
}
