import type { VmRef } from '../scenario/types.ts';
import type { ShutdownMode } from '../trace/nodes.ts';

export type { ShutdownMode };

/**
 * What the world tells the models that react to it (Longhorn, KubeVirt migrations, guests). The
 * world calls every observer, in registration order, at the simulated instant the change happens.
 */
export interface WorldObserver {
  /** A graceful shutdown begins: kubelet and services stop, then power goes off. */
  nodeShuttingDown?(node: string): void;
  /** Power is gone (the end of a graceful shutdown, or at once on power loss). */
  nodePoweredOff?(node: string, mode: ShutdownMode): void;
  /** Power is applied; the node boots. */
  nodePoweringOn?(node: string): void;
  /** The node is Ready again (kubelet up and its deployments ready). */
  nodeReady?(node: string): void;
  /**
   * A drain evicted the node's pods (`kubectl drain --ignore-daemonsets`, as Harvester's maintenance
   * mode runs it): Longhorn's instance manager goes with them, so its replicas fail at once.
   */
  nodeDrained?(node: string): void;
  /**
   * A network partition began or healed: what reaches what changed (read it from the Fabric's
   * `reachable`). Power stays on on both sides.
   */
  networkChanged?(): void;
  /** The node became unschedulable (maintenance, cordon) or schedulable again. */
  nodeCordoned?(node: string, cordoned: boolean): void;
  /** A VMI runs on `node`; its volumes are attached there. */
  vmStarted?(vm: VmRef, node: string): void;
  /** The VMI is gone from `node` (stopped, or its node lost power). */
  vmStopped?(vm: VmRef, node: string, reason: 'stopped' | 'node-lost' | 'force-reset'): void;
  /** The VMI moved from one node to another (live migration completed). */
  vmMigrated?(vm: VmRef, from: string, to: string): void;
}
