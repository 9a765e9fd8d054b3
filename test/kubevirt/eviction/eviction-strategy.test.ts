import { describe, expect, it } from 'vitest';
import {
  effectiveEvictionStrategy,
  evictionDecision,
  migratableOnEviction,
} from '../../../src/kubevirt/eviction/eviction-strategy.ts';
import type { EvictionStrategy } from '../../../src/profiles/types.ts';
import type { DrainAction } from '../../../src/trace/kubevirt.ts';

// kubevirt/kubevirt:pkg/virt-api/webhooks/validating-webhook/admitters/pod-eviction-admitter.go
// (admitLauncherPod) and pkg/util/migrations/migrations.go (VMIEvictionStrategy,
// VMIMigratableOnEviction); research/migration.md §5 table.

const rows: [EvictionStrategy, boolean, DrainAction, boolean][] = [
  ['LiveMigrate', true, 'migrate', false],
  ['LiveMigrate', false, 'block', false],
  ['LiveMigrateIfPossible', true, 'migrate', false],
  ['LiveMigrateIfPossible', false, 'shutdown', true],
  ['External', true, 'external', false],
  ['External', false, 'external', false],
  ['None', true, 'shutdown', true],
  ['None', false, 'shutdown', true],
];

describe('evictionStrategy table (pod-eviction-admitter.go admitLauncherPod)', () => {
  it.each(rows)(
    '%s with live-migratable=%s → %s (eviction allowed: %s)',
    (strategy, migratable, action, allowed) => {
      const decision = evictionDecision(strategy, migratable, 'vm1', 'default');
      expect(decision.action).toBe(action);
      expect(decision.evictionAllowed).toBe(allowed);
    },
  );

  it('LiveMigrate on a non-migratable VMI is denied with the webhook message', () => {
    expect(evictionDecision('LiveMigrate', false, 'vm1', 'default').message).toBe(
      'VMI vm1 is configured with an eviction strategy but is not live-migratable',
    );
  });

  it('a marked VMI is denied with "Eviction triggered evacuation"', () => {
    expect(evictionDecision('LiveMigrate', true, 'vm1', 'ns').message).toBe(
      'Eviction triggered evacuation of VMI "ns/vm1"',
    );
  });
});

describe('strategy resolution (migrations.go VMIEvictionStrategy)', () => {
  it('the VMI strategy wins over the cluster strategy', () => {
    expect(effectiveEvictionStrategy('None', 'LiveMigrate')).toBe('None');
  });
  it('without a VMI strategy the cluster strategy applies', () => {
    expect(effectiveEvictionStrategy(undefined, 'LiveMigrateIfPossible')).toBe('LiveMigrateIfPossible');
  });
  it('without either the default is None (virt-config configuration.go defaultEvictionStrategy)', () => {
    expect(effectiveEvictionStrategy(undefined, undefined)).toBe('None');
  });
});

describe('VMIMigratableOnEviction', () => {
  it('LiveMigrate always, LiveMigrateIfPossible only when live-migratable, others never', () => {
    expect(migratableOnEviction('LiveMigrate', false)).toBe(true);
    expect(migratableOnEviction('LiveMigrateIfPossible', true)).toBe(true);
    expect(migratableOnEviction('LiveMigrateIfPossible', false)).toBe(false);
    expect(migratableOnEviction('External', true)).toBe(false);
    expect(migratableOnEviction('None', true)).toBe(false);
  });
});
