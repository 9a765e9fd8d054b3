/** Certificate and token lifetimes that matter after a long power-off. */
import type { SourcedFields } from './sourced.ts';
import type { CertificateTiming, Sourced } from './types.ts';
import { isAtLeast, isInRange, leadingVersion, versionParts } from './version.ts';

const kubevirtCertificates = 'kubevirt/kubevirt:pkg/virt-operator/resource/apply/certificates.go';
const hour = 3600;
const day = 24 * hour;

/** First rke2 release of each minor with `CertificateRenewDays` = 120 (the May 2025 releases). */
const renew120Since: Readonly<Record<string, string>> = {
  '1.30': '1.30.13',
  '1.31': '1.31.9',
  '1.32': '1.32.5',
  '1.33': '1.33.1',
};

/**
 * Whether an rke2 version renews certificates 120 days ahead (else 90). A version given only to the
 * minor (the unverified rows of harvester-releases.ts) counts as its .0 release.
 */
export function rke2RenewsAt120Days(rke2Version: string): boolean {
  const [major, minor] = versionParts(rke2Version);
  const since = renew120Since[`${major}.${minor}`];
  if (since !== undefined) return isAtLeast(rke2Version, since);
  return isAtLeast(rke2Version, '1.34.0');
}

/**
 * First rke2 release of each minor that renews certificates which expired while it was down: before
 * them rke2 fails its own CA check against the expired serving certificate and does not start
 * ("CA cert validation failed ... x509: certificate has expired", rancher/rke2#8318, "v1.29 and newer.
 * Could be earlier"). The fix (k3s-io/k3s#12472, "Ignore expired server cert when validating server
 * CA") was backported in the June 2025 releases: rancher/rke2#8378 (1.33), #8379 (1.32, validated on
 * v1.32.5+dev), #8380 (1.31), #8381 (1.30).
 */
export const rke2RenewsExpiredSince: Sourced<Readonly<Record<string, string>>> = {
  value: { '1.30': '1.30.14', '1.31': '1.31.10', '1.32': '1.32.6', '1.33': '1.33.2' },
  source:
    'rancher/rke2#8318 and its backports #8378-#8381 (June 2025); k3s-io/k3s#12472 (the fix); exact patch releases: the first after the backports were validated',
};

/**
 * Whether an rke2 version renews, at start, certificates that expired while it was down. A version
 * given only to the minor counts as its .0 release; minors before 1.30 never got the fix.
 */
export function rke2RenewsExpiredAtStart(rke2Version: string): boolean {
  const [major, minor] = versionParts(rke2Version);
  const since = rke2RenewsExpiredSince.value[`${major}.${minor}`];
  if (since !== undefined) return isAtLeast(rke2Version, since);
  return isAtLeast(rke2Version, '1.34.0');
}

/**
 * Rancher Manager releases whose Harvester cloud-credential tokens expire: from 2.8, where
 * `kubeconfig-default-token-ttl-minutes` became 43200 (it was 0), until 2.12, which issues ttl-0
 * Harvester credential tokens.
 */
export const rancherTokenTtlReleases: Sourced<{ readonly since: string; readonly until: string }> = {
  value: { since: '2.8.0', until: '2.12.0' },
  source:
    'https://ranchermanager.docs.rancher.com/v2.8/reference-guides/about-the-api/api-tokens (2.8: TTL 43200 min, before 0); rancher/rancher#49685, PR #50266 (fixed in 2.12)',
};

/** Whether a Rancher Manager version (as a scenario writes it) gives its tokens a TTL; false for a text that is no version. */
export function rancherTokenTtlApplies(rancherManagerVersion: string): boolean {
  const version = leadingVersion(rancherManagerVersion);
  const { since, until } = rancherTokenTtlReleases.value;
  return version !== null && isInRange(version, since, until);
}

export function certificateDefaults(rke2Version: string): SourcedFields<CertificateTiming> {
  const rke2RenewWindow120Days = rke2RenewsAt120Days(rke2Version);
  return {
    kubevirtCaDurationSeconds: { value: 168 * hour, source: kubevirtCertificates },
    kubevirtCaRenewBeforeSeconds: { value: 33.6 * hour, source: kubevirtCertificates },
    kubevirtServerDurationSeconds: { value: 24 * hour, source: kubevirtCertificates },
    kubevirtServerRenewBeforeSeconds: { value: 4.8 * hour, source: kubevirtCertificates },
    rke2LeafValiditySeconds: { value: 365 * day, source: 'https://docs.rke2.io/security/certificates' },
    rke2RenewWindowSeconds: rke2RenewWindow120Days
      ? {
          value: 120 * day,
          source: 'k3s-io/k3s:pkg/daemons/config/types.go (CertificateRenewDays 120 since May 2025)',
        }
      : { value: 90 * day, source: 'k3s-io/k3s:pkg/daemons/config/types.go (CertificateRenewDays 90)' },
    rancherKubeconfigTokenTtlSeconds: {
      value: 30 * day,
      source:
        'rancher/rancher:pkg/settings/setting.go (kubeconfig-default-token-ttl-minutes 43200 since 2.8); rancher/rancher#44912, harvester/harvester#5827',
    },
  };
}
