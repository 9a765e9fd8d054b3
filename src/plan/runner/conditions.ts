import type { VmRef } from '../../scenario/types.ts';
import type { World } from '../../world/world.ts';
import type { Condition, VmSelector } from '../format/types.ts';
import { downstreamMachineKeys, vmMatches } from '../format/vm-selector.ts';
import { ResolveError, resolveNode, resolveTarget } from './resolve.ts';

/** What the runner can see of storage; the Longhorn model provides it once it is wired in. */
export interface StorageView {
  allVolumesDetached(): boolean;
  attachedVolumes(): string[];
}

/** VMs a selector picks, in scenario order. */
export function selectVms(world: World, selector: VmSelector): VmRef[] {
  const machines = downstreamMachineKeys(world.scenario);
  return world.scenario.vms.filter((vm) => vmMatches(vm, selector, machines));
}

/** Whether a condition holds now, and a short description of what was seen. */
export function observe(
  world: World,
  storage: StorageView | null,
  condition: Condition,
): { holds: boolean; seen: string } {
  try {
    return observeNow(world, storage, condition);
  } catch (error) {
    // A reference that names no node now (no leader, no follower up) means the condition is false.
    if (error instanceof ResolveError) return { holds: false, seen: error.message };
    throw error;
  }
}

function observeNow(
  world: World,
  storage: StorageView | null,
  condition: Condition,
): { holds: boolean; seen: string } {
  switch (condition.kind) {
    case 'no-vmis': {
      const count = world.fleet.vmiCount();
      return { holds: count === 0, seen: `${count} VMIs` };
    }
    case 'volumes-detached': {
      const attached = [...(storage?.attachedVolumes() ?? []), ...world.addons.attachedPvcs()];
      return {
        holds: attached.length === 0,
        seen: attached.length === 0 ? 'all detached' : `attached: ${attached.join(', ')}`,
      };
    }
    case 'nodes-ready': {
      const nodes = resolveTarget(world, condition.nodes);
      const notReady = nodes.filter(
        (n) => !(world.isRunning(n) && world.lifecycle.isReady(n) && world.apiAvailable()),
      );
      return {
        holds: notReady.length === 0,
        seen: notReady.length === 0 ? 'all Ready' : `not Ready: ${notReady.join(', ')}`,
      };
    }
    case 'nodes-down': {
      const nodes = resolveTarget(world, condition.nodes);
      const up = nodes.filter((n) => world.power.state(n) !== 'off');
      return { holds: up.length === 0, seen: up.length === 0 ? 'all off' : `still up: ${up.join(', ')}` };
    }
    case 'etcd-leader': {
      const leader = world.etcd.leader();
      if (leader === null) return { holds: false, seen: 'no leader' };
      if (condition.on !== null && leader !== resolveNode(world, condition.on))
        return { holds: false, seen: `leader ${leader}` };
      // "Not on the witness" holds trivially on a cluster without one.
      const noWitness =
        condition.notOn?.kind === 'witness' && !world.scenario.nodes.some((n) => n.role === 'witness');
      if (condition.notOn !== null && !noWitness && leader === resolveNode(world, condition.notOn))
        return { holds: false, seen: `leader ${leader}` };
      return { holds: true, seen: `leader ${leader}` };
    }
    case 'vip-bound': {
      const holder = world.vipHolder();
      return { holds: holder !== null, seen: holder === null ? 'VIP unbound' : `VIP on ${holder}` };
    }
    case 'vms-running': {
      // Only VMs meant to run count: a VM left Halted (and never started) is not waited for.
      const notRunning = selectVms(world, condition.vms).filter(
        (vm) => world.fleet.get(vm).wanted && !world.fleet.isRunning(vm),
      );
      return {
        holds: notRunning.length === 0,
        seen:
          notRunning.length === 0
            ? 'all Running'
            : `not Running: ${notRunning.map((v) => `${v.namespace}/${v.name}`).join(', ')}`,
      };
    }
    case 'system-pods-healthy':
      return {
        holds: world.systemPodsHealthy(),
        seen: world.systemPodsHealthy() ? 'healthy' : 'deployments not ready',
      };
    case 'steps-done':
      // Background steps are the runner's own state: it answers this condition before calling here.
      return { holds: false, seen: `steps ${condition.steps.join(', ')}: only the plan runner knows` };
    case 'addons-settled': {
      const wanted = condition.enabled ? 'AddonDeploySuccessful' : 'AddonDisabled';
      const pending = world.addons.select(condition.addons).filter((a) => a.status !== wanted);
      return {
        holds: pending.length === 0,
        seen: pending.length === 0 ? wanted : `pending: ${pending.map((a) => a.key).join(', ')}`,
      };
    }
  }
}

export function describeCondition(condition: Condition): string {
  return condition.kind;
}
