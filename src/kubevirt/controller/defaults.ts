/**
 * Constants of the migration, evacuation and maintenance controllers that are not in the KubeVirt
 * migration defaults table (`src/kubevirt/defaults.ts`, imported here). Each entry names its
 * upstream source. KubeVirt paths are at `kubevirt/kubevirt` main d923fdb (after v1.9.0), Harvester
 * paths at `harvester/harvester` master 3d63c2a.
 */

import type { Sourced } from '../../profiles/types.ts';
import { kubevirtMigrationDefaults, LATEST_KUBEVIRT_VERSION, parseKubevirtVersion } from '../defaults.ts';

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

/**
 * Controller constants that `src/kubevirt/defaults.ts` does not hold (that table has the requeue
 * delays, the first backoff and the pending-pod timeouts per release).
 */
export const MIGRATION_CONTROLLER_CONSTANTS = {
  backoffFactor: {
    value: 2,
    source: 'kubevirt/kubevirt:pkg/virt-controller/watch/migration/migration.go handleMigrationBackoff',
  },
  finalizedMigrationsKept: {
    value: 5,
    source:
      'kubevirt/kubevirt:pkg/virt-controller/watch/migration/migration.go defaultFinalizedMigrationGarbageCollectionBuffer',
  },
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
  const d = kubevirtMigrationDefaults(kubevirtVersion);
  const version = parseKubevirtVersion(kubevirtVersion);
  const priorityQueue =
    atLeast(version, PRIORITY_QUEUE.defaultSince.value) ||
    (options.priorityQueueGate === true && atLeast(version, PRIORITY_QUEUE.gateSince.value));
  const requeue = d.pendingRequeueSeconds.value;
  return {
    requeueSystemCriticalSeconds: priorityQueue ? requeue.systemCritical : requeue.other,
    requeueUserTriggeredSeconds: priorityQueue ? requeue.userTriggered : requeue.other,
    requeueDefaultSeconds: requeue.other,
    priorityQueue,
    backoffInitialSeconds: d.failedMigrationBackoffSeconds.value,
    backoffFactor: MIGRATION_CONTROLLER_CONSTANTS.backoffFactor.value,
    finalizedMigrationsKept: MIGRATION_CONTROLLER_CONSTANTS.finalizedMigrationsKept.value,
    unschedulablePendingTimeoutSeconds: d.unschedulablePendingTimeoutSeconds.value,
    catchAllPendingTimeoutSeconds: d.catchAllPendingTimeoutSeconds.value,
    schedulerRetrySeconds: MIGRATION_CONTROLLER_CONSTANTS.schedulerRetrySeconds.value,
  };
}

function atLeast(version: readonly [number, number], since: string): boolean {
  const [major, minor] = parseKubevirtVersion(since);
  return version[0] > major || (version[0] === major && version[1] >= minor);
}

export interface MaintenanceTiming {
  /** Grace period the drain gives every evicted pod. */
  readonly drainGracePeriodSeconds: number;
  /** One drain attempt gives up after this long. */
  readonly drainTimeoutSeconds: number;
  /** kubectl drain retries a denied (HTTP 429) eviction after this long. */
  readonly evictionRetrySeconds: number;
  /** kubectl drain polls for evicted pods to be gone this often. */
  readonly podDeletePollSeconds: number;
  /** The maintain controller re-checks for VMIs left on the node this often. */
  readonly completionCheckSeconds: number;
  /** First requeue of the node-drain controller after a failed drain (workqueue rate limiter). */
  readonly drainRetryInitialSeconds: number;
  /** Longest requeue of the node-drain controller. */
  readonly drainRetryMaxSeconds: number;
}

export const MAINTENANCE_TIMING: { readonly [K in keyof MaintenanceTiming]: Sourced<number> } = {
  drainGracePeriodSeconds: {
    value: 180,
    source: 'harvester/harvester:pkg/util/drainhelper/helper.go defaultGracePeriodSeconds',
  },
  drainTimeoutSeconds: {
    value: 240,
    source: 'harvester/harvester:pkg/util/drainhelper/helper.go defaultTimeOut',
  },
  evictionRetrySeconds: {
    value: 5,
    source: 'kubernetes/kubectl:pkg/drain/drain.go evictPods (TooManyRequests → sleep 5 s)',
  },
  podDeletePollSeconds: { value: 1, source: 'kubernetes/kubectl:pkg/drain/drain.go waitForDelete interval' },
  completionCheckSeconds: {
    value: 10,
    source: 'harvester/harvester:pkg/controller/master/node/maintain_controller.go requeueDelay',
  },
  drainRetryInitialSeconds: {
    value: 0.005,
    source:
      'kubernetes/client-go:util/workqueue/default_rate_limiters.go DefaultControllerRateLimiter (wrangler)',
  },
  drainRetryMaxSeconds: {
    value: 1000,
    source:
      'kubernetes/client-go:util/workqueue/default_rate_limiters.go DefaultControllerRateLimiter (wrangler)',
  },
};

/** The plain numbers of a sourced table. */
export function valuesOf<K extends string>(
  table: { readonly [P in K]: Sourced<number> },
): { [P in K]: number } {
  const out = {} as { [P in K]: number };
  for (const key of Object.keys(table) as K[]) out[key] = table[key].value;
  return out;
}

/** Harvester's per-VM maintenance label and its values (`harvester/harvester:pkg/util/constants.go`). */
export const MAINTAIN_MODE_STRATEGY_LABEL = 'harvesterhci.io/maintain-mode-strategy';

export type MaintainModeStrategy =
  | 'Migrate'
  | 'Shutdown'
  | 'ShutdownAndRestartAfterEnable'
  | 'ShutdownAndRestartAfterDisable';

/** Values that make the drain skip the VM's pod and shut the VM down instead. */
export const MAINTAIN_MODE_SHUTDOWN_STRATEGIES: readonly MaintainModeStrategy[] = [
  'ShutdownAndRestartAfterEnable',
  'ShutdownAndRestartAfterDisable',
  'Shutdown',
];
