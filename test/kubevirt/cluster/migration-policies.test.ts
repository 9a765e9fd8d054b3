/**
 * MigrationPolicies declared in the scenario (`settings.kubevirt.migrationPolicies`, `namespaces`)
 * reach the cluster's migrations: each VMI runs with the policy whose selectors match it best
 * (kubevirt/kubevirt:pkg/virt-controller/watch/migration/migrationpolicy.go, matchPolicy; the
 * matching rules themselves are in test/kubevirt/policy/), its fields over the cluster's.
 */
import { describe, expect, it } from 'vitest';
import { planFromData } from '../../../src/plan/format/load.ts';
import { scenarioFromData } from '../../../src/scenario/load.ts';
import { simulate } from '../../../src/simulate/simulate.ts';
import { select } from '../../../src/trace/record.ts';
import { managementNode } from '../../fixtures/management-node.ts';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

const vm = (namespace: string, name: string, labels: Record<string, string>) => ({
  namespace,
  name,
  cpu: 1,
  memory: '1Gi',
  labels,
  evictionStrategy: 'LiveMigrate',
  volumes: [`${name}-root`],
  node: 'node-1',
  guest: { dirtyRate: '0KiB/s' },
});

const volume = (namespace: string, name: string) => ({ namespace, name: `${name}-root`, size: '10Gi' });

const document = {
  name: 'policies',
  harvesterVersion: '1.6.1',
  vip: { address: '10.99.0.10' },
  networks: { management: { bandwidth: '10Gbps' } },
  nodes: [managementNode(1), managementNode(2), managementNode(3)],
  namespaces: { prod: { labels: { env: 'prod' } } },
  vms: [
    vm('default', 'bulk-1', { tier: 'bulk' }),
    vm('prod', 'web-1', { app: 'web' }),
    vm('default', 'web-2', { app: 'web' }),
  ],
  volumes: [volume('default', 'bulk-1'), volume('prod', 'web-1'), volume('default', 'web-2')],
  settings: {
    kubevirt: {
      migrations: { bandwidthPerMigration: '0' },
      migrationPolicies: [
        {
          name: 'bulk',
          selectors: { virtualMachineInstanceSelector: { tier: 'bulk' } },
          bandwidthPerMigration: '64Mi',
        },
        { name: 'prod', selectors: { namespaceSelector: { env: 'prod' } }, bandwidthPerMigration: '128Mi' },
      ],
    },
  },
};

const evacuate = planFromData({
  name: 'evacuate-node-1',
  steps: [{ step: 'node.maintenance', node: 'node-1', action: 'enable' }],
});

describe('scenario MigrationPolicies in the cluster (settings.kubevirt.migrationPolicies)', () => {
  const result = simulate(scenarioFromData(document), evacuate, { seed: 1 });
  const finished = new Map(
    select(result.trace, 'kubevirt', 'migration.finished').map((r) => [r.data.vm, r.data]),
  );

  it('each migration names the policy its VMI matched: VMI labels, namespace labels, or none', () => {
    expect(finished.get('default/bulk-1')?.policy).toBe('bulk');
    expect(finished.get('prod/web-1')?.policy).toBe('prod');
    expect(finished.get('default/web-2')?.policy).toBeNull();
    expect([...finished.values()].map((f) => f.outcome)).toEqual(['completed', 'completed', 'completed']);
  });

  it("the policy's bandwidthPerMigration caps its VMI's copy: 1 GiB takes 16 s at 64 MiB/s, 8 s at 128 MiB/s", () => {
    // QEMU's copy, from `migrate` (the `start` record) to its end, ±6 % for page headers and rate windows.
    const copySeconds = new Map<string, number>();
    for (const r of select(result.trace, 'kubevirt.migration', 'start'))
      copySeconds.set(r.data.migration, -r.timeSeconds);
    for (const r of select(result.trace, 'kubevirt.migration', 'result'))
      copySeconds.set(r.data.migration, (copySeconds.get(r.data.migration) ?? 0) + r.timeSeconds);
    expect(copySeconds.get('default/bulk-1')).toBeGreaterThan(0.94 * (GiB / (64 * MiB)));
    expect(copySeconds.get('default/bulk-1')).toBeLessThan(1.06 * (GiB / (64 * MiB)));
    expect(copySeconds.get('prod/web-1')).toBeGreaterThan(0.94 * (GiB / (128 * MiB)));
    expect(copySeconds.get('prod/web-1')).toBeLessThan(1.06 * (GiB / (128 * MiB)));
    // No policy: the cluster's bandwidthPerMigration 0 (unlimited) on the 10 Gb/s link, 0.86 s.
    expect(copySeconds.get('default/web-2')).toBeLessThan(1.06 * (GiB / 1.25e9));
  });

  // QEMU 7.2 ends `downtime` on the source; the guest runs again once the destination has loaded the
  // last state and started the vCPUs (migration.c process_incoming_migration_bh): 8.25 ms later, the
  // fit set's median of downtime_guest_ms − downtime_ms (src/kubevirt/defaults.ts destinationResumeSeconds).
  it("each migration's record carries the guest's own pause: QEMU's downtime + the destination's 8.25 ms resume", () => {
    expect(finished.size).toBe(3);
    for (const f of finished.values()) {
      expect(f.downtimeMs).toBeGreaterThan(0);
      expect(f.guestDowntimeMs).toBeCloseTo(f.downtimeMs + 8.25, 6);
    }
  });

  it('two policies with one name are refused with the path', () => {
    const twice = structuredClone(document);
    twice.settings.kubevirt.migrationPolicies[1].name = 'bulk';
    expect(() => scenarioFromData(twice)).toThrow(/migrationPolicies/);
  });
});
