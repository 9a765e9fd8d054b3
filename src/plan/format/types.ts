/**
 * The typed, validated plan: what `loadPlan` returns and what the plan runner executes.
 * Durations are plain seconds; node choices that depend on the cluster's state at run time
 * stay symbolic (`NodeRef`) and are resolved by the runner.
 */

import type { AddonSelector } from '../../addons/addons.ts';
import type { NodeRole, VmRef } from '../../scenario/types.ts';
import type { ShutdownMode } from '../../trace/nodes.ts';

/**
 * A node named in the scenario, or one chosen by the cluster's state when the step starts.
 * All references of one step are resolved together, when the step starts, so a list such as
 * `[@etcd-follower, @etcd-follower, @etcd-leader]` names three different nodes.
 */
export type NodeRef =
  | { readonly kind: 'name'; readonly name: string }
  /** The etcd leader; when there is none at that moment, the last node that was leader (the one "written down"). */
  | { readonly kind: 'etcd-leader' }
  /**
   * An etcd voter that is not the leader. Repeated uses in one step pick distinct followers, in
   * scenario order, preferring powered-on nodes.
   */
  | { readonly kind: 'etcd-follower' }
  /** The node with role witness. */
  | { readonly kind: 'witness' }
  /** The node that was powered off last in this run (the KB's "last shutdown node"). */
  | { readonly kind: 'last-shut-down' };

/** A set of nodes: explicit references (in order) or every node of a group, in scenario order. */
export type NodeTarget =
  | { readonly kind: 'nodes'; readonly nodes: readonly NodeRef[] }
  | { readonly kind: 'group'; readonly group: NodeGroup };

/** `etcd` = management and witness nodes (the etcd members); `all` = every node. */
export type NodeGroup = NodeRole | 'etcd' | 'all';

/** Which VMs a step acts on. All given criteria must hold. */
export type VmSelector =
  | { readonly kind: 'all' }
  | {
      readonly kind: 'match';
      /** Exact VMs; null means any. */
      readonly vms: readonly VmRef[] | null;
      readonly namespace: string | null;
      readonly labels: Readonly<Record<string, string>>;
      /** Only VMs that are (or are not) machines of a Rancher downstream cluster; null means either. */
      readonly downstreamMachines: boolean | null;
    };

export type { AddonSelector };

/** Something the runner can observe in the world; used by `wait-for`, waits and preconditions. */
export type Condition =
  /** `kubectl get vmi -A` prints "No resources found". */
  | { readonly kind: 'no-vmis' }
  /** Every Longhorn volume is `detached`. */
  | { readonly kind: 'volumes-detached' }
  | { readonly kind: 'nodes-ready'; readonly nodes: NodeTarget }
  /** Nodes are powered off (or unreachable). */
  | { readonly kind: 'nodes-down'; readonly nodes: NodeTarget }
  /** etcd has a leader; with `on`, the leader is that node; with `notOn`, it is not. */
  | { readonly kind: 'etcd-leader'; readonly on: NodeRef | null; readonly notOn: NodeRef | null }
  /** `ingress-expose` EXTERNAL-IP equals the VIP. */
  | { readonly kind: 'vip-bound' }
  /** Selected VMs are Running and ready. */
  | { readonly kind: 'vms-running'; readonly vms: VmSelector }
  /** No persistent Failed/CrashLoopBackOff pods in the KB's system namespaces. */
  | { readonly kind: 'system-pods-healthy' }
  /** The selected addons report AddonDisabled (or AddonDeploySuccessful when `enabled`). */
  | { readonly kind: 'addons-settled'; readonly addons: AddonSelector; readonly enabled: boolean }
  /** The named steps (run with `background: true`) have finished; a failed one fails the wait. */
  | { readonly kind: 'steps-done'; readonly steps: readonly string[] };

export type ConditionKind = Condition['kind'];

