/** Token and certificate lifetimes after a long power-off (src/profiles/certificate-defaults.ts). */
import { describe, expect, it } from 'vitest';
import { rancherTokenTtlApplies } from '../../src/profiles/certificate-defaults.ts';
import { profileFor } from '../../src/profiles/profile.ts';

describe('Rancher Manager cloud-credential tokens (rancher#44912, rancher#49685)', () => {
  it('expire after kubeconfig-default-token-ttl-minutes 43200 = 30 days', () => {
    expect(profileFor('1.3.0').settings.certificates.rancherKubeconfigTokenTtlSeconds).toBe(43200 * 60);
  });

  it('have that TTL from Rancher 2.8 until 2.12, which issues ttl-0 Harvester credential tokens', () => {
    expect(rancherTokenTtlApplies('2.7.15')).toBe(false);
    expect(rancherTokenTtlApplies('2.8.2')).toBe(true);
    expect(rancherTokenTtlApplies('v2.11.3')).toBe(true);
    expect(rancherTokenTtlApplies('2.12.1')).toBe(false);
    expect(rancherTokenTtlApplies('unknown')).toBe(false);
  });
});

describe('Kubernetes pod termination (k8s.io/api core/v1 DefaultTerminationGracePeriodSeconds)', () => {
  it('gives a pod 30 s to terminate', () => {
    expect(profileFor('1.3.0').settings.kubernetes.terminationGracePeriodSeconds).toBe(30);
  });
});
