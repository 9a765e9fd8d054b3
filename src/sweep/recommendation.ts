/**
 * The recommended point as something to paste: the `spec.configuration.migrations` block of the
 * KubeVirt CR (Harvester keeps it as `kubevirt` in `harvester-system`), every field with the value
 * the point ran with, and the reasons it was chosen.
 */

import { stringify } from 'yaml';
import type { KubevirtMigrationSettings } from '../profiles/types.ts';
import { scenarioFromData } from '../scenario/load.ts';
import type { Scenario, ScenarioMigrationPolicy } from '../scenario/types.ts';
import {
  applyPoint,
  documentPath,
  MIGRATION_NETWORK,
  MIGRATION_SETTINGS,
  pointLabel,
  policySetting,
} from './grid.ts';
import type { SweepResult } from './merge.ts';
import type { PointResult } from './point-metrics.ts';
import { type PreparedSweep, pointScenario, prepareSweep } from './spec.ts';

export interface Recommendation {
  readonly point: PointResult;
  /** The KubeVirt CR with only `spec.configuration.migrations`, as YAML. */
  readonly kubevirtYaml: string;
  /** The swept MigrationPolicy objects with the point's values, as YAML documents; null when none is swept. */
  readonly policyYaml: string | null;
  /** One line per reason. */
  readonly why: readonly string[];
}

