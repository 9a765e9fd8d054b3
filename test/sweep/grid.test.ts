import { describe, expect, it } from 'vitest';
import {
  applyPoint,
  GridError,
  MIGRATION_NETWORK_CIDR,
  parseGrid,
  pointAt,
  pointCount,
  policySetting,
} from '../../src/sweep/grid.ts';

describe('sweep grid', () => {
  it('reads "setting=v1,v2;…" in the scenario grammar: booleans, whole numbers, quantities as text', () => {
    expect(parseGrid('bandwidthPerMigration=0,512Mi; allowAutoConverge=false,true')).toEqual([
      { setting: 'bandwidthPerMigration', values: [0, '512Mi'] },
      { setting: 'allowAutoConverge', values: [false, true] },
    ]);
  });

  it('sweeps the network by its scenario path under networks.', () => {
    expect(parseGrid('networks.management.bandwidth=10Gbps,25Gbps')[0].setting).toBe(
      'networks.management.bandwidth',
    );
  });

  it('migrationNetwork=none,<bandwidth> removes or sets a dedicated migration network (keeping its VLAN and CIDR)', () => {
    const document = { networks: { migration: { vlan: 5, cidr: '10.5.0.0/24', bandwidth: '10Gbps' } } };
    expect(applyPoint(document, { migrationNetwork: '25Gbps' })).toEqual({
      networks: { migration: { vlan: 5, cidr: '10.5.0.0/24', bandwidth: '25Gbps' } },
    });
    expect(applyPoint(document, { migrationNetwork: 'none' })).toEqual({ networks: {} });
    expect(applyPoint({}, { migrationNetwork: '25Gbps' })).toEqual({
      networks: { migration: { cidr: MIGRATION_NETWORK_CIDR, bandwidth: '25Gbps' } },
    });
  });

  it('refuses an unknown setting, a repeated one and an empty value, naming them', () => {
    expect(() => parseGrid('bandwithPerMigration=0')).toThrow(/found "bandwithPerMigration"/);
    expect(() => parseGrid('allowPostCopy=true;allowPostCopy=false')).toThrow(/given twice/);
    expect(() => parseGrid('allowPostCopy=true,')).toThrow(GridError);
  });

  it('has the product of the axis lengths as points, the last axis varying fastest', () => {
    const axes = parseGrid('parallelMigrationsPerCluster=1,5,10;allowPostCopy=false,true');
    expect(pointCount(axes)).toBe(6);
    expect(pointAt(axes, 0)).toEqual({ parallelMigrationsPerCluster: 1, allowPostCopy: false });
    expect(pointAt(axes, 1)).toEqual({ parallelMigrationsPerCluster: 1, allowPostCopy: true });
    expect(pointAt(axes, 5)).toEqual({ parallelMigrationsPerCluster: 10, allowPostCopy: true });
    expect(() => pointAt(axes, 6)).toThrow(RangeError);
  });

  it('sets a point into a copy of the scenario document under settings.kubevirt.migrations', () => {
    const document = { name: 'x', networks: { management: { vlan: 1 } } };
    const applied = applyPoint(document, { allowPostCopy: true, 'networks.management.bandwidth': '25Gbps' });
    expect(applied).toEqual({
      name: 'x',
      networks: { management: { vlan: 1, bandwidth: '25Gbps' } },
      settings: { kubevirt: { migrations: { allowPostCopy: true } } },
    });
    expect(document).toEqual({ name: 'x', networks: { management: { vlan: 1 } } });
  });

  it('sweeps a field of a scenario MigrationPolicy as policy.<name>.<field> (names may hold dots)', () => {
    expect(policySetting('policy.large.vms.allowAutoConverge')).toEqual({
      policy: 'large.vms',
      field: 'allowAutoConverge',
    });
    expect(policySetting('policy.large.progressTimeout')).toBeUndefined(); // not a MigrationPolicy field
    const document = {
      settings: {
        kubevirt: { migrationPolicies: [{ name: 'a' }, { name: 'large.vms', allowPostCopy: true }] },
      },
    };
    expect(
      applyPoint(document, {
        'policy.large.vms.bandwidthPerMigration': '2Gi',
        'policy.a.allowAutoConverge': true,
      }),
    ).toEqual({
      settings: {
        kubevirt: {
          migrationPolicies: [
            { name: 'a', allowAutoConverge: true },
            { name: 'large.vms', allowPostCopy: true, bandwidthPerMigration: '2Gi' },
          ],
        },
      },
    });
    expect(() => parseGrid('policy.large.progressTimeout=10')).toThrow(/policy\.<name>\./);
    expect(() => applyPoint(document, { 'policy.missing.allowPostCopy': true })).toThrow(
      /policy\.missing: expected a MigrationPolicy of the scenario \(settings\.kubevirt\.migrationPolicies: a, large\.vms\), found "missing"/,
    );
  });
});
