import type { HarvesterSettings, KubernetesTiming } from '../profiles/types.ts';
import type { Recorder } from '../trace/recorder.ts';

export interface NodeCondition {
  ready: 'True' | 'Unknown';
  lastHeartbeatSeconds: number;
  unknownSinceSeconds: number | null;
  /** Taints currently on the node (key → effect). */
  readonly taints: Map<string, 'NoSchedule' | 'NoExecute'>;
}

export interface LifecycleActions {
  /** Harvester force-deletes the node's VMIs (out-of-service taint from v1.7.0, pod force delete before) so they restart elsewhere. */
  outOfService(node: string): void;
  /** The node is Ready again. */
  ready(node: string): void;
  /** The node's Ready condition or taints changed (what the scheduler reads of it). */
  conditionChanged?(node: string): void;
}

const UNREACHABLE = 'node.kubernetes.io/unreachable';
const DRAIN = 'kubevirt.io/drain';
const OUT_OF_SERVICE = 'node.kubernetes.io/out-of-service';

/**
 * The node lifecycle controller and Harvester's node-down controller, evaluated every
 * node-monitor-period while the API serves (kubernetes/kubernetes:pkg/controller/nodelifecycle):
 * - Ready turns Unknown when the kubelet has not posted for node-monitor-grace-period (40 s; 50 s
 *   from Kubernetes 1.32), and the unreachable NoExecute taint is added;
 * - vm-force-reset-policy (harvester/harvester:pkg/controller/master/node/node_down_controller.go):
 *   from Harvester v1.7.0, `kubevirt.io/drain:NoSchedule` `period` (15 s) after Unknown, then
 *   `node.kubernetes.io/out-of-service:NoExecute` `vmMigrationTimeout` (180 s) later, which
 *   force-deletes the node's pods and volume attachments; before v1.7.0 (no vmMigrationTimeout,
 *   here 0) the controller force-deletes the node's virt-launcher pods and VolumeAttachments
 *   `period` (300 s by default) after Unknown, with no taint (harvester/harvester#4049: NotReady →
 *   VM down in about the period);
 * - both taints are cleared when the node is Ready again.
 * Nothing changes while the API is down; when it returns, every node gets a fresh grace period, as
 * a restarted kube-controller-manager gives it.
 */
export class NodeLifecycle {
  readonly conditions = new Map<string, NodeCondition>();
  private apiWasDown = false;
  /** Nodes whose VMIs the pre-v1.7.0 node-down controller force-deleted while they stay NotReady. */
  private readonly forceDeleted = new Set<string>();

  constructor(
    nodes: readonly string[],
    private readonly timing: KubernetesTiming,
    private readonly harvester: HarvesterSettings,
    private readonly nodeRecord: Recorder<'nodes'>,
    private readonly kubeRecord: Recorder<'kube'>,
    private readonly actions: LifecycleActions,
  ) {
    for (const node of nodes) {
      this.conditions.set(node, {
        ready: 'True',
        lastHeartbeatSeconds: 0,
        unknownSinceSeconds: null,
        taints: new Map(),
      });
    }
  }

  isReady(node: string): boolean {
    return this.condition(node).ready === 'True';
  }

  taints(node: string): ReadonlyMap<string, 'NoSchedule' | 'NoExecute'> {
    return this.condition(node).taints;
  }

  tick(nowSeconds: number, apiAvailable: boolean, kubeletPosting: (node: string) => boolean): void {
    if (!apiAvailable) {
      this.apiWasDown = true;
      return;
    }
    const restarted = this.apiWasDown;
    this.apiWasDown = false;
    const policy = this.harvester.vmForceResetPolicy;
    for (const [node, condition] of this.conditions) {
      if (restarted) condition.lastHeartbeatSeconds = Math.max(condition.lastHeartbeatSeconds, nowSeconds);
      if (kubeletPosting(node)) {
        condition.lastHeartbeatSeconds = nowSeconds;
        if (condition.ready !== 'True') this.markReady(node, condition);
        continue;
      }
      if (
        condition.ready === 'True' &&
        nowSeconds - condition.lastHeartbeatSeconds > this.timing.nodeMonitorGracePeriodSeconds
      ) {
        condition.ready = 'Unknown';
        condition.unknownSinceSeconds = nowSeconds;
        this.actions.conditionChanged?.(node);
        this.nodeRecord.emit('node.ready', { node, status: 'Unknown' });
        this.addTaint(node, condition, UNREACHABLE, 'NoExecute');
      }
      if (condition.ready !== 'Unknown' || !policy.enable || condition.unknownSinceSeconds === null) continue;
      const unknownFor = nowSeconds - condition.unknownSinceSeconds;
      if (policy.vmMigrationTimeoutSeconds === 0) {
        if (!this.forceDeleted.has(node) && unknownFor >= policy.periodSeconds) {
          this.forceDeleted.add(node);
          this.actions.outOfService(node);
        }
        continue;
      }
      if (!condition.taints.has(DRAIN) && unknownFor >= policy.periodSeconds) {
        this.addTaint(node, condition, DRAIN, 'NoSchedule');
      }
      if (
        !condition.taints.has(OUT_OF_SERVICE) &&
        unknownFor >= policy.periodSeconds + policy.vmMigrationTimeoutSeconds
      ) {
        this.addTaint(node, condition, OUT_OF_SERVICE, 'NoExecute');
        this.actions.outOfService(node);
      }
    }
  }

  /** Seconds the node has been NotReady/Unknown, or 0. */
  unknownForSeconds(node: string, nowSeconds: number): number {
    const since = this.condition(node).unknownSinceSeconds;
    return since === null ? 0 : nowSeconds - since;
  }

  private markReady(node: string, condition: NodeCondition): void {
    condition.ready = 'True';
    condition.unknownSinceSeconds = null;
    this.actions.conditionChanged?.(node);
    this.forceDeleted.delete(node);
    this.nodeRecord.emit('node.ready', { node, status: 'True' });
    for (const taint of [UNREACHABLE, DRAIN, OUT_OF_SERVICE]) {
      if (condition.taints.delete(taint)) this.kubeRecord.emit('taint.removed', { node, taint });
    }
    this.actions.ready(node);
  }

  private addTaint(
    node: string,
    condition: NodeCondition,
    taint: string,
    effect: 'NoSchedule' | 'NoExecute',
  ): void {
    condition.taints.set(taint, effect);
    this.actions.conditionChanged?.(node);
    this.kubeRecord.emit('taint.added', { node, taint, effect });
  }

  private condition(node: string): NodeCondition {
    const condition = this.conditions.get(node);
    if (condition === undefined) throw new Error(`unknown node '${node}'`);
    return condition;
  }
}