/** A condition with its limit. Every wait has a timeout. */
export interface Wait {
  readonly condition: Condition;
  readonly timeoutSeconds: number;
  /** How often the runner (or adapter) checks. */
  readonly pollSeconds: number;
}

export type { ShutdownMode };
export type NodeOrder = 'sequential' | 'parallel';

export type StepAction =
  | {
      readonly type: 'support-bundle';
      /** Added to `support-bundle-namespaces` for this bundle. */
      readonly extraNamespaces: readonly string[];
    }
  | {
      readonly type: 'rancher.disconnect';
      /** Write down `management.cattle.io/scale-available` before touching it. */
      readonly recordScaleAvailable: boolean;
      /** Set the annotation to "" so Rancher stops scaling itself back. */
      readonly clearScaleAvailable: boolean;
      readonly scaleRancherToZero: boolean;
      readonly scaleClusterAgentToZero: boolean;
      /** `kubectl delete pod --force` for rancher pods stuck in Terminating. */
      readonly forceDeleteStuckPods: boolean;
    }
  /** Remove the Harvester import from Rancher Manager (the KB says never to, while downstream clusters exist). */
  | { readonly type: 'rancher.remove-import' }
  | {
      readonly type: 'rancher.reconnect';
      /** `recorded` restores what `rancher.disconnect` wrote down; a number sets it; null leaves it. */
      readonly scaleAvailable: 'recorded' | number | null;
      readonly rancherReplicas: 'recorded' | number;
    }
  | {
      readonly type: 'vm.stop';
      readonly vms: VmSelector;
      /** `guest` = shutdown inside the guest; `virtctl` = the stop subresource; `guest-then-virtctl` = the KB's order. */
      readonly method: 'guest' | 'virtctl' | 'guest-then-virtctl';
    }
  | { readonly type: 'vm.start'; readonly vms: VmSelector }
  | { readonly type: 'vm.migrate'; readonly vms: VmSelector; readonly target: NodeRef | null }
  | { readonly type: 'addon.disable'; readonly addons: AddonSelector }
  | { readonly type: 'addon.enable'; readonly addons: AddonSelector }
  | { readonly type: 'wait-for'; readonly wait: Wait }
  | {
      readonly type: 'etcd.move-leader';
      readonly to: NodeRef | { readonly kind: 'off-witness' };
      /** `etcdctl` = `etcdctl move-leader`; `delete-pod` = the KB's `kubectl delete pod etcd-<witness>`. */
      readonly method: 'etcdctl' | 'delete-pod';
    }
  | {
      readonly type: 'node.shutdown';
      readonly nodes: NodeTarget;
      readonly mode: ShutdownMode;
      readonly order: NodeOrder;
      /** With `sequential`, wait until each node is down before the next one. */
      readonly waitEachDown: boolean;
    }
  /** Nodes already powered on are skipped, so `group: etcd` after `@last-shut-down` starts the rest. */
  | { readonly type: 'node.power-on'; readonly nodes: NodeTarget; readonly order: NodeOrder }
  | {
      readonly type: 'node.maintenance';
      readonly node: NodeRef;
      readonly enable: boolean;
      /** Harvester's "Force" (annotation `harvesterhci.io/drain-forced`): shut non-migratable VMs down instead of refusing. */
      readonly force?: boolean;
    }
  /**
   * `kubectl drain <node>`: cordon, then evict every VM pod through KubeVirt's eviction webhook
   * (the evictionStrategy table), each eviction allowed one `graceSeconds` to go, the whole drain
   * bounded by `timeoutSeconds`.
   */
  | {
      readonly type: 'node.drain';
      readonly node: NodeRef;
      /** `--grace-period`; null: each pod's own terminationGracePeriodSeconds (kubectl's -1). */
      readonly graceSeconds: number | null;
      /** `--timeout`: the drain gives up after this long (the step fails). */
      readonly timeoutSeconds: number;
    }
  /** An external system of the scenario (`infrastructure.externalSystems`) goes down or comes back; the world does not model it, `check` orders it. */
  | { readonly type: 'external.shutdown' | 'external.power-on'; readonly system: string }
  /** The cluster stays powered off (or as it is) for this long. */
  | { readonly type: 'offline'; readonly durationSeconds: number }
  | { readonly type: 'sleep'; readonly durationSeconds: number };

