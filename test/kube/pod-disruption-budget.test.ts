/**
 * The eviction API's budget check (kubernetes/kubernetes:pkg/registry/core/pod/storage/eviction.go)
 * and KubeVirt's launcher budget (pkg/virt-controller/watch/drain/disruptionbudget/disruptionbudget.go).
 */
import { describe, expect, it } from 'vitest';
import { evictionRefusal } from '../../src/kube/pod-disruption-budget.ts';
import { evictionDecision } from '../../src/kubevirt/eviction/eviction-strategy.ts';
import { launcherPdbMinAvailable } from '../../src/kubevirt/eviction/launcher-pdb.ts';
import type { EvictionStrategy } from '../../src/profiles/types.ts';

const budget = { namespace: 'd', name: 'b', matchLabels: { app: 'x' }, minAvailable: 2 };
const pod = (healthy: boolean, labels: Record<string, string> = { app: 'x' }) => ({
  namespace: 'd',
  labels,
  healthy,
});

describe('eviction.go checkAndDecrement', () => {
  it('disruptionsAllowed = currentHealthy - minAvailable: 3 healthy of minAvailable 2 lets one eviction through', () => {
    expect(evictionRefusal([budget], pod(true), [pod(true), pod(true), pod(true)])).toBeNull();
  });

  it('a terminating pod is not healthy: 2 healthy of minAvailable 2 refuses with the upstream message', () => {
    const refusal = evictionRefusal([budget], pod(true), [pod(true), pod(true), pod(false)]);
    expect(refusal?.message).toBe(
      "Cannot evict pod as it would violate the pod's disruption budget. The disruption budget b needs 2 healthy pods and has 2 currently",
    );
  });

  it('a pod no budget selects is evicted; one selected by two budgets is refused ("more than one PodDisruptionBudget")', () => {
    expect(evictionRefusal([budget], pod(true, { app: 'y' }), [])).toBeNull();
    const two = evictionRefusal([budget, { ...budget, name: 'c' }], pod(true), [
      pod(true),
      pod(true),
      pod(true),
    ]);
    expect(two?.message).toMatch(/more than one PodDisruptionBudget/);
  });
});

describe('KubeVirt launcher budget vs the eviction webhook (admission runs before the budget check)', () => {
  const strategies: EvictionStrategy[] = ['LiveMigrate', 'LiveMigrateIfPossible', 'External', 'None'];
  it('minAvailable 1, 2 during a migration, only when VMIMigratableOnEviction', () => {
    expect(launcherPdbMinAvailable('LiveMigrate', true, false)).toBe(1);
    expect(launcherPdbMinAvailable('LiveMigrate', true, true)).toBe(2);
    expect(launcherPdbMinAvailable('LiveMigrateIfPossible', false, false)).toBeNull();
    expect(launcherPdbMinAvailable('None', true, false)).toBeNull();
  });

  it('every eviction the webhook lets through is of a VMI without a KubeVirt budget', () => {
    for (const strategy of strategies)
      for (const migratable of [true, false]) {
        const allowed = evictionDecision(strategy, migratable, 'v', 'd').evictionAllowed;
        if (allowed) expect(launcherPdbMinAvailable(strategy, migratable, false)).toBeNull();
      }
  });
});
