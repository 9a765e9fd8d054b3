/**
 * What a plan's selectors pick on a real cluster: VMs by the scenario (Rancher downstream machines
 * are known only from the scenario), addons by name or by their PVCs, node groups by role. The
 * same rules as the runner's (src/plan/runner/conditions.ts), applied to the scenario document.
 */
import type { AddonSelector, NodeGroup, VmSelector } from '../plan/format/types.ts';
import type { Scenario, VmRef } from '../scenario/types.ts';

export function selectVms(scenario: Scenario, selector: VmSelector): VmRef[] {
  const vms = scenario.vms.map((v) => ({ namespace: v.namespace, name: v.name, labels: v.labels }));
  if (selector.kind === 'all') return vms.map(({ namespace, name }) => ({ namespace, name }));
  const machines = new Set(
    scenario.rancher.downstreamClusters.flatMap((c) => c.machines.map((m) => `${m.namespace}/${m.name}`)),
  );
  return vms
    .filter((vm) => {
      if (
        selector.vms !== null &&
        !selector.vms.some((r) => r.namespace === vm.namespace && r.name === vm.name)
      )
        return false;
      if (selector.namespace !== null && vm.namespace !== selector.namespace) return false;
      for (const [key, value] of Object.entries(selector.labels)) if (vm.labels[key] !== value) return false;
      if (
        selector.downstreamMachines !== null &&
        machines.has(`${vm.namespace}/${vm.name}`) !== selector.downstreamMachines
      )
        return false;
      return true;
    })
    .map(({ namespace, name }) => ({ namespace, name }));
}

/** Addons a selector names (`all` = those enabled in the scenario). */
export function selectAddons(
  scenario: Scenario,
  selector: AddonSelector,
): { namespace: string; name: string }[] {
  const all = scenario.addons;
  const picked =
    selector.kind === 'all'
      ? all.filter((a) => a.enabled)
      : selector.kind === 'with-pvcs'
        ? all.filter((a) => a.pvcs.length > 0)
        : all.filter(
            (a) => selector.names.includes(`${a.namespace}/${a.name}`) || selector.names.includes(a.name),
          );
  return picked.map((a) => ({ namespace: a.namespace, name: a.name }));
}

export function groupNodes(scenario: Scenario, group: NodeGroup): string[] {
  return scenario.nodes
    .filter((n) => group === 'all' || (group === 'etcd' ? n.role !== 'worker' : n.role === group))
    .map((n) => n.name);
}
