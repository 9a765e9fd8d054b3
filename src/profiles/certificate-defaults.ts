/** Certificate lifetimes that matter after a long power-off. Research: controlplane.md §4. */
import type { SourcedFields } from './sourced.ts';
import type { CertificateTiming } from './types.ts';

const kubevirtCertificates = 'kubevirt/kubevirt:pkg/virt-operator/resource/apply/certificates.go';
const hour = 3600;
const day = 24 * hour;

/** `rke2RenewedWindow120Days`: the rke2 release carries the May 2025 change of `CertificateRenewDays`. */
export function certificateDefaults(rke2RenewWindow120Days: boolean): SourcedFields<CertificateTiming> {
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
  };
}