/** 536870912 → "512Mi": KubeVirt reads bandwidthPerMigration as a Kubernetes quantity (bytes per second). */
export function quantity(bytes: number): string {
  for (const [suffix, size] of [
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const)
    if (bytes > 0 && bytes % size === 0) return `${bytes / size}${suffix}`;
  return String(bytes);
}

/** `spec.configuration.migrations` fields from the normalized settings (durations are whole seconds upstream). */
export function migrationsBlock(
  s: KubevirtMigrationSettings,
): Record<(typeof MIGRATION_SETTINGS)[number], string | number | boolean> {
  return {
    bandwidthPerMigration: quantity(s.bandwidthPerMigrationBytesPerSecond),
    parallelMigrationsPerCluster: s.parallelMigrationsPerCluster,
    parallelOutboundMigrationsPerNode: s.parallelOutboundMigrationsPerNode,
    allowAutoConverge: s.allowAutoConverge,
    allowPostCopy: s.allowPostCopy,
    allowWorkloadDisruption: s.allowWorkloadDisruption,
    completionTimeoutPerGiB: Math.round(s.completionTimeoutPerGiBSeconds),
    progressTimeout: Math.round(s.progressTimeoutSeconds),
  };
}

const describe = (p: PointResult) =>
  `makespan ${p.makespanSeconds.toFixed(0)} s, downtime p50 ${p.downtimeP50Ms.toFixed(0)} ms / p99 ${p.downtimeP99Ms.toFixed(0)} ms, ` +
  `${p.aborted} aborted, ${p.failed} failed, ${p.postCopy} post-copy per run`;

/**
 * `settings` are the recommended point's normalized migration settings; `baseline` the grid index
 * whose settings equal the scenario's own (null when the grid does not contain them).
 */
export function recommend(
  result: SweepResult,
  settings: KubevirtMigrationSettings,
  baseline: number | null,
  policies: readonly ScenarioMigrationPolicy[] = [],
): Recommendation {
  const point = result.points[result.recommended];
  const block = migrationsBlock(settings);
  const network = Object.entries(point.settings).filter(
    ([k]) => !(MIGRATION_SETTINGS as readonly string[]).includes(k) && policySetting(k) === undefined,
  );
  const swept = new Set(Object.keys(point.settings).map((k) => policySetting(k)?.policy));
  const policyYaml = policies.some((p) => swept.has(p.name))
    ? policies
        .filter((p) => swept.has(p.name))
        .map((p) => migrationPolicyManifest(p))
        .join('---\n')
    : null;
  const lines = [
    '# kubectl -n harvester-system edit kubevirt kubevirt   (or: kubectl apply --server-side -f this file)',
    `# harvester-sim sweep: grid point ${point.index}, ${pointLabel(point.settings)}`,
    ...network.map(([k, v]) =>
      k !== MIGRATION_NETWORK
        ? `# ${documentPath(k).join('.')}=${v} is the network, not a setting: build it so`
        : v === 'none'
          ? '# no dedicated migration network: migrations share the management network'
          : `# a dedicated migration network of ${v}: Harvester's vm-migration-network setting (a VLAN on a cluster network; harvester/docs: advanced/settings.md)`,
    ),
    'apiVersion: kubevirt.io/v1',
    'kind: KubeVirt',
    'metadata:',
    '  name: kubevirt',
    '  namespace: harvester-system',
    'spec:',
    '  configuration:',
    '    migrations:',
    ...Object.entries(block).map(([k, v]) => `      ${k}: ${typeof v === 'string' ? JSON.stringify(v) : v}`),
  ];
  const total = result.points.length;
  const why = [
    `rank 1 of ${total} by ${result.objective.join(', then ')} (each minimized): ${describe(point)}`,
    result.pareto.includes(point.index)
      ? `on the Pareto front of makespan × p99 downtime × failures (${result.pareto.length} of ${total} points; no point is better on all three)`
      : `not on the Pareto front: the objective order put it first`,
  ];
  if (baseline !== null && baseline !== point.index) {
    const b = result.points[baseline];
    why.push(
      `the scenario's own settings (point ${baseline}, rank ${result.ranking.indexOf(baseline) + 1}): ${describe(b)}`,
    );
  } else if (baseline === point.index)
    why.push("these are the scenario's own settings: nothing in the grid did better");
  if (settings.allowPostCopy)
    why.push(
      'allowPostCopy: while a VM runs in post-copy, losing the source or the target node loses the VM',
    );
  else if (settings.allowWorkloadDisruption)
    why.push('allowWorkloadDisruption: a migration that does not converge pauses the guest to finish');
  if (settings.bandwidthPerMigrationBytesPerSecond === 0)
    why.push(
      'bandwidthPerMigration 0 is unlimited: migrations share the link between themselves and everything else on it',
    );
  return { point, kubevirtYaml: `${lines.join('\n')}\n`, policyYaml, why };
}

/**
 * A MigrationPolicy as `kubectl apply -f` takes it (`migrations.kubevirt.io/v1alpha1`, cluster-scoped;
 * selectors are plain label maps): the fields the policy sets, with the values the point ran with.
 */
export function migrationPolicyManifest(policy: ScenarioMigrationPolicy): string {
  const spec: Record<string, unknown> = {};
  if (policy.selectors !== undefined) spec.selectors = policy.selectors;
  if (policy.allowAutoConverge !== undefined) spec.allowAutoConverge = policy.allowAutoConverge;
  if (policy.bandwidthPerMigrationBytesPerSecond !== undefined)
    spec.bandwidthPerMigration = quantity(policy.bandwidthPerMigrationBytesPerSecond);
  if (policy.completionTimeoutPerGiBSeconds !== undefined)
    spec.completionTimeoutPerGiB = Math.round(policy.completionTimeoutPerGiBSeconds);
  if (policy.allowPostCopy !== undefined) spec.allowPostCopy = policy.allowPostCopy;
  if (policy.allowWorkloadDisruption !== undefined)
    spec.allowWorkloadDisruption = policy.allowWorkloadDisruption;
  return stringify(
    {
      apiVersion: 'migrations.kubevirt.io/v1alpha1',
      kind: 'MigrationPolicy',
      metadata: { name: policy.name },
      spec,
    },
    { aliasDuplicateObjects: false },
  );
}

/**
 * The grid point whose settings are the scenario's own: every axis value, applied alone, leaves the
 * normalized migration settings and networks as they were. Null when the grid does not contain them.
 */
export function baselinePoint(prepared: PreparedSweep): number | null {
  const key = (s: Scenario) =>
    JSON.stringify([s.settings.kubevirtMigrations, s.networks, s.migrationPolicies]);
  const base = key(prepared.base);
  const sameAsBase = prepared.spec.axes.map((axis) =>
    axis.values.findIndex(
      (value) =>
        key(
          scenarioFromData(
            applyPoint(prepared.document, { [axis.setting]: value }),
            prepared.spec.scenario.fileName,
          ),
        ) === base,
    ),
  );
  if (sameAsBase.some((i) => i < 0)) return null;
  return sameAsBase.reduce(
    (index, valueIndex, a) => index * prepared.spec.axes[a].values.length + valueIndex,
    0,
  );
}

/** The recommendation for a merged result, from its spec alone. */
export function recommendationFor(result: SweepResult): Recommendation & { baseline: number | null } {
  const prepared = prepareSweep(result.spec);
  const { scenario } = pointScenario(prepared, result.recommended);
  const baseline = baselinePoint(prepared);
  return {
    ...recommend(result, scenario.settings.kubevirtMigrations, baseline, scenario.migrationPolicies),
    baseline,
  };
}
