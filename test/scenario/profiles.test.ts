import { describe, expect, it } from 'vitest';
import { rke2RenewsAt120Days } from '../../src/profiles/certificate-defaults.ts';
import {
  knownHarvesterVersions,
  profileFor,
  UnknownHarvesterVersionError,
} from '../../src/profiles/profile.ts';

describe('version profiles', () => {
  it('covers Harvester 1.2.0 to 1.8.x with the patch releases longhorn.md §0 distinguishes', () => {
    const versions = knownHarvesterVersions();
    for (const version of [
      '1.2.0',
      '1.2.1',
      '1.2.2',
      '1.3.0',
      '1.3.1',
      '1.3.2',
      '1.4.3',
      '1.5.2',
      '1.6.1',
      '1.7.3',
      '1.8.2',
    ]) {
      expect(versions).toContain(version);
    }
  });

  it('gives v1.3.0 the KB cluster: RKE2 v1.27.10+rke2r1 and etcd 3.5.9', () => {
    const profile = profileFor('v1.3.0');
    expect(profile.components.rke2).toBe('v1.27.10+rke2r1');
    expect(profile.components.kubernetes).toBe('1.27.10');
    expect(profile.components.etcd).toBe('3.5.9');
    expect(profile.sources['components.rke2']).toContain('kb/2024-07-22');
  });

  it.each([
    ['1.2.0', '1.4.3'],
    ['1.2.2', '1.5.5'],
    ['1.3.0', '1.6.0'],
    ['1.3.1', '1.6.2'],
    ['1.4.3', '1.7.3'],
    ['1.7.0', '1.10.1'],
    ['1.8.2', '1.11.2'],
  ])('Harvester %s ships Longhorn %s (Chart.yaml per longhorn.md §0)', (harvester, longhorn) => {
    expect(profileFor(harvester).components.longhorn).toBe(longhorn);
  });

  it('marks component versions no research doc gives as unverified', () => {
    expect(profileFor('1.6.0').sources['components.kubevirt']).toMatch(/^unverified/);
  });

  it('runs etcd at RKE2 timing: heartbeat 500 ms, election 5000 ms (k3s-io/k3s:pkg/etcd/etcd.go)', () => {
    const { etcd } = profileFor('1.4.0').settings;
    expect(etcd.heartbeatIntervalMs).toBe(500);
    expect(etcd.electionTimeoutMs).toBe(5000);
    expect(etcd.preVote).toBe(true); // default true from etcd v3.5.0
    expect(profileFor('1.4.0').sources['settings.etcd.heartbeatIntervalMs']).toBe(
      'k3s-io/k3s:pkg/etcd/etcd.go ((*ETCD).cluster)',
    );
  });

  it('defaults vm-force-reset-policy to enabled with a 15 s period and 180 s vmMigrationTimeout from v1.7.0 (pkg/settings/settings_helper.go)', () => {
    const { vmForceResetPolicy } = profileFor('1.7.0').settings.harvester;
    expect(vmForceResetPolicy).toEqual({ enable: true, periodSeconds: 15, vmMigrationTimeoutSeconds: 180 });
  });

  it('defaults vm-force-reset-policy to a 300 s period and no vmMigrationTimeout before v1.7.0 (pkg/settings/settings.go: "Period: 5 * 60, // 5 minutes")', () => {
    for (const version of ['1.3.0', '1.6.1']) {
      const { vmForceResetPolicy } = profileFor(version).settings.harvester;
      expect(vmForceResetPolicy).toEqual({ enable: true, periodSeconds: 300, vmMigrationTimeoutSeconds: 0 });
    }
  });

  it('defaults auto-rotate-rke2-certs off with a 240 h window', () => {
    expect(profileFor('1.3.0').settings.harvester.autoRotateRke2Certs).toEqual({
      enable: false,
      expiringInSeconds: 240 * 3600,
    });
  });

  it('uses completionTimeoutPerGiB 800 s before KubeVirt 1.4.0 and 150 s from it (commit 5080d817)', () => {
    expect(profileFor('1.3.0').settings.kubevirtMigrations.completionTimeoutPerGiBSeconds).toBe(800);
    expect(profileFor('1.5.0').settings.kubevirtMigrations.completionTimeoutPerGiBSeconds).toBe(150);
  });

  it('raises node-monitor-grace-period from 40 s to 50 s with Kubernetes 1.32 (kubernetes#126287)', () => {
    expect(profileFor('1.4.0').settings.kubernetes.nodeMonitorGracePeriodSeconds).toBe(40);
    expect(profileFor('1.5.0').settings.kubernetes.nodeMonitorGracePeriodSeconds).toBe(50);
  });

  it('cites a source for every value', () => {
    for (const version of knownHarvesterVersions()) {
      const profile = profileFor(version);
      const settingKeys = Object.entries(profile.settings).flatMap(([group, values]) =>
        Object.keys(values).map((key) => `settings.${group}.${key}`),
      );
      for (const key of [
        ...Object.keys(profile.components).map((key) => `components.${key}`),
        ...settingKeys,
      ]) {
        expect(profile.sources[key], `${version} ${key}`).toMatch(/\S/);
      }
    }
  });

  it('refuses an unknown version, listing the known ones', () => {
    expect(() => profileFor('1.9.0')).toThrow(UnknownHarvesterVersionError);
    expect(() => profileFor('1.9.0')).toThrow(
      'unknown Harvester version "1.9.0": expected one of 1.2.0, 1.2.1',
    );
  });
});

describe('RKE2 certificate renewal window (k3s-io/k3s:pkg/daemons/config/types.go CertificateRenewDays)', () => {
  it('is 120 days from the May 2025 releases v1.33.1/v1.32.5/v1.31.9/v1.30.13, 90 days before', () => {
    expect(rke2RenewsAt120Days('v1.32.4+rke2r1')).toBe(false);
    expect(rke2RenewsAt120Days('v1.32.5+rke2r1')).toBe(true);
    expect(rke2RenewsAt120Days('v1.33.0+rke2r1')).toBe(false);
    expect(rke2RenewsAt120Days('v1.33.1+rke2r1')).toBe(true);
    expect(rke2RenewsAt120Days('v1.27.10+rke2r1')).toBe(false);
    expect(rke2RenewsAt120Days('v1.34')).toBe(true);
    expect(profileFor('1.3.0').settings.certificates.rke2RenewWindowSeconds).toBe(90 * 86400);
    expect(profileFor('1.7.0').settings.certificates.rke2RenewWindowSeconds).toBe(120 * 86400);
  });
});
