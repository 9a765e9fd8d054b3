import { describe, expect, it } from 'vitest';
import { resolveMigrationConfig } from '../../../src/kubevirt/policy/merge.ts';
import type { ClusterMigrationConfig } from '../../../src/kubevirt/policy/types.ts';

// kubevirt/kubevirt:pkg/virt-controller/watch/migration/migrationpolicy.go applyMigrationPolicySpec;
// cluster defaults from pkg/virt-config/virt-config.go (research/migration.md §1).
const cluster: ClusterMigrationConfig = {
  parallelMigrationsPerCluster: 5,
  parallelOutboundMigrationsPerNode: 2,
  bandwidthPerMigrationBytesPerSecond: 0,
  completionTimeoutPerGiBSeconds: 150,
  progressTimeoutSeconds: 150,
  allowAutoConverge: false,
  allowPostCopy: false,
};

describe('policy field merge (applyMigrationPolicySpec)', () => {
  it('without a policy the cluster config applies, allowWorkloadDisruption following allowPostCopy', () => {
    const resolved = resolveMigrationConfig({ ...cluster, allowPostCopy: true }, undefined);
    expect(resolved.allowWorkloadDisruption).toBe(true);
    expect(resolved.completionTimeoutPerGiBSeconds).toBe(150);
    expect(resolved.policyName).toBeUndefined();
  });

  it('fields the policy sets replace the cluster values; unset ones keep them', () => {
    const resolved = resolveMigrationConfig(cluster, {
      name: 'fast',
      selectors: {},
      bandwidthPerMigrationBytesPerSecond: 64 * 2 ** 20,
      allowAutoConverge: true,
    });
    expect(resolved).toMatchObject({
      bandwidthPerMigrationBytesPerSecond: 67_108_864,
      allowAutoConverge: true,
      completionTimeoutPerGiBSeconds: 150,
      progressTimeoutSeconds: 150,
      allowPostCopy: false,
      allowWorkloadDisruption: false,
      policyName: 'fast',
    });
  });

  it('a policy setting allowPostCopy but not allowWorkloadDisruption sets both', () => {
    const resolved = resolveMigrationConfig(cluster, { name: 'pc', selectors: {}, allowPostCopy: true });
    expect(resolved.allowPostCopy).toBe(true);
    expect(resolved.allowWorkloadDisruption).toBe(true);
  });

  it('an explicit allowWorkloadDisruption in the policy wins over its allowPostCopy', () => {
    const resolved = resolveMigrationConfig(cluster, {
      name: 'pc',
      selectors: {},
      allowPostCopy: true,
      allowWorkloadDisruption: false,
    });
    expect(resolved.allowWorkloadDisruption).toBe(false);
  });

  it('a policy without allowPostCopy keeps the cluster allowWorkloadDisruption', () => {
    const resolved = resolveMigrationConfig(
      { ...cluster, allowWorkloadDisruption: true },
      { name: 'timeout', selectors: {}, completionTimeoutPerGiBSeconds: 20 },
    );
    expect(resolved.allowWorkloadDisruption).toBe(true);
    expect(resolved.completionTimeoutPerGiBSeconds).toBe(20);
  });
});
