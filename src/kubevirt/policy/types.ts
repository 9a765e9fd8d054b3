/**
 * Migration configuration as the migration controller sees it: the cluster-wide
 * `KubeVirt.spec.configuration.migrations` and the `MigrationPolicy` objects that refine it
 * (`kubevirt/kubevirt:staging/src/kubevirt.io/api/migrations/v1alpha1/types.go`).
 * Quantities are parsed at the edge: plain numbers in the unit named last.
 */
import type { KubevirtMigrationSettings } from '../../profiles/types.ts';

/** Kubernetes labels: key → value. */
export type Labels = Readonly<Record<string, string>>;

/**
 * `KubeVirt.spec.configuration.migrations`: the profile's settings (`src/profiles/types.ts`), where
 * allowWorkloadDisruption may also be left unset, plus the fields only a few paths read.
 */
export interface ClusterMigrationConfig extends Omit<KubevirtMigrationSettings, 'allowWorkloadDisruption'> {
  /** Unset follows allowPostCopy (`pkg/virt-config` `GetMigrationConfiguration`). */
  readonly allowWorkloadDisruption?: boolean;
  /** v1.9+; only the experimental stall detector and downtime tuning read it. */
  readonly maxDowntimeMs?: number;
  readonly unsafeMigrationOverride?: boolean;
  readonly disableTLS?: boolean;
}

/** The selectors of a policy: plain key=value maps, every entry must match. */
export interface MigrationPolicySelectors {
  readonly namespaceSelector?: Labels;
  readonly virtualMachineInstanceSelector?: Labels;
}

/**
 * The fields a `MigrationPolicy` may set. Absent means "keep the cluster value". A policy cannot set
 * the parallel limits, progressTimeout, unsafeMigrationOverride or disableTLS.
 */
export interface MigrationPolicySpec {
  readonly allowAutoConverge?: boolean;
  readonly bandwidthPerMigrationBytesPerSecond?: number;
  readonly completionTimeoutPerGiBSeconds?: number;
  readonly allowPostCopy?: boolean;
  readonly allowWorkloadDisruption?: boolean;
  readonly maxDowntimeMs?: number;
}

/** A cluster-scoped `migrations.kubevirt.io/v1alpha1` MigrationPolicy. */
export interface MigrationPolicy extends MigrationPolicySpec {
  readonly name: string;
  /** A policy without selectors matches nothing. */
  readonly selectors?: MigrationPolicySelectors;
}

/** The configuration one migration runs with: cluster values with the matched policy on top. */
export interface ResolvedMigrationConfig {
  readonly bandwidthPerMigrationBytesPerSecond: number;
  readonly completionTimeoutPerGiBSeconds: number;
  readonly progressTimeoutSeconds: number;
  readonly allowAutoConverge: boolean;
  readonly allowPostCopy: boolean;
  readonly allowWorkloadDisruption: boolean;
  readonly maxDowntimeMs: number | undefined;
  readonly unsafeMigrationOverride: boolean;
  readonly disableTLS: boolean;
  /** Name of the policy that was applied, undefined when none matched. */
  readonly policyName: string | undefined;
}
