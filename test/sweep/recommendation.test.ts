import { describe, expect, it } from 'vitest';
import { kubevirtMigrationDefaults } from '../../src/profiles/kubevirt-migration-defaults.ts';
import { valuesOf } from '../../src/profiles/sourced.ts';
import type { SweepResult } from '../../src/sweep/merge.ts';
import type { PointResult } from '../../src/sweep/point-metrics.ts';
import {
  migrationPolicyManifest,
  migrationsBlock,
  quantity,
  recommend,
} from '../../src/sweep/recommendation.ts';

const point = (index: number, settings: Record<string, string | number | boolean>): PointResult => ({
  index,
  settings,
  runs: 1,
  makespanSeconds: 300 - index * 100,
  makespanMaxSeconds: 300 - index * 100,
  downtimeP50Ms: 100,
  downtimeP99Ms: 200,
  migrations: 40,
  aborted: 0,
  postCopy: 0,
  failed: 0,
  notEvacuatedRuns: 0,
  bytesMoved: 0,
  throttledGuestSeconds: 0,
  failures: 0,
});

describe('sweep recommendation', () => {
  it('writes bandwidthPerMigration as a Kubernetes quantity of bytes per second (KubeVirt reads "64Mi" so)', () => {
    expect(quantity(64 * 2 ** 20)).toBe('64Mi');
    expect(quantity(5 * 2 ** 30)).toBe('5Gi');
    expect(quantity(0)).toBe('0');
    expect(quantity(1000)).toBe('1000');
  });

  it('fills every spec.configuration.migrations field from the settings the point ran with', () => {
    const defaults = valuesOf(kubevirtMigrationDefaults('v1.6.0'));
    expect(migrationsBlock(defaults)).toEqual({
      bandwidthPerMigration: '0',
      parallelMigrationsPerCluster: 5,
      parallelOutboundMigrationsPerNode: 2,
      allowAutoConverge: false,
      allowPostCopy: false,
      allowWorkloadDisruption: false,
      completionTimeoutPerGiB: 150,
      progressTimeout: 150,
    });
  });

  it('says why: rank, Pareto front, the scenario’s own settings, and what post-copy risks', () => {
    const defaults = valuesOf(kubevirtMigrationDefaults('v1.6.0'));
    const result = {
      objective: ['failures', 'makespan', 'p99-downtime'],
      points: [point(0, { allowPostCopy: false }), point(1, { allowPostCopy: true })],
      ranking: [1, 0],
      pareto: [1],
      recommended: 1,
    } as unknown as SweepResult;
    const r = recommend(result, { ...defaults, allowPostCopy: true, allowWorkloadDisruption: true }, 0);
    expect(r.kubevirtYaml).toContain(
      'kind: KubeVirt\nmetadata:\n  name: kubevirt\n  namespace: harvester-system\n',
    );
    expect(r.kubevirtYaml).toContain('      allowPostCopy: true\n');
    expect(r.why[0]).toMatch(/^rank 1 of 2 by failures, then makespan, then p99-downtime/);
    expect(r.why[1]).toMatch(/^on the Pareto front/);
    expect(r.why[2]).toMatch(/^the scenario's own settings \(point 0, rank 2\): makespan 300 s/);
    expect(r.why[3]).toMatch(/losing the source or the target node loses the VM/);
  });

  it('emits the swept MigrationPolicy as a manifest with the values the point ran with', () => {
    const defaults = valuesOf(kubevirtMigrationDefaults('v1.6.0'));
    const result = {
      objective: ['failures', 'makespan', 'p99-downtime'],
      points: [
        point(0, { 'policy.db.allowAutoConverge': false }),
        point(1, { 'policy.db.allowAutoConverge': true }),
      ],
      ranking: [1, 0],
      pareto: [1],
      recommended: 1,
    } as unknown as SweepResult;
    const db = {
      name: 'db',
      selectors: { virtualMachineInstanceSelector: { tier: 'db' } },
      allowAutoConverge: true,
      bandwidthPerMigrationBytesPerSecond: 2 * 2 ** 30,
      completionTimeoutPerGiBSeconds: 300,
    };
    const r = recommend(result, defaults, null, [db, { name: 'other', allowPostCopy: true }]);
    // migrations.kubevirt.io/v1alpha1 MigrationPolicy: cluster-scoped, selectors are label maps.
    expect(r.policyYaml).toBe(
      [
        'apiVersion: migrations.kubevirt.io/v1alpha1',
        'kind: MigrationPolicy',
        'metadata:',
        '  name: db',
        'spec:',
        '  selectors:',
        '    virtualMachineInstanceSelector:',
        '      tier: db',
        '  allowAutoConverge: true',
        '  bandwidthPerMigration: 2Gi',
        '  completionTimeoutPerGiB: 300',
        '',
      ].join('\n'),
    );
    expect(r.kubevirtYaml).not.toContain('is the network');
    expect(migrationPolicyManifest({ name: 'bare' })).toContain('spec: {}');
    expect(recommend(result, defaults, null, []).policyYaml).toBeNull();
  });
});
