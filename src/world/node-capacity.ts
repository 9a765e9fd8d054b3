import type { NodeLifecycle } from '../kube/node-lifecycle.ts';
import { type NodeCapacity, type Placement, type PodRequest, place } from '../kube/scheduler.ts';
import type { SystemWorkloads } from '../kube/workloads.ts';
import type { VmFleet } from '../kubevirt/vm-lifecycle/fleet.ts';
import { allocatableCpuMillicores } from '../nodes/allocatable.ts';
import type { Scenario, ScenarioNode } from '../scenario/types.ts';

export interface CapacityInputs {
  readonly scenario: Scenario;
  readonly workloads: SystemWorkloads;
  readonly fleet: VmFleet;
  readonly lifecycle: NodeLifecycle;
  readonly cordoned: ReadonlySet<string>;
  isRunning(node: string): boolean;
}

/**
 * What the scheduler sees of every node: allocatable, requested (system pods and VMs) and, when it
 * cannot take pods, the reason kube-scheduler gives. Built from scratch: the reference the
 * `NodeCapacityTable` keeps up to date must equal.
 */
export function nodeCapacities(inputs: CapacityInputs): NodeCapacity[] {
  const maxPods = inputs.scenario.settings.kubernetes.maxPodsPerNode;
  return inputs.scenario.nodes.map((node) =>
    nodeCapacity(inputs, node, allocatableCpuMillicores(node.cpuCores, maxPods), maxPods),
  );
}

function nodeCapacity(
  inputs: CapacityInputs,
  node: ScenarioNode,
  cpuAllocatableMillicores: number,
  maxPods: number,
): NodeCapacity {
  const { workloads, fleet, lifecycle, cordoned } = inputs;
  const system = workloads.requestedOn(node.name);
  const vms = fleet.requestedOn(node.name);
  let reason = '';
  if (node.role === 'witness') reason = 'node(s) had untolerated taint {node-role.kubernetes.io/etcd: true}';
  else if (!inputs.isRunning(node.name) || !lifecycle.isReady(node.name)) reason = 'node(s) were not ready';
  else if (cordoned.has(node.name)) reason = 'node(s) were unschedulable';
  else {
    const taints = lifecycle.taints(node.name);
    if (taints.size > 0) reason = `node(s) had untolerated taint {${[...taints.keys()].join(', ')}}`;
  }
  return {
    name: node.name,
    schedulable: reason === '',
    unschedulableReason: reason,
    cpuAllocatableMillicores,
    memoryAllocatableBytes: node.memoryBytes,
    podsAllocatable: maxPods,
    cpuRequestedMillicores: system.cpuMillicores + vms.cpuMillicores,
    memoryRequestedBytes: system.memoryBytes + vms.memoryBytes,
    pods: system.pods + vms.pods,
  };
}

/**
 * `nodeCapacities` kept per node, as kube-scheduler keeps its node cache and updates a node's entry
 * on that node's events (kubernetes/kubernetes:pkg/scheduler/backend/cache/cache.go, `UpdateNode`,
 * `AddPod`, `RemovePod`): an entry is built again only when something it reads changed for that
 * node (`invalidate`: its VMs or system pods, power, condition and taints, cordon). Allocatable is
 * computed once per node.
 * Each entry is built by the same function as the reference, so it is the same object field for field.
 */
export class NodeCapacityTable {
  private readonly nodes: readonly ScenarioNode[];
  private readonly allocatable: readonly number[];
  private readonly maxPods: number;
  private readonly index = new Map<string, number>();
  private readonly entries: NodeCapacity[];
  private readonly stale: boolean[];
  private staleCount: number;
  /** Bumped whenever an entry may change; a failed placement is remembered for one version. */
  private version = 0;
  private failure: {
    version: number;
    cpuMillicores: number;
    memoryBytes: number;
    placement: Placement;
  } | null = null;

  constructor(private readonly inputs: CapacityInputs) {
    this.nodes = inputs.scenario.nodes;
    this.maxPods = inputs.scenario.settings.kubernetes.maxPodsPerNode;
    this.allocatable = this.nodes.map((n) => allocatableCpuMillicores(n.cpuCores, this.maxPods));
    for (const [i, n] of this.nodes.entries()) this.index.set(n.name, i);
    this.entries = new Array<NodeCapacity>(this.nodes.length);
    this.stale = this.nodes.map(() => true);
    this.staleCount = this.nodes.length;
  }

  /** Something `node`'s entry reads changed (VMs or system pods placed, power, readiness, taints, cordon). */
  invalidate(node: string): void {
    const i = this.index.get(node);
    if (i === undefined) return;
    this.version++;
    if (this.stale[i]) return;
    this.stale[i] = true;
    this.staleCount++;
  }

  /** Every node's capacity, in scenario order; the array is the table's own (read it, do not keep it). */
  current(): readonly NodeCapacity[] {
    if (this.staleCount > 0) {
      for (let i = 0; i < this.nodes.length; i++) {
        if (!this.stale[i]) continue;
        this.entries[i] = nodeCapacity(this.inputs, this.nodes[i], this.allocatable[i], this.maxPods);
        this.stale[i] = false;
      }
      this.staleCount = 0;
    }
    return this.entries;
  }

  /**
   * `place` over the current entries. A placement that failed is answered again, without the walk,
   * for the same request while no entry changed (the scheduler's answer depends on nothing else).
   */
  place(request: PodRequest): Placement {
    const nodes = this.current();
    const failure = this.failure;
    if (
      failure !== null &&
      failure.version === this.version &&
      failure.cpuMillicores === request.cpuMillicores &&
      failure.memoryBytes === request.memoryBytes
    )
      return failure.placement;
    const placement = place(request, nodes);
    if (placement.node === null) {
      this.failure = {
        version: this.version,
        cpuMillicores: request.cpuMillicores,
        memoryBytes: request.memoryBytes,
        placement,
      };
    }
    return placement;
  }
}
