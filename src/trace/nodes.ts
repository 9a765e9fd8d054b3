/** Records of subsystem 'nodes': power and readiness of each node. */
export type NodePowerState = 'off' | 'booting' | 'running' | 'shutting-down';

/** How a node loses power: a graceful shutdown (services stop first) or at once. */
export type ShutdownMode = 'graceful' | 'power-loss';

export interface NodeRecordData {
  /** Power state changed. `running` = OS and rke2 up (etcd member and kubelet start). */
  'node.power': { node: string; from: NodePowerState; to: NodePowerState; mode?: ShutdownMode };
  /** Kubernetes `Ready` condition as the API shows it. */
  'node.ready': { node: string; status: 'True' | 'Unknown' };
  /** Every deployment pod on the node is Ready (the KB allows up to ~15 min). */
  'node.deployments-ready': { node: string };
  /** Address after boot; a DHCP node without a fixed binding may come back with another one. */
  'node.address': { node: string; address: string; changed: boolean };
  /**
   * A network partition began: `nodes` are cut off from every node outside them on the management
   * network (power stays on); `side` names this group until it heals.
   */
  'node.partitioned': { side: number; nodes: string[] };
  /** The partition of `side` healed: its nodes reach the others again. */
  'node.partition-healed': { side: number; nodes: string[] };
}
