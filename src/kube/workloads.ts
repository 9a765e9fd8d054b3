import type { Scenario } from '../scenario/types.ts';
import type { Recorder } from '../trace/recorder.ts';
import { type KubeDefaults, type SystemPodCensus, systemPodsTable } from './defaults.ts';
import type { Placement, PodRequest } from './scheduler.ts';
import { attemptsWithin } from './workqueue-retries.ts';

interface NodeRequests {
  cpuMillicores: number;
  memoryBytes: number;
  pods: number;
}

interface DeploymentPod {
  /** Position in the pod list (the order requests are summed in). */
  readonly index: number;
  readonly name: string;
  readonly request: PodRequest;
  node: string | null;
  /** When the pod started failing (evicted and not placed), for the retry count. */
  failingSinceSeconds: number | null;
}

/**
 * System pods: daemon pods stay with their node; deployment pods are evicted from a node NotReady
 * for longer than the default toleration (300 s, DefaultTolerationSeconds) and placed elsewhere,
 * crowding the nodes that remain. Controllers retry what fails with client-go's backoff; the load
 * is sampled into `controllers.load` records.
 */
export class SystemWorkloads {
  private readonly pods: DeploymentPod[] = [];
  private readonly daemon = new Map<string, SystemPodCensus>();
  /** Per node, its deployment pods in pod order; and `requestedOn`, until one of them moves. */
  private readonly podsOn = new Map<string, DeploymentPod[]>();
  private readonly requested = new Map<string, NodeRequests>();
  /** Deployment pods bound to no node (evicted, not placed again yet). */
  private unbound = 0;

  constructor(
    private readonly scenario: Scenario,
    private readonly defaults: KubeDefaults,
    private readonly record: Recorder<'kube'>,
    /** A pod left or joined `node` (what `requestedOn(node)` counts changed). */
    private readonly requestsChanged: (node: string) => void = () => {},
  ) {
    for (const node of scenario.nodes) {
      const census = systemPodsTable[node.role].value;
      this.daemon.set(node.name, census);
      for (let i = 0; i < census.deploymentPods; i++) {
        const pod: DeploymentPod = {
          index: this.pods.length,
          name: `${node.role}-system-${node.name}-${i}`,
          request: {
            cpuMillicores: census.deploymentCpuMillicores / census.deploymentPods,
            memoryBytes: census.memoryBytes / (census.deploymentPods + census.daemonPods),
          },
          node: node.name,
          failingSinceSeconds: null,
        };
        this.pods.push(pod);
        const list = this.podsOn.get(node.name) ?? [];
        list.push(pod);
        this.podsOn.set(node.name, list);
      }
    }
  }

  /**
   * Requests of system pods on a node: its daemon pods, then its deployment pods in pod order (the
   * same additions in the same order as one pass over every pod). Summed again only when a pod
   * left or joined the node.
   */
  requestedOn(node: string): Readonly<NodeRequests> {
    let sum = this.requested.get(node);
    if (sum !== undefined) return sum;
    const census = this.daemon.get(node);
    if (census === undefined) throw new Error(`unknown node '${node}'`);
    sum = {
      cpuMillicores: census.daemonCpuMillicores,
      memoryBytes:
        (census.memoryBytes * census.daemonPods) / Math.max(1, census.deploymentPods + census.daemonPods),
      pods: census.daemonPods,
    };
    for (const pod of this.podsOn.get(node) ?? []) {
      sum.cpuMillicores += pod.request.cpuMillicores;
      sum.memoryBytes += pod.request.memoryBytes;
      sum.pods++;
    }
    this.requested.set(node, sum);
    return sum;
  }

  /** Moves the pod to `node` (null: unbound), keeping each node's list in pod order. */
  private bind(pod: DeploymentPod, node: string | null): void {
    const was = pod.node;
    if (was === node) return;
    if (was === null) this.unbound--;
    if (node === null) this.unbound++;
    if (was !== null) {
      const list = this.podsOn.get(was) as DeploymentPod[];
      list.splice(list.indexOf(pod), 1);
      this.requested.delete(was);
      this.requestsChanged(was);
    }
    pod.node = node;
    if (node !== null) {
      let list = this.podsOn.get(node);
      if (list === undefined) {
        list = [];
        this.podsOn.set(node, list);
      }
      let i = list.length;
      while (i > 0 && list[i - 1].index > pod.index) i--;
      list.splice(i, 0, pod);
      this.requested.delete(node);
      this.requestsChanged(node);
    }
  }

  /** Evicts deployment pods from nodes past their toleration and places pending ones. */
  reconcile(
    nowSeconds: number,
    unknownForSeconds: (node: string) => number,
    place: (request: PodRequest) => Placement,
  ): void {
    const toleration = this.scenario.settings.kubernetes.defaultTolerationSeconds;
    // Nothing to evict and nothing to place: the pass below would change nothing (it only reads).
    if (this.unbound === 0) {
      let evicting = false;
      for (const node of this.podsOn.keys()) {
        if (unknownForSeconds(node) > toleration) {
          evicting = true;
          break;
        }
      }
      if (!evicting) return;
    }
    for (const pod of this.pods) {
      if (pod.node !== null && unknownForSeconds(pod.node) > toleration) {
        this.record.emit('pod.evicted', { pod: pod.name, node: pod.node, reason: 'TaintManagerEviction' });
        this.bind(pod, null);
        pod.failingSinceSeconds = nowSeconds;
      }
      if (pod.node !== null) continue;
      const placement = place(pod.request);
      if (placement.node === null) {
        if (pod.failingSinceSeconds === nowSeconds) {
          this.record.emit('schedule.failed', { object: `pod/${pod.name}`, reason: placement.reason });
        }
        continue;
      }
      this.bind(pod, placement.node);
      pod.failingSinceSeconds = null;
      this.record.emit('pod.placed', { pod: pod.name, node: placement.node });
    }
  }

  /**
   * Controller attempts per minute over the last window: every failing object (pending pod, lost
   * VMI) is retried with client-go's per-item backoff, all of them within the queue's overall rate.
   */
  reconcileAttemptsPerMinute(
    nowSeconds: number,
    windowSeconds: number,
    failingSince: readonly number[],
  ): number {
    const {
      workqueueBaseDelaySeconds: base,
      workqueueMaxDelaySeconds: max,
      workqueueQueriesPerSecond: qps,
    } = this.defaults;
    let attempts = 0;
    const since = [
      ...failingSince,
      ...this.pods.flatMap((p) => (p.failingSinceSeconds === null ? [] : [p.failingSinceSeconds])),
    ];
    for (const start of since) {
      attempts +=
        attemptsWithin(nowSeconds - start, base, max) -
        attemptsWithin(nowSeconds - windowSeconds - start, base, max);
    }
    return (Math.min(attempts, qps * windowSeconds) * 60) / windowSeconds;
  }
}
