/**
 * The writes a Harvester cluster makes to etcd while its API serves, as periodic writers: each entry
 * is one writer's period and how many of it run, with the upstream path that sets the period. Only
 * writers that write whether or not anything changes are counted; status updates written on change
 * and Events (which a quiet cluster rarely makes) are not, so the total is a floor of the steady load.
 *
 * Counting: one etcd write per renewal. client-go's `LeaderElector` renews with one Update of its
 * lock object every RetryPeriod while it leads (`tryAcquireOrRenew` in
 * kubernetes/kubernetes:staging/src/k8s.io/client-go/tools/leaderelection/leaderelection.go); a
 * `ConfigMapsLeases` multilock (older wrangler) writes two objects, counted as one here.
 */
import type { SourcedFields } from './sourced.ts';

/** A writer of a fixed period: `periodSeconds` between writes, `count` of them (per node, per volume or per cluster). */
export interface PeriodicWriter {
  readonly periodSeconds: number;
  readonly count: number;
}

export interface ClusterWriteLoad {
  /** kubelet renews its node Lease (kube-node-lease/<node>); per node. */
  readonly nodeLeasePerNode: PeriodicWriter;
  /** kubelet posts its Node status at least this often when nothing changed; per node. */
  readonly nodeStatusPerNode: PeriodicWriter;
  /** virt-handler patches its node's `kubevirt.io/heartbeat` annotation; per node. */
  readonly virtHandlerHeartbeatPerNode: PeriodicWriter;
  /** Leader-election leases of the control plane's own controllers (component-base defaults). */
  readonly kubeControlPlaneLeases: PeriodicWriter;
  /** KubeVirt's virt-controller leader lease. */
  readonly kubevirtLeases: PeriodicWriter;
  /** Harvester and Rancher controllers electing through rancher/wrangler `leader.RunOrDie`. */
  readonly wranglerLeases: PeriodicWriter;
  /** Longhorn's CSI sidecars (attacher, provisioner, resizer, snapshotter), each with `--leader-election`. */
  readonly longhornCsiLeases: PeriodicWriter;
  /** The engine status of a Longhorn volume whose guest writes: actual size, rate-limited; per volume. */
  readonly longhornEngineSizePerVolume: PeriodicWriter;
}

const kubelet = 'kubernetes/kubernetes:pkg/kubelet';
const componentBase =
  'kubernetes/kubernetes:staging/src/k8s.io/component-base/config/v1alpha1/defaults.go (RecommendedDefaultLeaderElectionConfiguration: RetryPeriod 2 s)';

/** The table; periods are upstream defaults that neither RKE2 nor Harvester override. */
export function clusterWriteLoadDefaults(): SourcedFields<ClusterWriteLoad> {
  return {
    nodeLeasePerNode: {
      value: { periodSeconds: 10, count: 1 },
      source: `${kubelet}/kubelet.go (renewInterval = NodeLeaseDurationSeconds 40 s x nodeLeaseRenewIntervalFraction 0.25)`,
    },
    nodeStatusPerNode: {
      value: { periodSeconds: 300, count: 1 },
      source: `${kubelet}/apis/config/v1beta1/defaults.go (NodeStatusReportFrequency 5 min)`,
    },
    virtHandlerHeartbeatPerNode: {
      // wait.JitterUntil(h.do, 1 min, 1.2, sliding): uniform in [60, 132] s, mean 96 s.
      value: { periodSeconds: 96, count: 1 },
      source:
        'kubevirt/kubevirt:pkg/virt-handler/heartbeat/heartbeat.go (JitterUntil 1 min, jitter 1.2: mean 96 s)',
    },
    kubeControlPlaneLeases: {
      // kube-controller-manager, kube-scheduler and rke2-cloud-controller-manager.
      value: { periodSeconds: 2, count: 3 },
      source: componentBase,
    },
    kubevirtLeases: {
      value: { periodSeconds: 2, count: 1 },
      source: 'kubevirt/kubevirt:pkg/virt-controller/leaderelectionconfig/config.go (DefaultRetryPeriod 2 s)',
    },
    wranglerLeases: {
      // harvester (harvester-system) and rancher's cattle-controllers.
      value: { periodSeconds: 2, count: 2 },
      source: 'rancher/wrangler:pkg/leader/leader.go (defaultRetryPeriod 2 s)',
    },
    longhornCsiLeases: {
      value: { periodSeconds: 5, count: 4 },
      source:
        'kubernetes-csi/csi-lib-utils:leaderelection/leader_election.go (defaultRetryPeriod 5 s); longhorn/longhorn-manager:csi/deployment.go (four sidecars with --leader-election)',
    },
    longhornEngineSizePerVolume: {
      value: { periodSeconds: 30, count: 1 },
      source:
        'longhorn/longhorn-manager:controller/engine_controller.go (sizeUpdateLimit 30 s between actual-size updates under stable writes; EnginePollInterval 5 s)',
    },
  };
}

/** What the load scales with. */
export interface WriteLoadCounts {
  readonly nodes: number;
  readonly longhornVolumes: number;
}

/** Writes per second the cluster's API sends to etcd while it serves. */
export function writesPerSecond(load: ClusterWriteLoad, counts: WriteLoadCounts): number {
  const rate = (w: PeriodicWriter) => w.count / w.periodSeconds;
  return (
    counts.nodes *
      (rate(load.nodeLeasePerNode) + rate(load.nodeStatusPerNode) + rate(load.virtHandlerHeartbeatPerNode)) +
    counts.longhornVolumes * rate(load.longhornEngineSizePerVolume) +
    rate(load.kubeControlPlaneLeases) +
    rate(load.kubevirtLeases) +
    rate(load.wranglerLeases) +
    rate(load.longhornCsiLeases)
  );
}