export type StepType = StepAction['type'];

export interface PlanStep {
  /** Position in `steps`, from 0. */
  readonly index: number;
  /** A short name for reports; defaults to `<index>-<type>`. */
  readonly id: string;
  /** The KB sentence or reason behind the step, for reports. */
  readonly note: string;
  readonly action: StepAction;
  /** Checked before the step runs; a false precondition is a finding, and the run stops. */
  readonly preconditions: readonly Condition[];
  /** Waited for, in order, after the action. */
  readonly waits: readonly Wait[];
  /** The step runs beside the ones after it; a later `wait-for` with `steps-done` joins it. */
  readonly background?: boolean;
  /**
   * How long the action may take (the step's `timeout:`, else its type's default,
   * src/profiles/plan-step-timeouts.ts); past it the run stops with a step timeout. null for
   * `sleep`, `offline`, `wait-for` and `node.drain`, which their duration, their wait's timeout or the
   * drain's own `timeout` bound.
   */
  readonly timeoutSeconds: number | null;
  /**
   * The default timeout counts once per node the step waits on in turn (`node.shutdown` with
   * `order: sequential` and `waitEachDown`, `node.power-on` with `order: sequential`, no `timeout:`):
   * 30 min per node, so a 60-worker shutdown is not cut off at the 32nd.
   */
  readonly timeoutPerNode?: boolean;
}

/** When a fault strikes: seconds after the plan started, or after a step started. */
export type FaultTime =
  | { readonly kind: 'plan'; readonly seconds: number }
  | { readonly kind: 'step'; readonly step: string; readonly afterSeconds: number };

/** What a fault does. Node references resolve when the fault strikes. */
export type FaultAction =
  /** The node loses power at once (no graceful stop of anything on it). */
  | { readonly type: 'node.power-loss'; readonly node: NodeRef }
  /** The node is shut down gracefully (an operator or a watchdog). */
  | { readonly type: 'node.shutdown'; readonly node: NodeRef }
  | { readonly type: 'node.power-on'; readonly node: NodeRef }
  /**
   * The node's NIC on one network drops to `bandwidthBytesPerSecond` in both directions (a
   * renegotiated link, a bad cable), back to its capacity after `durationSeconds` (null: for good).
   */
  | {
      readonly type: 'link.degrade';
      readonly node: NodeRef;
      readonly network: 'management' | 'storage' | 'migration';
      readonly bandwidthBytesPerSecond: number;
      readonly durationSeconds: number | null;
    }
  /**
   * The node, and the nodes `with` it, are cut off from every other node on the management network
   * while they keep power; the partition heals after `durationSeconds` (null: for good).
   */
  | {
      readonly type: 'node.network-partition';
      readonly node: NodeRef;
      readonly with: readonly NodeRef[];
      readonly durationSeconds: number | null;
    };

export type FaultType = FaultAction['type'];

/** One entry of a plan's fault schedule (STYLE.md: "Faults and schedules are data"). */
export interface PlanFault {
  /** Position in `faults`, from 0. */
  readonly index: number;
  readonly at: FaultTime;
  readonly action: FaultAction;
}

export interface Plan {
  readonly fileName: string;
  readonly name: string;
  readonly description: string;
  readonly steps: readonly PlanStep[];
  /** Faults that strike at their time whatever step runs then; absent or empty: none. */
  readonly faults?: readonly PlanFault[];
  /**
   * Line and column of values in the source file, keyed by their path as printed in errors
   * (`steps[3].nodes[0]`), so later checks can point into the file. Empty for plans built in code.
   */
  readonly locations: Readonly<Record<string, { readonly line: number; readonly column: number }>>;
}
