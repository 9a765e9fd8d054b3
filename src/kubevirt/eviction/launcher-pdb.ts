/**
 * KubeVirt's own PodDisruptionBudget on a VMI's launcher pods (kubevirt/kubevirt:
 * pkg/virt-controller/watch/drain/disruptionbudget/disruptionbudget.go): created with `minAvailable: 1`,
 * selecting `kubevirt.io/created-by: <vmi uid>`, while the VMI is migratable on eviction
 * (`VMIMigratableOnEviction`: LiveMigrate, or LiveMigrateIfPossible when live-migratable) and not
 * being deleted; the migration controller raises it to 2 for a migration (source and target pods)
 * and the budget controller shrinks it back to 1 once the migration is final with one pod left.
 *
 * The eviction subresource runs admission (KubeVirt's pod-eviction webhook) before it checks budgets
 * (kubernetes/kubernetes:pkg/registry/core/pod/storage/eviction.go: `createValidation` first), and
 * the webhook denies every eviction of a VMI that has this budget, so in a drain it is never the
 * budget that answers; it is kept here so that the drain's budget check sees every budget a
 * launcher pod has.
 */
import type { EvictionStrategy } from '../../profiles/types.ts';
import { migratableOnEviction } from './eviction-strategy.ts';

/** The budget's `minAvailable`, or null when the VMI has none. */
export function launcherPdbMinAvailable(
  strategy: EvictionStrategy,
  liveMigratable: boolean,
  migrating: boolean,
): number | null {
  if (!migratableOnEviction(strategy, liveMigratable)) return null;
  return migrating ? 2 : 1;
}
