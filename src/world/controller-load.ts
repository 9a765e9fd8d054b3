import type { NodeCapacity } from '../kube/scheduler.ts';
import type { SystemWorkloads } from '../kube/workloads.ts';
import type { Scenario } from '../scenario/types.ts';
import type { Recorder } from '../trace/recorder.ts';

/**
 * One `controllers.load` record per running node: pods and CPU requested against allocatable, and
 * on management nodes their share of the controllers' retries of failing VMIs (client-go workqueue).
 */
export function sampleControllerLoad(
  record: Recorder<'kube'>,
  input: {
    readonly scenario: Scenario;
    readonly workloads: SystemWorkloads;
    readonly nowSeconds: number;
    readonly sampleSeconds: number;
    readonly apiUp: boolean;
    /** When each failing VMI began failing. */
    readonly failingSinceSeconds: readonly number[];
    readonly capacities: readonly NodeCapacity[];
    isRunning(node: string): boolean;
  },
): void {
  if (!record.enabled) return;
  const { scenario, nowSeconds } = input;
  const perMinute = input.apiUp
    ? input.workloads.reconcileAttemptsPerMinute(nowSeconds, input.sampleSeconds, input.failingSinceSeconds)
    : 0;
  const roles = new Map(scenario.nodes.map((n) => [n.name, n.role]));
  const managers = scenario.nodes.filter((n) => n.role === 'management' && input.isRunning(n.name)).length;
  for (const capacity of input.capacities) {
    if (!input.isRunning(capacity.name)) continue;
    const isManager = roles.get(capacity.name) === 'management';
    record.emit('controllers.load', {
      node: capacity.name,
      pods: capacity.pods,
      cpuRequestedMillicores: capacity.cpuRequestedMillicores,
      cpuAllocatableMillicores: capacity.cpuAllocatableMillicores,
      reconcileAttemptsPerMinute: isManager && managers > 0 ? perMinute / managers : 0,
      memoryRequestedBytes: capacity.memoryRequestedBytes,
      memoryAllocatableBytes: capacity.memoryAllocatableBytes,
      podsAllocatable: capacity.podsAllocatable,
    });
  }
}
