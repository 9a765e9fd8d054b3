/** Kubernetes, kubelet and KubeVirt node timing, and the pod termination grace period. */
import type { SourcedFields } from './sourced.ts';
import type { KubernetesTiming } from './types.ts';
import { isAtLeast } from './version.ts';

export function kubernetesTimingDefaults(kubernetesVersion: string): SourcedFields<KubernetesTiming> {
  return {
    nodeMonitorGracePeriodSeconds: isAtLeast(kubernetesVersion, '1.32.0')
      ? {
          value: 50,
          source: 'kubernetes/kubernetes PR #126287 (50 s from 1.32; not overridden by RKE2 or Harvester)',
        }
      : { value: 40, source: 'kubernetes/kubernetes:pkg/controller/nodelifecycle (40 s before 1.32)' },
    defaultTolerationSeconds: {
      value: 300,
      source: 'kubernetes/kubernetes:plugin/pkg/admission/defaulttolerationseconds',
    },
    maxPodsPerNode: {
      value: 200,
      source: 'harvester/harvester:pkg/installer/config/config.go (MaxPods; harvester#2707)',
    },
    kubevirtHeartbeatStaleSeconds: {
      value: 300,
      source: 'kubevirt/kubevirt:pkg/virt-controller/watch/node/node.go (heartbeat older than 5 min)',
    },
    terminationGracePeriodSeconds: {
      value: 30,
      source:
        'kubernetes/kubernetes:staging/src/k8s.io/api/core/v1/types.go (DefaultTerminationGracePeriodSeconds = 30)',
    },
    shutdownGracePeriodSeconds: {
      value: 0,
      source:
        'k8s.io/kubelet/config/v1beta1 KubeletConfiguration.shutdownGracePeriod (default 0: graceful node shutdown inactive); harvester/harvester-installer:pkg/config/config.go GetKubeletArgs passes only max-pods, node-labels (and the witness taint) as kubelet-arg (templates rke2-90-harvester-server.yaml / -agent.yaml), and rke2 sets none',
    },
    shutdownGracePeriodCriticalPodsSeconds: {
      value: 0,
      source:
        'k8s.io/kubelet/config/v1beta1 KubeletConfiguration.shutdownGracePeriodCriticalPods (default 0)',
    },
    vmTerminationGracePeriodSeconds: {
      value: 120,
      source:
        'harvester/harvester PR #3417 (setting default-termination-grace-period-seconds: "If users don\'t set default-termination-grace-period-seconds setting, terminationGracePeriodSeconds in a VM is 120 seconds"; harvester#2466)',
    },
  };
}
