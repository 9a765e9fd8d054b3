import { describe, expect, it } from 'vitest';
import { longhornModelDefaults, unmapWhileRebuilding } from '../../src/longhorn/defaults.ts';
import { profileFor } from '../../src/profiles/profile.ts';

// longhorn/longhorn#7103 (`git tag --contains` of the longhorn/longhorn-engine fix, PR #1008): fixed in
// LH 1.5.4, 1.6.1, 1.7.0 and later; affected LH 1.4.0-1.4.4, 1.5.0-1.5.3, 1.6.0; LH < 1.4 has no trim
// support (longhorn/longhorn#836). KB: affected Harvester v1.2.0, v1.2.1
// (LH 1.4.3) and v1.3.0 (LH 1.6.0); fixed v1.2.2 (LH 1.5.5) and v1.3.1 (LH 1.6.2).

describe('trim-while-rebuilding behaviour by Longhorn version', () => {
  it.each([
    ['1.3.3', 'unsupported'],
    ['1.4.0', 'io-error'],
    ['1.4.4', 'io-error'],
    ['1.5.3', 'io-error'],
    ['1.5.4', 'zero-bytes-warning'],
    ['1.6.0', 'io-error'],
    ['1.6.1', 'zero-bytes-warning'],
    ['1.7.0', 'zero-bytes-warning'],
    ['1.11.2', 'zero-bytes-warning'],
  ])('Longhorn %s → %s', (version, expected) => {
    expect(unmapWhileRebuilding(version)).toBe(expected);
  });

  it.each([
    ['1.2.0', 'io-error'],
    ['1.2.1', 'io-error'],
    ['1.2.2', 'zero-bytes-warning'],
    ['1.3.0', 'io-error'],
    ['1.3.1', 'zero-bytes-warning'],
    ['1.4.0', 'zero-bytes-warning'],
  ])('Harvester %s (KB) → %s', (harvester, expected) => {
    expect(unmapWhileRebuilding(profileFor(harvester).components.longhorn)).toBe(expected);
  });
});

describe('version gates (longhorn/longhorn-manager:scheduler/replica_scheduler.go, types/setting.go)', () => {
  it('reuse: v1 always; v2 never up to 1.7, only with v2 fast rebuilding (default true from 1.10)', () => {
    expect(longhornModelDefaults('1.7.2', 'v1').reuseFailedReplicas.value).toBe(true);
    expect(longhornModelDefaults('1.7.2', 'v2').reuseFailedReplicas.value).toBe(false);
    expect(longhornModelDefaults('1.9.1', 'v2').reuseFailedReplicas.value).toBe(false);
    expect(longhornModelDefaults('1.10.1', 'v2').reuseFailedReplicas.value).toBe(true);
  });

  it('precheckCreateReplica from 1.7.0; the last replica waits 2 × engine-replica-timeout from 1.10', () => {
    expect(longhornModelDefaults('1.6.2').precheckCreateReplica.value).toBe(false);
    expect(longhornModelDefaults('1.7.0').precheckCreateReplica.value).toBe(true);
    expect(longhornModelDefaults('1.9.2').lastReplicaTimeoutFactor.value).toBe(1);
    expect(longhornModelDefaults('1.10.1').lastReplicaTimeoutFactor.value).toBe(2);
  });

  it('fast rebuild exists from 1.4.0 for v1', () => {
    expect(longhornModelDefaults('1.3.3').fastRebuild.value).toBe(false);
    expect(longhornModelDefaults('1.4.3').fastRebuild.value).toBe(true);
  });

  it('the per-rebuild stream default lies in the published 40-100 MB/s range and every entry names a source', () => {
    const table = longhornModelDefaults('1.6.0');
    expect(table.rebuildStreamBytesPerSecond.value).toBeGreaterThanOrEqual(37e6);
    expect(table.rebuildStreamBytesPerSecond.value).toBeLessThanOrEqual(100e6);
    for (const entry of Object.values(table)) expect(entry.source.length).toBeGreaterThan(10);
  });

  it('offline-replica-rebuilding is off by default and exists for v1 volumes from 1.9.0', () => {
    expect(longhornModelDefaults('1.9.1').offlineRebuilding.value).toBe(false);
    expect(longhornModelDefaults('1.8.2').offlineRebuildingAvailable.value).toBe(false);
    expect(longhornModelDefaults('1.9.1').offlineRebuildingAvailable.value).toBe(true);
  });

  it('Harvester upgrades set replica-replenishment-wait-interval to 1800 s (upgrade_controller.go)', () => {
    const entry = longhornModelDefaults('1.7.2').upgradeReplenishmentWaitSeconds;
    expect(entry.value).toBe(1800);
    expect(entry.source).toContain('harvester/harvester:pkg/controller/master/upgrade/upgrade_controller.go');
  });

  it('every source is an upstream path, an issue or a document in this repository', () => {
    for (const engine of ['v1', 'v2'] as const) {
      for (const entry of Object.values(longhornModelDefaults('1.10.1', engine)))
        expect(entry.source).not.toMatch(/research|\/work\/|\.\.\/shared/);
    }
  });
});
