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
  | { readonly kind: 'addons-settled'; readonly addons: AddonSelector; readonly enabled: boolean };

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
  | { readonly type: 'node.maintenance'; readonly node: NodeRef; readonly enable: boolean }
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
  /**
   * How long the action may take (the step's `timeout:`, else its type's default,
   * src/profiles/plan-step-timeouts.ts); past it the run stops with a step timeout. null for
   * `sleep`, `offline` and `wait-for`, which their duration or their wait's timeout bound.
   */
  readonly timeoutSeconds: number | null;
}

export interface Plan {
  readonly fileName: string;
  readonly name: string;
  readonly description: string;
  readonly steps: readonly PlanStep[];
  /**
   * Line and column of values in the source file, keyed by their path as printed in errors
   * (`steps[3].nodes[0]`), so later checks can point into the file. Empty for plans built in code.
   */
  readonly locations: Readonly<Record<string, { readonly line: number; readonly column: number }>>;
}
