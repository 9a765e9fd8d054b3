/**
 * Constants of Harvester's maintenance mode: its node-drain and maintain controllers and the kubectl
 * drain they run. Each entry names its upstream source; Harvester paths are at `harvester/harvester`
 * master 3d63c2a.
 */
import type { SourcedFields } from '../profiles/sourced.ts';
import type { MaintainModeStrategy } from '../profiles/types.ts';

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

const RATE_LIMITER =
  'kubernetes/client-go:util/workqueue/default_rate_limiters.go DefaultControllerRateLimiter (wrangler)';

export const MAINTENANCE_TIMING: SourcedFields<MaintenanceTiming> = {
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
  drainRetryInitialSeconds: { value: 0.005, source: RATE_LIMITER },
  drainRetryMaxSeconds: { value: 1000, source: RATE_LIMITER },
};

/** Bounds on maintenance mode's loops (STYLE.md, "put a limit on everything"); upstream has none. */
export interface MaintenanceLimits {
  /** Drain attempts before maintenance mode gives up. */
  readonly maxDrainAttempts: number;
  /** Checks for VMIs left on the node, after the drain, before it gives up. */
  readonly maxCompletionChecks: number;
}

export const MAINTENANCE_SIMULATOR_LIMITS: SourcedFields<MaintenanceLimits> = {
  maxDrainAttempts: {
    value: 100,
    source:
      'simulator limit: harvester/harvester:pkg/controller/master/nodedrain/nodedrain_controller.go requeues a failed drain for ever; 100 attempts of up to 240 s each, requeued after up to 1000 s, are ~30 h',
  },
  maxCompletionChecks: {
    value: 8640,
    source:
      'simulator limit: harvester/harvester:pkg/controller/master/node/maintain_controller.go re-checks every 10 s without end; 8640 checks are one day',
  },
};

/** Harvester's per-VM maintenance label (`harvester/harvester:pkg/util/constants.go`). */
export const MAINTAIN_MODE_STRATEGY_LABEL = 'harvesterhci.io/maintain-mode-strategy';

/** Values that make the drain skip the VM's pod and shut the VM down instead. */
export const MAINTAIN_MODE_SHUTDOWN_STRATEGIES: readonly MaintainModeStrategy[] = [
  'ShutdownAndRestartAfterEnable',
  'ShutdownAndRestartAfterDisable',
  'Shutdown',
];

/** Control-plane counts of `drainhelper.DrainPossible`. */
export const CONTROL_PLANE_COUNTS: SourcedFields<{ single: number; highAvailability: number }> = {
  single: {
    value: 1,
    source: 'harvester/harvester:pkg/util/drainhelper/helper.go defaultSingleCPCount',
  },
  highAvailability: {
    value: 3,
    source:
      'harvester/harvester:pkg/util/drainhelper/helper.go defaultHACPCount (control-plane or etcd nodes without the maintain-status annotation must number exactly this)',
  },
};

/**
 * Reason keys of `FindNonMigratableVMS` besides the LiveMigratable condition's own reasons
 * (harvester/harvester:pkg/util/constants.go). CD-ROM and container-disk VMs are not a key of
 * their own at master: the node-drain controller sees them only through LiveMigratable=False
 * (pkg/api/node/formatter_test.go Test_listUnmigratableVM expects 0 non-migratable VMs for them).
 */
export const NON_MIGRATABLE_KEYS = {
  lastHealthyReplica: 'LastHealthyReplica',
  schedulingRequirementsNotMet: 'NodeSchedulingRequirementsNotMet',
} as const;
