import type { Labels, MigrationPolicy } from './types.ts';

/**
 * How well a policy fits a VMI: how many selector entries matched the VMI labels and how many matched
 * the namespace labels (`kubevirt/kubevirt:pkg/virt-controller/watch/migration/migrationpolicy.go`,
 * `migrationPolicyMatchScore`).
 */
export interface PolicyMatchScore {
  readonly vmiLabels: number;
  readonly namespaceLabels: number;
}

/**
 * The score of one policy for a VMI, or undefined when the policy does not match
 * (`countMatchingLabels`). Rules, in upstream order:
 * - a policy without `selectors` matches nothing;
 * - every key=value of the VMI selector must be on the VMI, every key=value of the namespace
 *   selector on the namespace; an absent sub-selector matches everything and counts 0;
 * - quirk: both selectors are only consulted when the VMI has labels. A VMI without labels matches
 *   every policy that has `selectors`, with score 0. (An empty label map is taken as "no labels",
 *   as the API server stores it.)
 */
export function scorePolicy(
  policy: MigrationPolicy,
  vmiLabels: Labels | undefined,
  namespaceLabels: Labels | undefined,
): PolicyMatchScore | undefined {
  const selectors = policy.selectors;
  if (selectors === undefined) return undefined;
  if (!hasLabels(vmiLabels)) return { vmiLabels: 0, namespaceLabels: 0 };
  const vmi = countMatches(selectors.virtualMachineInstanceSelector, vmiLabels);
  if (vmi === undefined) return undefined;
  const namespace = countMatches(selectors.namespaceSelector, namespaceLabels ?? {});
  if (namespace === undefined) return undefined;
  return { vmiLabels: vmi, namespaceLabels: namespace };
}

/**
 * Orders scores as upstream `greaterThan` does: the higher total wins; on an equal total, more
 * matched VMI labels wins. Positive when `a` is better than `b`, 0 when they are equal.
 */
export function compareScores(a: PolicyMatchScore, b: PolicyMatchScore): number {
  const totalA = a.vmiLabels + a.namespaceLabels;
  const totalB = b.vmiLabels + b.namespaceLabels;
  if (totalA !== totalB) return totalA - totalB;
  return a.vmiLabels - b.vmiLabels;
}

/**
 * The one policy that applies to a VMI (`matchPolicy`): the best score wins; among equal best scores
 * the lexicographically smallest name. Undefined when no policy matches. Policies never merge with
 * each other.
 */
export function matchPolicy(
  policies: readonly MigrationPolicy[],
  vmiLabels: Labels | undefined,
  namespaceLabels: Labels | undefined,
): MigrationPolicy | undefined {
  let best: MigrationPolicy | undefined;
  let bestScore: PolicyMatchScore | undefined;
  for (const policy of policies) {
    const score = scorePolicy(policy, vmiLabels, namespaceLabels);
    if (score === undefined) continue;
    const order = bestScore === undefined ? 1 : compareScores(score, bestScore);
    if (order > 0 || (order === 0 && best !== undefined && policy.name < best.name)) {
      best = policy;
      bestScore = score;
    }
  }
  return best;
}

function hasLabels(labels: Labels | undefined): labels is Labels {
  return labels !== undefined && Object.keys(labels).length > 0;
}

/** Number of selector entries found in `labels`, or undefined if one is missing or differs. */
function countMatches(selector: Labels | undefined, labels: Labels): number | undefined {
  if (selector === undefined) return 0;
  let matched = 0;
  for (const key of Object.keys(selector)) {
    if (!Object.hasOwn(labels, key) || labels[key] !== selector[key]) return undefined;
    matched++;
  }
  return matched;
}
