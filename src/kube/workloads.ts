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
  /** `requestedOn` of every node, summed in one pass over the pods; dropped when a pod moves. */
  private requested: Map<string, NodeRequests> | null = null;
  private moves = 0;

  constructor(
    private readonly scenario: Scenario,
    private readonly defaults: KubeDefaults,
    private readonly record: Recorder<'kube'>,
  ) {
    for (const node of scenario.nodes) {
      const census = systemPodsTable[node.role].value;
      this.daemon.set(node.name, census);
      for (let i = 0; i < census.deploymentPods; i++) {
        this.pods.push({
          name: `${node.role}-system-${node.name}-${i}`,
          request: {
            cpuMillicores: census.deploymentCpuMillicores / census.deploymentPods,
            memoryBytes: census.memoryBytes / (census.deploymentPods + census.daemonPods),
          },
          node: node.name,
          failingSinceSeconds: null,
        });
      }
    }
  }

  /** Counts the moves of system pods: what was built from `requestedOn` is stale once it changes. */
  get revision(): number {
    return this.moves;
  }

  /** Requests of system pods on a node. */
  requestedOn(node: string): Readonly<NodeRequests> {
    this.requested ??= this.sumRequests();
    return this.requested.get(node) as NodeRequests;
  }

  /** Every node's requests: its daemon pods, then its deployment pods in order (the same additions, in the same order, as one node at a time). */
  private sumRequests(): Map<string, NodeRequests> {
    const sums = new Map<string, NodeRequests>();
    for (const [node, census] of this.daemon) {
      sums.set(node, {
        cpuMillicores: census.daemonCpuMillicores,
        memoryBytes:
          (census.memoryBytes * census.daemonPods) / Math.max(1, census.deploymentPods + census.daemonPods),
        pods: census.daemonPods,
      });
    }
    for (const pod of this.pods) {
      const sum = pod.node === null ? undefined : sums.get(pod.node);
      if (sum === undefined) continue;
      sum.cpuMillicores += pod.request.cpuMillicores;
      sum.memoryBytes += pod.request.memoryBytes;
      sum.pods++;
    }
    return sums;
  }

  /** Evicts deployment pods from nodes past their toleration and places pending ones. */
  reconcile(
    nowSeconds: number,
    unknownForSeconds: (node: string) => number,
    place: (request: PodRequest) => Placement,
  ): void {
    const toleration = this.scenario.settings.kubernetes.defaultTolerationSeconds;
    for (const pod of this.pods) {
      if (pod.node !== null && unknownForSeconds(pod.node) > toleration) {
        this.record.emit('pod.evicted', { pod: pod.name, node: pod.node, reason: 'TaintManagerEviction' });
        pod.node = null;
        this.requested = null;
        this.moves++;
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
      pod.node = placement.node;
      this.requested = null;
      this.moves++;
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
