/** Records of subsystem 'kube': the API, node lifecycle, taints, scheduling and controller load. */
export interface KubeRecordData {
  /** The API serves iff etcd has quorum and an apiserver runs on a running management node. */
  'api.available': { via: string };
  /**
   * `leadership-transfer`: etcd has quorum but its leader drops proposals while it hands leadership
   * over (etcd-io/raft:raft.go stepLeader, "transfer leadership ... is in progress; dropping
   * proposal"), a few milliseconds for a graceful leader stop.
   */
  'api.unavailable': { reason: 'no-etcd-quorum' | 'no-apiserver' | 'leadership-transfer' };
  /** kube-vip bound the VIP (`ingress-expose` EXTERNAL-IP) on a node, or lost it. */
  'vip.bound': { node: string; address: string };
  'vip.unbound': { reason: string };
  'taint.added': { node: string; taint: string; effect: 'NoSchedule' | 'NoExecute' };
  'taint.removed': { node: string; taint: string };
  /** A pod or VMI the scheduler could not place, with why. */
  'schedule.failed': { object: string; reason: string };
  'pod.evicted': { pod: string; node: string; reason: string };
  'pod.placed': { pod: string; node: string };
  /** Periodic sample of controller retries and CPU pressure on running nodes. */
  'controllers.load': {
    node: string;
    pods: number;
    cpuRequestedMillicores: number;
    cpuAllocatableMillicores: number;
    reconcileAttemptsPerMinute: number;
    /** Memory requested and allocatable, and the kubelet's max-pods (absent in older traces). */
    memoryRequestedBytes?: number;
    memoryAllocatableBytes?: number;
    podsAllocatable?: number;
  };
  /** Certificates that are (or will be) expired when the cluster starts again. */
  'certificate.expired': {
    certificate: string;
    offlineSeconds: number;
    lifetimeSeconds: number;
    /** `certain`: off longer than the lifetime; `possible`: longer than the renew-before margin. */
    certainty: 'certain' | 'possible';
    consequence: string;
    /**
     * Its owner re-issues it by itself when the cluster starts (KubeVirt's virt-operator rotates
     * kubevirt-ca and the kubevirt-*-certs), so an expiry costs only the minutes until then.
     */
    rotatesAtStart?: boolean;
    /**
     * Expired while the cluster was down and not renewed at start (rke2 before the June 2025 releases,
     * rancher/rke2#8318): rke2 does not start, and auto-rotate-rke2-certs cannot help (harvester#9351).
     */
    staysExpired?: boolean;
    /** Its age at the restart, when the scenario states when it was issued. */
    ageSeconds?: number;
  };
  /** An etcd member could not start: its node came back with another address. */
  'etcd.member-blocked': { node: string; reason: string };
}
