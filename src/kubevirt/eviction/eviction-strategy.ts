/**
 * What a node drain does to a VMI: the evictionStrategy table of KubeVirt's pod-eviction webhook
 * (`kubevirt/kubevirt:pkg/virt-api/webhooks/validating-webhook/admitters/pod-eviction-admitter.go`,
 * `admitLauncherPod`) with the strategy resolution of `pkg/util/migrations/migrations.go`
 * (`VMIEvictionStrategy`, `VMIMigratableOnEviction`).
 */

import type { EvictionStrategy } from '../../profiles/types.ts';
import type { DrainAction } from '../../trace/kubevirt.ts';

/** KubeVirt's cluster default (`pkg/virt-config/configuration.go`, `defaultEvictionStrategy`). */
export const DEFAULT_CLUSTER_EVICTION_STRATEGY: EvictionStrategy = 'None';

export interface EvictionDecision {
  readonly strategy: EvictionStrategy;
  readonly action: DrainAction;
  /** Whether the eviction API call succeeds (the pod is deleted) or is denied with HTTP 429. */
  readonly evictionAllowed: boolean;
  /** The webhook's denial message, when denied. */
  readonly message?: string;
}

/** The VMI's own strategy wins over the cluster's; both absent means the cluster default `None`. */
export function effectiveEvictionStrategy(
  vmiStrategy: EvictionStrategy | undefined,
  clusterStrategy: EvictionStrategy | undefined,
): EvictionStrategy {
  return vmiStrategy ?? clusterStrategy ?? DEFAULT_CLUSTER_EVICTION_STRATEGY;
}

/** `VMIMigratableOnEviction`: LiveMigrate always; LiveMigrateIfPossible when live-migratable. */
export function migratableOnEviction(strategy: EvictionStrategy, liveMigratable: boolean): boolean {
  return strategy === 'LiveMigrate' || (strategy === 'LiveMigrateIfPossible' && liveMigratable);
}

/**
 * The table, row by row:
 *
 * | strategy              | live-migratable | not live-migratable |
 * |-----------------------|-----------------|---------------------|
 * | LiveMigrate           | migrate         | block               |
 * | LiveMigrateIfPossible | migrate         | shutdown            |
 * | External              | external        | external            |
 * | None                  | shutdown        | shutdown            |
 */
export function evictionDecision(
  strategy: EvictionStrategy,
  liveMigratable: boolean,
  vmiName: string,
  namespace: string,
): EvictionDecision {
  const marked = `Eviction triggered evacuation of VMI "${namespace}/${vmiName}"`;
  switch (strategy) {
    case 'LiveMigrate':
      return liveMigratable
        ? { strategy, action: 'migrate', evictionAllowed: false, message: marked }
        : {
            strategy,
            action: 'block',
            evictionAllowed: false,
            message: `VMI ${vmiName} is configured with an eviction strategy but is not live-migratable`,
          };
    case 'LiveMigrateIfPossible':
      return liveMigratable
        ? { strategy, action: 'migrate', evictionAllowed: false, message: marked }
        : { strategy, action: 'shutdown', evictionAllowed: true };
    case 'External':
      return { strategy, action: 'external', evictionAllowed: false, message: marked };
    case 'None':
      return { strategy, action: 'shutdown', evictionAllowed: true };
  }
}
