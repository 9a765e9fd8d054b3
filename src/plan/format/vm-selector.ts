/** Which VMs a `VmSelector` picks: one rule for the runner and for `harvester-sim check`. */
import type { Scenario, ScenarioVm } from '../../scenario/types.ts';
import type { VmSelector } from './types.ts';

/** `namespace/name` of every machine VM of a Rancher downstream cluster. */
export function downstreamMachineKeys(scenario: Scenario): Set<string> {
  return new Set(
    scenario.rancher.downstreamClusters.flatMap((c) => c.machines.map((m) => `${m.namespace}/${m.name}`)),
  );
}

/** Whether the selector picks the VM; every given criterion must hold. */
export function vmMatches(vm: ScenarioVm, selector: VmSelector, machines: ReadonlySet<string>): boolean {
  if (selector.kind === 'all') return true;
  if (selector.vms !== null && !selector.vms.some((r) => r.namespace === vm.namespace && r.name === vm.name))
    return false;
  if (selector.namespace !== null && vm.namespace !== selector.namespace) return false;
  for (const [key, value] of Object.entries(selector.labels)) if (vm.labels[key] !== value) return false;
  return (
    selector.downstreamMachines === null ||
    machines.has(`${vm.namespace}/${vm.name}`) === selector.downstreamMachines
  );
}
