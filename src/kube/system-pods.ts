/**
 * System pods per node role. Harvester publishes no per-role pod census; these counts and requests
 * are an estimate to be replaced by a census from a real cluster (the adapter can record one with
 * `kubectl get pods -A -o wide`). Deployment pods move off a lost node after the toleration; daemon
 * pods stay with their node.
 */
import type { Sourced } from '../profiles/types.ts';
import type { NodeRole } from '../scenario/types.ts';

export interface SystemPodCensus {
  /** DaemonSet pods (canal, kube-proxy, multus, node-manager, longhorn-manager, virt-handler...). */
  readonly daemonPods: number;
  readonly daemonCpuMillicores: number;
  /** Deployment/StatefulSet pods placed on this role at the start (harvester, rancher, virt-*, coredns...). */
  readonly deploymentPods: number;
  readonly deploymentCpuMillicores: number;
  readonly memoryBytes: number;
}

const estimate =
  'unverified estimate (controlplane.md §3 lists the system components; counts are not published)';

export const systemPodsTable: { readonly [R in NodeRole]: Sourced<SystemPodCensus> } = {
  management: {
    value: {
      daemonPods: 14,
      daemonCpuMillicores: 900,
      deploymentPods: 30,
      deploymentCpuMillicores: 2500,
      memoryBytes: 6 * 2 ** 30,
    },
    source: estimate,
  },
  worker: {
    value: {
      daemonPods: 14,
      daemonCpuMillicores: 900,
      deploymentPods: 2,
      deploymentCpuMillicores: 200,
      memoryBytes: 2 * 2 ** 30,
    },
    source: estimate,
  },
  witness: {
    value: {
      daemonPods: 6,
      daemonCpuMillicores: 300,
      deploymentPods: 0,
      deploymentCpuMillicores: 0,
      memoryBytes: 2 ** 30,
    },
    source: 'controlplane.md §2: the witness runs only node-manager, ccm, etcd, kube-proxy, canal and multus',
  },
};
