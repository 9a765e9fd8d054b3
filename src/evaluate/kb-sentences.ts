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
    'vm-force-reset-policy force-restarts VMs on the surviving nodes (before Harvester v1.7.0 `period` 300 s after Ready=Unknown; from v1.7.0 drain taint after 15 s, out-of-service 180 s later); harvester/harvester:pkg/controller/master/node/node_down_controller.go',
  staticPod:
    'etcd is an RKE2 static pod; deleting its mirror pod does not stop the container (kubernetes#18429, #79147): use etcdctl move-leader',
  witness:
    'harvester/docs:docs/advanced/witness.md: a witness node runs etcd only: no apiserver, no kube-vip and no storage',
} as const;

/**
 * More sentences of the KB shutdown/restart article that `harvester-sim check` cites (issue 12), and
 * of the knowledge base's neighbouring articles (the seed of this project), verbatim.
 */
export const KB_PROCEDURE = {
  supportBundleFirst:
    'For trouble-shooting purpose, it is essential to follow this instruction to generate a support-bundle file before taking any actions. And make sure the workload namespaces are added.',
  supportBundleAfter: 'Generate a new support-bundle file on the Harvester cluster.',
  reverseOrder:
    'To safely shutdown a Harvester cluster, you need to follow the roughly reverse order of the cluster installation and the workload deployments.',
  etcdNodesFirst: 'The first step is to start those etcd located nodes one after another.',
  quorum: 'The etcd forms a quorum and can tolerant the failure of one node.',
  liveMigrationRwx:
    'Live migration is only permitted when the volume access mode is set to ReadWriteMany. Requests to migrate a non-LiveMigratable VMI will be rejected.',
  checkLeaderAgain: 'Check the etcd leader again to make sure.',
} as const;

/** Facts of the seed's other articles that scenarios can state (issue 12, deliverable 4), verbatim. */
export const SEED_FACTS = {
  tokenRotation:
    'Do not attempt to rotate the RKE2 token on your cluster before Harvester announces official support for this feature (even if the embedded RKE2 binary has the token rotate option).',
  tokenRotationFatal:
    'level=fatal msg="Failed to reconcile with temporary etcd: bootstrap data already found and encrypted with different token"',
  noProxyWebhook:
    'Harvester has a webhook that checks this setting to ensure it meets all conditions, e.g. the internal IPs and CIDRs are specified in the noProxy field.',
  noProxyFromFiles:
    'Without help from the webhook, some erroneous configurations may not be promptly detected (see Node IP should be in noProxy).',
  iscsiSan:
    'FCP (Fibre Channel Protocol) and iSCSI (Internet SCSI): Permit computer systems to access storage via a Storage Area Network (SAN), where the storage devices are attached to a system other than the computers using that storage',
  iscsiKernelParameters:
    "If you don't modify the kernel parameters, then system startup procedures will fail to find the COS_OEM and other paritions on the boot disk,",
  iscsiUpgrade:
    'The boot configuration changes will persist across node reboots but not across system upgrades, which will overwrite the GRUB parameters.',
  cephExternal:
    'In this article, we will walk you through the process of installing, configuring, and utilizing Rook to use storage from an existing external Ceph cluster as a data disk for a VM within the Harvester environment.',
  csiDriverConfig:
    "Before you can make use of Harvester's Backup & Snapshot features, you need to set up some essential configurations through the Harvester csi-driver-config setting.",
  csiSnapshotClass:
    'Next, specify the Volume Snapshot Class Name as csi-rbdplugin-snapclass-external. This setting points to the name of the VolumeSnapshotClass used for creating volume snapshots or VM snapshots.',
  longhornDedicatedDisk:
    'Longhorn disk: Use a dedicated disk for Longhorn storage instead of using the root disk.',
  longhornReplicaCount:
    'Replica count: Set the default replica count to "2" to achieve data availability with better disk space usage or less impact to system performance.',
  longhornDataLocality:
    'Data locality: Use best-effort as the default data locality of Longhorn Storage Classes.',
  longhornNetwork: '10 Gbps network bandwidth between nodes',
  longhornDiskKind: 'SATA/NVMe SSDs or disk drives with similar performance',
  longhornReserved:
    'Longhorn allows you to specify the percentage of disk space that is not allocated to the default disk on each new Longhorn node. The default value is "30".',
} as const;
