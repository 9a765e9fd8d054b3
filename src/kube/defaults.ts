/**
 * Control-plane timing the profile does not carry (the profile has node-monitor-grace-period,
 * tolerations, max-pods and KubeVirt's heartbeat; see src/profiles/kubernetes-timing-defaults.ts).
 */
import { type SourcedFields, valuesOf } from '../profiles/sourced.ts';

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
