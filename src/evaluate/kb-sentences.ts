/**
 * Sentences of the knowledge base (Harvester's "shutdown and restart a Harvester cluster" article,
 * harvester/harvesterhci.io:kb/2024-07-22/harvester_cluster_shutdown_and_restart.md, and its
 * neighbours) that findings cite, verbatim.
 */
export const KB = {
  stopWorkloads:
    "When the cluster is shutting down node by node, if you don't stop those workloads in advance, they will try hard until the last node is off. It causes the last few nodes to have heavy CPU/memory/network/storage usage and increases the chance of data corruption.",
  crowding:
    'Each Harvester node has limited capacity of CPU/memory/network/storage and the max-pod-number, when all workloads are crowded on the last few nodes, the unexpected pod eviction, scheduling failure and other phenomena may happen.',
  stopVolumes:
    'Undoubtedly, stop the PVs as much as possible before the cluster shutdown to avoid the data moving.',
  brutalPowerOff:
    'Needless to say, it is a bad practice to brutally power off the nodes on production environments.',
  stableIp:
    'A general requirement is that the Node/Host IP and the cluster VIP should keep stable in the whole lifecycle, if IP changes the cluster may fail to recover/work.',
  dhcpBinding:
    'If there is no fixed IP binding, when the server restarts after some days it may get a different IP from the DHCP server.',
  rancherReplacesVms:
    'Directly stopping those VMs on Harvester is not a good practice when Rancher is still managing the downstream cluster. For example, Rancher may create new VMs if you stop them from Harvester.',
  removeImport:
    'Unless you have already deleted all the downstream clusters which are deploy on this Harvester, DO NOTremove this imported Harvester from the Rancher Manager. Harvester will get a different driver-id when it is imported later, but those aforementioned downstream clusters are connected to driver-id.',
  scaleAvailable:
    'Set the management.cattle.io/scale-available of deployment rancher to be "" instead of "3" or other values. This change will stop the auto-scaling.',
  agentScaledBack:
    'The cattle-cluster-agent-*** pod is the direct connection between Rancher Manager and Harvester cluster, and this pod is monitored and managed by the embedded Rancher in Harvester, scaling down this pod does not work. The embedded Rancher will scale it up automatically.',
  leaderOnControlPlane:
    'Run kubectl delete pod -n kube-system etcd-name command to delete the etcd pod on the witness node to trigger the pod replacement and leader re-election so that the etcd leader will be located on one of the control-plane nodes.',
  powerOnLastFirst:
    'Power on the last shutdown node first. After about three minutes, continue the next step.',
  vip: 'The following EXTERNAL-IP should be the same as the VIP of the Harvester cluster.',
  volumesDetached:
    'The volumes should be in state detached, check the related workload if some volumes are still in state attached.',
  kubevirtCertificates:
    '.ca.duration: Validity period of the CA certificate. The default value is "168h". .ca.renewBefore: ... The default value is "33.6h".',
  kubevirtServerCertificates:
    '.server.duration: Validity period of server component certificates (for example, virt-api, virt-handler, and virt-operator). The default value is "24h". .server.renewBefore: ... The default value is "4.8h".',
  rancherTokens:
    'A side effect of using this default value is the expiration of authentication tokens embedded in kubeconfigs that Rancher uses to provision guest Kubernetes clusters on Harvester.',
  rke2Certificates:
    'RKE2 generates a list of *.crt and *.key files that allow Kubernetes components to function. The *.crt file expires after one year by default.',
} as const;

/** Research notes the KB does not state but findings rely on. */
export const RESEARCH = {
  forceReset:
    'controlplane.md §5: vm-force-reset-policy (15 s after Ready=Unknown, out-of-service 180 s later) force-restarts VMs on the surviving nodes; harvester/harvester:pkg/controller/master/node/node_down_controller.go',
  staticPod:
    'controlplane.md §8 S1: etcd is an RKE2 static pod; deleting its mirror pod does not stop the container (kubernetes#18429, #79147): use etcdctl move-leader',
  witness: 'controlplane.md §2: a witness has no apiserver, no kube-vip and no storage',
} as const;
