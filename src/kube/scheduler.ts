/**
 * Placement by capacity, as kube-scheduler's default plugins decide it for our purposes: filter
 * nodes that are schedulable and have room (CPU and memory requests, max-pods), then score by
 * least allocated (kubernetes/kubernetes:pkg/scheduler/framework/plugins/noderesources/least_allocated.go),
 * ties broken by node name so runs are deterministic.
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
  const reasons = new Map<string, number>();
  const note = (reason: string) => reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  let best: { name: string; score: number } | null = null;
  for (const node of nodes) {
    if (!node.schedulable) {
      note(node.unschedulableReason);
      continue;
    }
    if (node.pods + 1 > node.podsAllocatable) {
      note('Too many pods');
      continue;
    }
    const cpuFree = node.cpuAllocatableMillicores - node.cpuRequestedMillicores - request.cpuMillicores;
    const memoryFree = node.memoryAllocatableBytes - node.memoryRequestedBytes - request.memoryBytes;
    if (cpuFree < 0) {
      note('Insufficient cpu');
      continue;
    }
    if (memoryFree < 0) {
      note('Insufficient memory');
      continue;
    }
    const score = (cpuFree / node.cpuAllocatableMillicores + memoryFree / node.memoryAllocatableBytes) / 2;
    if (best === null || score > best.score || (score === best.score && node.name < best.name)) {
      best = { name: node.name, score };
    }
  }
  if (best !== null) return { node: best.name };
  const summary = [...reasons.entries()].map(([reason, count]) => `${count} ${reason}`).join(', ');
  return { node: null, reason: `0/${nodes.length} nodes are available: ${summary || 'no nodes'}` };
}
