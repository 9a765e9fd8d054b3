import { rancherTokenTtlApplies } from '../profiles/certificate-defaults.ts';
import type { Scenario } from '../scenario/types.ts';
import type { KubeRecordData } from '../trace/kube.ts';

type Expired = KubeRecordData['certificate.expired'];

/**
 * Certificates a cluster may find expired when it starts after `offlineSeconds` powered off; the
 * lifetimes are the profile's (src/profiles/certificate-defaults.ts). A certificate rotated on schedule has at least its renew-before
 * margin left when the cluster stops: it is possibly expired after that margin and certainly after
 * its whole lifetime.
 */
export function expiredAtRestart(scenario: Scenario, offlineSeconds: number): Expired[] {
  const c = scenario.settings.certificates;
  const out: Expired[] = [];
  const check = (
    certificate: string,
    lifetimeSeconds: number,
    marginSeconds: number,
    consequence: string,
    rotatesAtStart = false,
  ) => {
    if (offlineSeconds <= marginSeconds) return;
    out.push({
      certificate,
      offlineSeconds,
      lifetimeSeconds,
      certainty: offlineSeconds >= lifetimeSeconds ? 'certain' : 'possible',
      consequence,
      rotatesAtStart,
    });
  };
  check(
    'kubevirt-ca',
    c.kubevirtCaDurationSeconds,
    c.kubevirtCaRenewBeforeSeconds,
    'virt-operator rotates kubevirt-ca and every kubevirt-*-certs secret on its first reconcile; virt-api webhooks fail with x509 errors until then (kubevirt#3369)',
    true,
  );
  check(
    'kubevirt-server-certs',
    c.kubevirtServerDurationSeconds,
    c.kubevirtServerRenewBeforeSeconds,
    'virt-handler/virt-api serving certificates are re-issued after start; VM operations fail until then',
    true,
  );
  check(
    'rke2-leaf-certificates',
    c.rke2LeafValiditySeconds,
    c.rke2LeafValiditySeconds - c.rke2RenewWindowSeconds,
    'rke2 renews expired leaf certificates on start (docs.rke2.io/security/certificates)',
  );
  const manager = scenario.rancher.rancherManagerVersion;
  if (scenario.rancher.importedIntoRancherManager && manager !== null && rancherTokenTtlApplies(manager)) {
    const ttl = c.rancherKubeconfigTokenTtlSeconds;
    // A token's age is unknown: only a power-off longer than its whole TTL is sure to expire it.
    check(
      'rancher-cloud-credential-token',
      ttl,
      ttl,
      'Rancher >= 2.8 kubeconfig tokens (kubeconfig-default-token-ttl-minutes 43200) expire: downstream machine create/scale/delete fails (rancher#44912, harvester#5827)',
    );
  }
  return out;
}
