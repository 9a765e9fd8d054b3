/**
 * Placement by capacity, as kube-scheduler's default plugins decide it for our purposes: filter
 * nodes that are schedulable and have room (CPU and memory requests, max-pods), then score by the
 * default profile's two resource scores, each with weight 1
 * (kubernetes/kubernetes:pkg/scheduler/apis/config/v1/default_plugins.go): NodeResourcesFit's
 * LeastAllocated (pkg/scheduler/framework/plugins/noderesources/least_allocated.go) and
 * NodeResourcesBalancedAllocation (balanced_allocation.go). Ties are broken by node name so runs are
 * deterministic (kube-scheduler samples among tied nodes). The requested sums must include every pod
 * already chosen, bound or not: kube-scheduler assumes a pod on its node before binding it.
 * Virt-launcher pods are owned by a VMI, not a Service or ReplicaSet, so PodTopologySpread's system
 * default constraints do not select them; they spread by these scores alone.
 */
export interface NodeCapacity {
  readonly name: string;
  readonly schedulable: boolean;
  /** Why not, when `schedulable` is false (NotReady, cordoned, tainted, witness). */
  readonly unschedulableReason: string;
  readonly cpuAllocatableMillicores: number;
  readonly memoryAllocatableBytes: number;
  readonly podsAllocatable: number;
  readonly cpuRequestedMillicores: number;
  readonly memoryRequestedBytes: number;
  readonly pods: number;
}

export interface PodRequest {
  readonly cpuMillicores: number;
  readonly memoryBytes: number;
}

export type Placement = { readonly node: string } | { readonly node: null; readonly reason: string };

export function place(request: PodRequest, nodes: readonly NodeCapacity[]): Placement {
  let bestName: string | null = null;
  let bestScore = 0;
  for (const node of nodes) {
    if (!node.schedulable || node.pods + 1 > node.podsAllocatable) continue;
    const cpuFree = node.cpuAllocatableMillicores - node.cpuRequestedMillicores - request.cpuMillicores;
    const memoryFree = node.memoryAllocatableBytes - node.memoryRequestedBytes - request.memoryBytes;
    if (cpuFree < 0 || memoryFree < 0) continue;
    const score = leastAllocated(cpuFree, memoryFree, node) + balancedAllocation(cpuFree, memoryFree, node);
    if (bestName === null || score > bestScore || (score === bestScore && node.name < bestName)) {
      bestName = node.name;
      bestScore = score;
    }
  }
  if (bestName !== null) return { node: bestName };
  return { node: null, reason: unavailable(request, nodes) };
}

/**
 * Why no node fits: each filter's count, in the order the nodes first failed it (kube-scheduler's
 * "0/N nodes are available: …" message). Written out only when the pod stays Pending.
 */
function unavailable(request: PodRequest, nodes: readonly NodeCapacity[]): string {
  const reasons = new Map<string, number>();
  for (const node of nodes) {
    let reason: string;
    if (!node.schedulable) reason = node.unschedulableReason;
    else if (node.pods + 1 > node.podsAllocatable) reason = 'Too many pods';
    else if (node.cpuAllocatableMillicores - node.cpuRequestedMillicores - request.cpuMillicores < 0)
      reason = 'Insufficient cpu';
    else if (node.memoryAllocatableBytes - node.memoryRequestedBytes - request.memoryBytes < 0)
      reason = 'Insufficient memory';
    else continue;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  const summary = [...reasons.entries()].map(([reason, count]) => `${count} ${reason}`).join(', ');
  return `0/${nodes.length} nodes are available: ${summary || 'no nodes'}`;
}

/** LeastAllocated: the mean over CPU and memory of the fraction left free with the pod placed. */
function leastAllocated(cpuFree: number, memoryFree: number, node: NodeCapacity): number {
  return (cpuFree / node.cpuAllocatableMillicores + memoryFree / node.memoryAllocatableBytes) / 2;
}

/**
 * BalancedAllocation: 1 minus the standard deviation of the requested fractions with the pod placed;
 * for two resources that is half their difference (balanced_allocation.go, `balancedResourceScorer`).
 */
function balancedAllocation(cpuFree: number, memoryFree: number, node: NodeCapacity): number {
  const cpuFraction = 1 - cpuFree / node.cpuAllocatableMillicores;
  const memoryFraction = 1 - memoryFree / node.memoryAllocatableBytes;
  return 1 - Math.abs(cpuFraction - memoryFraction) / 2;
}
