/** Records of subsystem 'rancher': the embedded rancher, its agent and downstream clusters. */
export interface RancherRecordData {
  'rancher.annotation': { value: string; previous: string };
  'rancher.replicas': { deployment: 'rancher' | 'cattle-cluster-agent'; replicas: number; by: string };
  /** Harvester as Rancher Manager shows it. */
  'rancher.connection': { status: 'Active' | 'Unavailable' };
  /** Rancher replaces a downstream machine VM it found stopped or unhealthy (auto-replace). */
  'rancher.machine-replaced': {
    cluster: string;
    vm: string;
    afterSeconds: number;
    stoppedWhileConnected: boolean;
  };
  'rancher.import-removed': { newDriverId: boolean; orphanedClusters: string[] };
}
