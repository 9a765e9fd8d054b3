import { rancherTokenTtlApplies, rke2RenewsExpiredAtStart } from '../profiles/certificate-defaults.ts';
import type { Scenario } from '../scenario/types.ts';
import type { KubeRecordData } from '../trace/kube.ts';

type Expired = KubeRecordData['certificate.expired'];

const RKE2_STAYS_EXPIRED =
  'rke2 fails its CA check against the expired serving certificate and does not start ("CA cert validation failed ... x509: certificate has expired", rancher/rke2#8318); auto-rotate-rke2-certs cannot fix expired certificates (harvester/harvester#9351): rotate them by hand on every server node';
const RKE2_RENEWS = 'rke2 renews expired leaf certificates on start (docs.rke2.io/security/certificates)';

/**
 * Certificates a cluster may find expired when it starts at `nowSeconds` (simulated seconds; the
 * scenario's ages count from second 0) after `offlineSeconds` powered off; the lifetimes are the
 * profile's (src/profiles/certificate-defaults.ts). Where the scenario does not say when a
 * certificate was issued, one rotated on schedule has at least its renew-before margin left when the
 * cluster stops: it is possibly expired after that margin and certainly after its whole lifetime.
 */
export function expiredAtRestart(
  scenario: Scenario,
  offlineSeconds: number,
  nowSeconds = offlineSeconds,
): Expired[] {
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
  const rke2 = rke2AtRestart(scenario, offlineSeconds, nowSeconds);
  if (rke2 !== null) out.push(rke2);
  const manager = scenario.rancher.rancherManagerVersion;
  if (scenario.rancher.importedIntoRancherManager && manager !== null && rancherTokenTtlApplies(manager)) {
    const ttl = c.rancherKubeconfigTokenTtlSeconds;
    const consequence =
      'Rancher >= 2.8 kubeconfig tokens (kubeconfig-default-token-ttl-minutes 43200) expire: downstream machine create/scale/delete fails (rancher#44912, harvester#5827)';
    const issuedAgo = scenario.certificateAges.rancherTokenIssuedSecondsAgo;
    if (issuedAgo === null) {
      // A token's age is unknown: only a power-off longer than its whole TTL is sure to expire it.
      check('rancher-cloud-credential-token', ttl, ttl, consequence);
    } else if (issuedAgo + nowSeconds >= ttl) {
      out.push({
        certificate: 'rancher-cloud-credential-token',
        offlineSeconds,
        lifetimeSeconds: ttl,
        certainty: 'certain',
        consequence,
        ageSeconds: issuedAgo + nowSeconds,
      });
    }
  }
  return out;
}

/**
 * RKE2's leaf certificates at a restart. rke2 renews them at start when within the renew window
 * (90 or 120 days before expiry, by version); those that expired while the cluster was down are
 * renewed only by the releases with the rancher/rke2#8318 fix. With `auto-rotate-rke2-certs`
 * enabled, Harvester rotated them while the cluster ran once `expiringInHours` remained (its
 * controller checks daily and needs the control plane; it cannot rotate expired ones).
 */
function rke2AtRestart(scenario: Scenario, offlineSeconds: number, nowSeconds: number): Expired | null {
  const c = scenario.settings.certificates;
  const validity = c.rke2LeafValiditySeconds;
  const renewsExpired = rke2RenewsExpiredAtStart(scenario.profile.components.rke2);
  const base = { certificate: 'rke2-leaf-certificates', offlineSeconds, lifetimeSeconds: validity };
  const issuedAgo = scenario.certificateAges.rke2IssuedSecondsAgo;
  if (issuedAgo === null) {
    if (offlineSeconds <= validity - c.rke2RenewWindowSeconds) return null;
    const certain = offlineSeconds >= validity;
    return {
      ...base,
      certainty: certain ? 'certain' : 'possible',
      consequence: renewsExpired ? RKE2_RENEWS : RKE2_STAYS_EXPIRED,
      rotatesAtStart: renewsExpired,
      staysExpired: !renewsExpired,
    };
  }
  let issuedAt = -issuedAgo;
  const downAt = nowSeconds - offlineSeconds;
  const rotate = scenario.settings.harvester.autoRotateRke2Certs;
  if (rotate.enable) {
    const opensAt = issuedAt + validity - rotate.expiringInSeconds;
    const rotatedAt = Math.max(opensAt, 0);
    if (rotatedAt <= downAt && rotatedAt < issuedAt + validity) issuedAt = rotatedAt;
  }
  const ageSeconds = nowSeconds - issuedAt;
  if (ageSeconds < validity) return null;
  return {
    ...base,
    certainty: 'certain',
    consequence: renewsExpired ? RKE2_RENEWS : RKE2_STAYS_EXPIRED,
    rotatesAtStart: renewsExpired,
    staysExpired: !renewsExpired,
    ageSeconds,
  };
}
