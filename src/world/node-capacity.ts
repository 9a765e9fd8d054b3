import type { NodeLifecycle } from '../kube/node-lifecycle.ts';
import type { NodeCapacity } from '../kube/scheduler.ts';
import type { SystemWorkloads } from '../kube/workloads.ts';
import type { VmFleet } from '../kubevirt/vm-lifecycle/fleet.ts';
import { allocatableCpuMillicores } from '../nodes/allocatable.ts';
import type { Scenario } from '../scenario/types.ts';

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
 * cannot take pods, the reason kube-scheduler gives.
 */
export function nodeCapacities(inputs: CapacityInputs): NodeCapacity[] {
  const { scenario, workloads, fleet, lifecycle, cordoned } = inputs;
  const maxPods = scenario.settings.kubernetes.maxPodsPerNode;
  return scenario.nodes.map((node) => {
    const system = workloads.requestedOn(node.name);
    const vms = fleet.requestedOn(node.name);
    const taints = lifecycle.taints(node.name);
    let reason = '';
    if (node.role === 'witness')
      reason = 'node(s) had untolerated taint {node-role.kubernetes.io/etcd: true}';
    else if (!inputs.isRunning(node.name) || !lifecycle.isReady(node.name)) reason = 'node(s) were not ready';
    else if (cordoned.has(node.name)) reason = 'node(s) were unschedulable';
    else if (taints.size > 0) reason = `node(s) had untolerated taint {${[...taints.keys()].join(', ')}}`;
    return {
      name: node.name,
      schedulable: reason === '',
      unschedulableReason: reason,
      cpuAllocatableMillicores: allocatableCpuMillicores(node.cpuCores, maxPods),
      memoryAllocatableBytes: node.memoryBytes,
      podsAllocatable: maxPods,
      cpuRequestedMillicores: system.cpuMillicores + vms.cpuMillicores,
      memoryRequestedBytes: system.memoryBytes + vms.memoryBytes,
      pods: system.pods + vms.pods,
    };
  });
}
