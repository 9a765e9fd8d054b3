import { effectiveAllowWorkloadDisruption } from '../../profiles/kubevirt-migration-defaults.ts';
import type { ClusterMigrationConfig, MigrationPolicy, ResolvedMigrationConfig } from './types.ts';

/**
 * The configuration a migration runs with (`kubevirt/kubevirt:pkg/virt-controller/watch/migration/
 * migrationpolicy.go`, `applyMigrationPolicySpec`; resolved once at target-pod handoff,
 * `handleTargetPodHandoff`):
 * - start from the cluster config, where an unset allowWorkloadDisruption follows allowPostCopy
 *   (`pkg/virt-config`, `GetMigrationConfiguration`);
 * - every field the policy sets replaces the cluster value;
 * - a policy that sets allowPostCopy but not allowWorkloadDisruption also sets
 *   allowWorkloadDisruption to its allowPostCopy (backward compatibility).
 */
export function resolveMigrationConfig(
  cluster: ClusterMigrationConfig,
  policy: MigrationPolicy | undefined,
): ResolvedMigrationConfig {
  const base: ResolvedMigrationConfig = {
    bandwidthPerMigrationBytesPerSecond: cluster.bandwidthPerMigrationBytesPerSecond,
    completionTimeoutPerGiBSeconds: cluster.completionTimeoutPerGiBSeconds,
    progressTimeoutSeconds: cluster.progressTimeoutSeconds,
    allowAutoConverge: cluster.allowAutoConverge,
    allowPostCopy: cluster.allowPostCopy,
    allowWorkloadDisruption: effectiveAllowWorkloadDisruption(
      cluster.allowWorkloadDisruption,
      cluster.allowPostCopy,
    ),
    maxDowntimeMs: cluster.maxDowntimeMs,
    unsafeMigrationOverride: cluster.unsafeMigrationOverride ?? false,
    disableTLS: cluster.disableTLS ?? false,
    policyName: undefined,
  };
  if (policy === undefined) return base;
  const policyDisruption =
    policy.allowPostCopy === undefined
      ? policy.allowWorkloadDisruption
      : effectiveAllowWorkloadDisruption(policy.allowWorkloadDisruption, policy.allowPostCopy);
  return {
    ...base,
    bandwidthPerMigrationBytesPerSecond:
      policy.bandwidthPerMigrationBytesPerSecond ?? base.bandwidthPerMigrationBytesPerSecond,
    completionTimeoutPerGiBSeconds:
      policy.completionTimeoutPerGiBSeconds ?? base.completionTimeoutPerGiBSeconds,
    allowAutoConverge: policy.allowAutoConverge ?? base.allowAutoConverge,
    allowPostCopy: policy.allowPostCopy ?? base.allowPostCopy,
    allowWorkloadDisruption: policyDisruption ?? base.allowWorkloadDisruption,
    maxDowntimeMs: policy.maxDowntimeMs ?? base.maxDowntimeMs,
    policyName: policy.name,
  };
}
