/**
 * Kubernetes internals the model needs, each with its source: the control loops' timing (the
 * settings a cluster configures, such as node-monitor-grace-period, tolerations, max-pods and
 * KubeVirt's heartbeat, are the profile's: src/profiles/kubernetes-timing-defaults.ts) and the
 * system pods per node role.
 */
import { type SourcedFields, valuesOf } from '../profiles/sourced.ts';
import type { NodeRole } from '../trace/run.ts';

export interface KubeDefaults {
  /** kube-controller-manager `--node-monitor-period`. */
  readonly nodeMonitorPeriodSeconds: number;
  /** How often the world re-checks API availability while any etcd member runs. */
  readonly apiProbeSeconds: number;
  /** Pending VMIs and pods are retried this often while the API serves. */
  readonly schedulerRetrySeconds: number;
  /** client-go workqueue: per-item exponential backoff base and cap, and the overall rate. */
  readonly workqueueBaseDelaySeconds: number;
  readonly workqueueMaxDelaySeconds: number;
  readonly workqueueQueriesPerSecond: number;
  /** How often controller load is sampled into the trace. */
  readonly loadSampleSeconds: number;
  /** Addon enable/disable until the addon reports its final status. */
  readonly addonTransitionSeconds: number;
}

export const kubeDefaultsTable: SourcedFields<KubeDefaults> = {
  nodeMonitorPeriodSeconds: {
    value: 5,
    source: 'kubernetes/kubernetes:cmd/kube-controller-manager/app/options (node-monitor-period 5s)',
  },
  apiProbeSeconds: { value: 0.5, source: 'model resolution (not a Kubernetes setting)' },
  schedulerRetrySeconds: {
    value: 10,
    source:
      'unverified: kube-scheduler re-queues unschedulable pods on cluster events or after podMaxInUnschedulablePodsDuration (5 min); 10 s approximates event-driven retries',
  },
  workqueueBaseDelaySeconds: {
    value: 0.005,
    source:
      'kubernetes/client-go:util/workqueue/default_rate_limiters.go (DefaultControllerRateLimiter: 5 ms)',
  },
  workqueueMaxDelaySeconds: {
    value: 1000,
    source:
      'kubernetes/client-go:util/workqueue/default_rate_limiters.go (DefaultControllerRateLimiter: 1000 s)',
  },
  workqueueQueriesPerSecond: {
    value: 10,
    source:
      'kubernetes/client-go:util/workqueue/default_rate_limiters.go (BucketRateLimiter 10 qps, burst 100)',
  },
  loadSampleSeconds: { value: 60, source: 'model resolution (not a Kubernetes setting)' },
  addonTransitionSeconds: {
    value: 30,
    source:
      'unverified: helm uninstall/install of an addon chart; the KB only says to wait for AddonDisabled',
  },
};

export function kubeDefaults(): KubeDefaults {
  return valuesOf(kubeDefaultsTable);
}

export interface SystemPodCensus {
  /** DaemonSet pods (canal, kube-proxy, multus, node-manager, longhorn-manager, virt-handler...). */
  readonly daemonPods: number;
  readonly daemonCpuMillicores: number;
  /** Deployment/StatefulSet pods placed on this role at the start (harvester, rancher, virt-*, coredns...). */
  readonly deploymentPods: number;
  readonly deploymentCpuMillicores: number;
  readonly memoryBytes: number;
}

const GiB = 2 ** 30;
const estimate =
  'unverified estimate: Harvester publishes no per-role pod census (harvester/harvester:deploy/charts/harvester lists the components); replace with `kubectl get pods -A -o wide` from a real cluster';

/**
 * System pods per node role. Deployment pods move off a lost node after the toleration; daemon pods
 * stay with their node.
 */
export const systemPodsTable: SourcedFields<{ readonly [R in NodeRole]: SystemPodCensus }> = {
  management: {
    value: {
      daemonPods: 14,
      daemonCpuMillicores: 900,
      deploymentPods: 30,
      deploymentCpuMillicores: 2500,
      memoryBytes: 6 * GiB,
    },
    source: estimate,
  },
  worker: {
    value: {
      daemonPods: 14,
      daemonCpuMillicores: 900,
      deploymentPods: 2,
      deploymentCpuMillicores: 200,
      memoryBytes: 2 * GiB,
    },
    source: estimate,
  },
  witness: {
    value: {
      daemonPods: 6,
      daemonCpuMillicores: 300,
      deploymentPods: 0,
      deploymentCpuMillicores: 0,
      memoryBytes: GiB,
    },
    source:
      'harvester/harvester:deploy/charts/harvester/templates/configmap.yaml (promote.sh: a witness gets only the etcd role) and pkg/installer/config/config.go (witness taint node-role.kubernetes.io/etcd=true:NoExecute): it runs only node-manager, ccm, etcd, kube-proxy, canal and multus; counts and requests unverified',
  },
};
