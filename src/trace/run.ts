/**
 * Records of subsystem 'run': what evaluation needs to know of the cluster and the run, written by
 * the plan runner at the start and the end of the traced part of a run. An observed run from a real
 * cluster writes the same two records from what it read of the cluster.
 */
export type NodeRole = 'management' | 'worker' | 'witness';

export interface RunRecordData {
  'run.start': {
    scenario: string;
    plan: string;
    /** The root seed of a simulated run; null for an observed run. */
    seed: number | string | null;
    harvesterVersion: string;
    /** Component versions of the Harvester release, as upstream prints them. */
    components: {
      rke2: string;
      kubernetes: string;
      etcd: string;
      kubevirt: string;
      longhorn: string;
      rancher: string;
    };
    nodes: { name: string; role: NodeRole }[];
    /** The cluster VIP (kube-vip) address. */
    vip: string;
    /**
     * What the scenario's checks found legal but doubtful, one line each (file, path, expected,
     * found); absent in an observed run.
     */
    warnings?: string[];
  };
  /** The traced part of the run ended (the plan ended, or observation stopped). */
  'run.end': { endSeconds: number };
}
