/**
 * The eviction API's PodDisruptionBudget check (kubernetes/kubernetes:pkg/registry/core/pod/storage/eviction.go
 * `checkAndDecrement`; the disruption controller's `disruptionsAllowed` =
 * `currentHealthy - desiredHealthy`, pkg/controller/disruption/disruption.go): an eviction of a pod a
 * budget selects is refused with 429 TooManyRequests ("Cannot evict pod as it would violate the pod's
 * disruption budget.") unless the budget still allows a disruption. A pod already being deleted
 * (terminating) no longer counts as healthy.
 */

/** A budget with an integer `minAvailable` over pods selected by labels in one namespace. */
export interface PodDisruptionBudget {
  readonly namespace: string;
  readonly name: string;
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly minAvailable: number;
}

/** A pod as the budget sees it. */
export interface BudgetedPod {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Running and Ready, not being deleted. */
  readonly healthy: boolean;
}

/** The refusal the eviction API answers with, naming the budget. */
export interface BudgetRefusal {
  readonly pdb: string;
  readonly message: string;
  readonly currentHealthy: number;
  readonly minAvailable: number;
}

/** The message of the 429 (eviction.go). */
export const PDB_VIOLATION_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";

/** `metav1.LabelSelector` matchLabels: every pair present; an empty selector selects every pod of the namespace (policy/v1). */
export function selects(
  budget: PodDisruptionBudget,
  pod: Pick<BudgetedPod, 'namespace' | 'labels'>,
): boolean {
  if (budget.namespace !== pod.namespace) return false;
  return Object.entries(budget.matchLabels).every(([key, value]) => pod.labels[key] === value);
}

/** Disruptions the budget allows now: healthy selected pods above `minAvailable`, never below 0. */
export function disruptionsAllowed(budget: PodDisruptionBudget, pods: readonly BudgetedPod[]): number {
  const healthy = pods.filter((p) => p.healthy && selects(budget, p)).length;
  return Math.max(0, healthy - budget.minAvailable);
}

/**
 * The eviction of `pod` through every budget that selects it: the first budget (in the given order)
 * that allows no disruption refuses it, or null when the eviction may proceed. (The API refuses an
 * eviction of a pod selected by more than one budget outright; that case is reported the same way.)
 */
export function evictionRefusal(
  budgets: readonly PodDisruptionBudget[],
  pod: BudgetedPod,
  pods: readonly BudgetedPod[],
): BudgetRefusal | null {
  const matching = budgets.filter((b) => selects(b, pod));
  if (matching.length > 1)
    return {
      pdb: `${matching[0].namespace}/${matching[0].name}`,
      message:
        'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      currentHealthy: 0,
      minAvailable: matching[0].minAvailable,
    };
  for (const budget of matching) {
    const currentHealthy = pods.filter((p) => p.healthy && selects(budget, p)).length;
    if (currentHealthy - budget.minAvailable <= 0)
      return {
        pdb: `${budget.namespace}/${budget.name}`,
        message: `${PDB_VIOLATION_MESSAGE} The disruption budget ${budget.name} needs ${budget.minAvailable} healthy pods and has ${currentHealthy} currently`,
        currentHealthy,
        minAvailable: budget.minAvailable,
      };
  }
  return null;
}
