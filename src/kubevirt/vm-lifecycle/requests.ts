import type { PodRequest } from '../../kube/scheduler.ts';
import type { HarvesterSettings } from '../../profiles/types.ts';
import type { ScenarioVm } from '../../scenario/types.ts';

/**
 * What a VM's launcher pod requests: Harvester sets requests = limits × 100 / overcommit percent
 * (`overcommit-config`, harvester/harvester:pkg/webhook/resources/virtualmachine mutator).
 */
export function vmPodRequest(vm: ScenarioVm, settings: HarvesterSettings): PodRequest {
  return {
    cpuMillicores: (vm.cpuCores * 1000 * 100) / settings.overcommitConfig.cpuPercent,
    memoryBytes: (vm.memoryBytes * 100) / settings.overcommitConfig.memoryPercent,
  };
}
