/**
 * KubeVirt's migration defaults per release: the settable configuration
 * (src/profiles/kubevirt-migration-defaults.ts, kubevirt/kubevirt:pkg/virt-config/virt-config.go) and the
 * monitor's constants (src/kubevirt/defaults.ts, pkg/virt-launcher/virtwrap/live-migration-source.go).
 */
import { describe, expect, it } from 'vitest';
import { kubevirtMonitorDefaults } from '../../src/kubevirt/defaults.ts';
import { defaultMigrationSettings } from '../../src/kubevirt/migration/migration-request.ts';
import {
  effectiveAllowWorkloadDisruption,
  kubevirtMigrationDefaults,
} from '../../src/profiles/kubevirt-migration-defaults.ts';
import { valuesOf } from '../../src/profiles/sourced.ts';

describe('kubevirtMigrationDefaults', () => {
  it('migrates unlimited before v0.44 too: "64Mi" was the default but BandwidthSet was never set (5ba1127a)', () => {
    const before = kubevirtMigrationDefaults('v0.43.0').bandwidthPerMigrationBytesPerSecond;
    expect(before.value).toBe(0);
    expect(before.source).toMatch(/64Mi.*never applied.*5ba1127a/);
    const since = kubevirtMigrationDefaults('v0.44.0').bandwidthPerMigrationBytesPerSecond;
    expect(since.value).toBe(0);
    expect(since.source).toMatch(/"0Mi".*ba569ec0/);
  });

  it('completionTimeoutPerGiB is 800 s before v1.4.0 and 150 s from it (5080d817)', () => {
    expect(kubevirtMigrationDefaults('v1.3.1').completionTimeoutPerGiBSeconds.value).toBe(800);
    expect(kubevirtMigrationDefaults('1.4').completionTimeoutPerGiBSeconds.value).toBe(150);
  });

  it('5 migrations per cluster, 2 outbound per node, progressTimeout 150 s, no auto-converge or post-copy', () => {
    expect(valuesOf(kubevirtMigrationDefaults())).toEqual({
      bandwidthPerMigrationBytesPerSecond: 0,
      completionTimeoutPerGiBSeconds: 150,
      progressTimeoutSeconds: 150,
      parallelMigrationsPerCluster: 5,
      parallelOutboundMigrationsPerNode: 2,
      allowAutoConverge: false,
      allowPostCopy: false,
      allowWorkloadDisruption: false,
    });
  });

  it('cites virt-config.go for every field of every release', () => {
    for (const version of ['0.43', '0.54', '1.3', '1.5', 'v1.9.0']) {
      for (const entry of Object.values(kubevirtMigrationDefaults(version))) {
        expect(entry.source).toMatch(/^kubevirt\/kubevirt:pkg\/virt-(config|launcher)\//);
      }
    }
  });
});

describe('allowWorkloadDisruption (GetMigrationConfiguration)', () => {
  it('unset follows allowPostCopy; set, it stands', () => {
    expect(effectiveAllowWorkloadDisruption(undefined, true)).toBe(true);
    expect(effectiveAllowWorkloadDisruption(undefined, false)).toBe(false);
    expect(effectiveAllowWorkloadDisruption(false, true)).toBe(false);
    expect(effectiveAllowWorkloadDisruption(true, false)).toBe(true);
  });
});

describe('the monitor per release', () => {
  it('runs the workload-disruption table from v1.5, the legacy post-copy table before', () => {
    expect(kubevirtMonitorDefaults('v1.4.2').monitorDecisionTable.value).toBe('legacy-post-copy');
    expect(kubevirtMonitorDefaults('v1.5.0').monitorDecisionTable.value).toBe('workload-disruption');
  });

  it('polls every 400 ms (monitorSleepPeriodMS); QEMU downtime-limit 300 ms', () => {
    const settings = defaultMigrationSettings('v1.9.0');
    expect(settings.monitorPollIntervalMs).toBe(400);
    expect(settings.downtimeLimitMs).toBe(300);
  });
});
