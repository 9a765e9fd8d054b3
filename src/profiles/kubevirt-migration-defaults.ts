/**
 * KubeVirt live-migration configuration defaults. Harvester does not override them
 * (controlplane.md §5, migration.md §1).
 */
import type { SourcedFields } from './sourced.ts';
import type { KubevirtMigrationSettings } from './types.ts';
import { isAtLeast } from './version.ts';

const virtConfig = 'kubevirt/kubevirt:pkg/virt-config/virt-config.go';

export function kubevirtMigrationDefaults(kubevirtVersion: string): SourcedFields<KubevirtMigrationSettings> {
  return {
    bandwidthPerMigrationBytesPerSecond: {
      value: 0,
      source: `${virtConfig} (0 = unlimited; 64Mi until v0.44, commit ba569ec0)`,
    },
    completionTimeoutPerGiBSeconds: isAtLeast(kubevirtVersion, '1.4.0')
      ? { value: 150, source: `${virtConfig} (150 from v1.4.0, commit 5080d817)` }
      : { value: 800, source: `${virtConfig} (800 before v1.4.0, commit 5080d817)` },
    progressTimeoutSeconds: { value: 150, source: virtConfig },
    parallelMigrationsPerCluster: { value: 5, source: virtConfig },
    parallelOutboundMigrationsPerNode: { value: 2, source: virtConfig },
    allowAutoConverge: { value: false, source: virtConfig },
    allowPostCopy: { value: false, source: virtConfig },
    allowWorkloadDisruption: {
      value: false,
      source: 'kubevirt/kubevirt:pkg/virt-config (GetMigrationConfiguration: unset follows allowPostCopy)',
    },
  };
}
