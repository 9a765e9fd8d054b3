/** Harvester's cluster networks and proxy defaults that the infrastructure rules compare with. */
export const CLUSTER_NETWORK_DEFAULTS = {
  /**
   * RKE2 `cluster-cidr` and `service-cidr` as Harvester installs them. Source:
   * harvester/harvester-installer (rke2 server config template: cluster-cidr 10.52.0.0/16,
   * service-cidr 10.53.0.0/16); the KB's listings agree (VMI IP 10.52.0.214, ingress-expose
   * CLUSTER-IP 10.53.50.107).
   */
  podCidr: '10.52.0.0/16',
  serviceCidr: '10.53.0.0/16',
} as const;
