/**
 * KubeVirt's live-migration configuration (`KubeVirt.spec.configuration.migrations`) as each release
 * defaults it: the one table the profiles, the scenario overrides, the cluster's migrations and
 * `harvester-sim migrate` start from; Harvester leaves KubeVirt's defaults in place
 * (docs/model/migration.md, "Defaults"). Constants no user sets (the monitor's, the controllers')
 * are in src/kubevirt/defaults.ts and src/kubevirt/controller/defaults.ts.
 */
import type { SourcedFields } from './sourced.ts';
import type { KubevirtMigrationSettings } from './types.ts';
import { isAtLeast } from './version.ts';

const VIRT_CONFIG = 'kubevirt/kubevirt:pkg/virt-config/virt-config.go';
const MIGRATION_SOURCE = 'kubevirt/kubevirt:pkg/virt-launcher/virtwrap/live-migration-source.go';

/** The newest KubeVirt release the tables know in detail (main after v1.9.0, d923fdb). */
export const LATEST_KUBEVIRT_VERSION = 'v1.9.0';

/**
 * `allowWorkloadDisruption` left unset follows `allowPostCopy` (`kubevirt/kubevirt:pkg/virt-config/
 * virt-config.go`, `GetMigrationConfiguration`, for backward compatibility; a MigrationPolicy that sets
 * only allowPostCopy does the same, `pkg/virt-controller/watch/migration/migrationpolicy.go`).
 */
export function effectiveAllowWorkloadDisruption(
  allowWorkloadDisruption: boolean | undefined,
  allowPostCopy: boolean,
): boolean {
  return allowWorkloadDisruption ?? allowPostCopy;
}

/** The migration configuration one KubeVirt release ("v1.3.1", "1.5", "0.54") defaults to. */
export function kubevirtMigrationDefaults(
  kubevirtVersion: string = LATEST_KUBEVIRT_VERSION,
): SourcedFields<KubevirtMigrationSettings> {
  const allowPostCopy = { value: false, source: `${VIRT_CONFIG} (MigrationAllowPostCopy)` };
  return {
    bandwidthPerMigrationBytesPerSecond: isAtLeast(kubevirtVersion, '0.44.0')
      ? {
          value: 0,
          source: `${VIRT_CONFIG} (BandwithPerMigrationDefault "0Mi" = unlimited since v0.44.0, commit ba569ec0)`,
        }
      : {
          value: 0,
          source: `${VIRT_CONFIG} (BandwithPerMigrationDefault "64Mi" before v0.44.0, never applied: ${MIGRATION_SOURCE} generateMigrationParams set no BandwidthSet until commit 5ba1127a, v0.44.0, so libvirt migrated unlimited)`,
        },
    completionTimeoutPerGiBSeconds: isAtLeast(kubevirtVersion, '1.4.0')
      ? {
          value: 150,
          source: `${VIRT_CONFIG} (MigrationCompletionTimeoutPerGiB 150 from v1.4.0, commit 5080d817)`,
        }
      : {
          value: 800,
          source: `${VIRT_CONFIG} (MigrationCompletionTimeoutPerGiB 800 before v1.4.0, commit 5080d817)`,
        },
    progressTimeoutSeconds: { value: 150, source: `${VIRT_CONFIG} (MigrationProgressTimeout)` },
    parallelMigrationsPerCluster: {
      value: 5,
      source: `${VIRT_CONFIG} (ParallelMigrationsPerClusterDefault)`,
    },
    parallelOutboundMigrationsPerNode: {
      value: 2,
      source: `${VIRT_CONFIG} (ParallelOutboundMigrationsPerNodeDefault)`,
    },
    allowAutoConverge: { value: false, source: `${VIRT_CONFIG} (MigrationAllowAutoConverge)` },
    allowPostCopy,
    allowWorkloadDisruption: isAtLeast(kubevirtVersion, '1.5.0')
      ? {
          value: effectiveAllowWorkloadDisruption(undefined, allowPostCopy.value),
          source: `${VIRT_CONFIG} (GetMigrationConfiguration: unset follows allowPostCopy; field since v1.5.0, commit 0914f0d0)`,
        }
      : {
          value: effectiveAllowWorkloadDisruption(undefined, allowPostCopy.value),
          source: `${MIGRATION_SOURCE} (no such field before v1.5.0, commit 0914f0d0: allowPostCopy alone decides)`,
        },
  };
}
