import type { World } from '../../world/world.ts';
import type { NodeRef, NodeTarget } from '../format/types.ts';

/** A reference the runner could not resolve: a failed step. */
export class ResolveError extends Error {}

/**
 * Resolves a run-time node choice against the world as it is now. `etcd-follower` is the first
 * running etcd member (scenario order) that is not the leader, so two of them in a sequential
 * shutdown name two different nodes. `etcd-leader` is the leader now, or the last leader seen.
 */
export function resolveNode(world: World, ref: NodeRef, taken: ReadonlySet<string> = new Set()): string {
  switch (ref.kind) {
    case 'name':
      world.node(ref.name);
      return ref.name;
    case 'witness': {
      const witness = world.scenario.nodes.find((n) => n.role === 'witness');
      if (witness === undefined) throw new ResolveError('the scenario has no witness node');
      return witness.name;
    }
    case 'etcd-leader': {
      // Without quorum the leader steps down (check-quorum); the operator shuts down the node they
      // wrote down as leader (KB shutdown step 5d), i.e. the last leader seen.
      const leader = world.lastKnownLeader();
      if (leader === null) throw new ResolveError('etcd has had no leader in this run');
      return leader;
    }
    case 'etcd-follower': {
      const leader = world.lastKnownLeader();
      const follower = world.scenario.nodes.find(
        (n) =>
          n.role !== 'worker' &&
          n.name !== leader &&
          !taken.has(n.name) &&
          world.power.state(n.name) !== 'off',
      );
      if (follower === undefined) throw new ResolveError('no running etcd follower');
      return follower.name;
    }
    case 'last-shut-down': {
      const last = world.powerOffOrder.at(-1);
      if (last === undefined) throw new ResolveError('no node has been shut down in this run');
      return last;
    }
  }
}

/** The nodes of a target, in order; references are resolved one at a time by the caller when sequential. */
export function targetRefs(world: World, target: NodeTarget): NodeRef[] {
  if (target.kind === 'nodes') return [...target.nodes];
  const group = target.group;
  return world.scenario.nodes
    .filter((n) => group === 'all' || (group === 'etcd' ? n.role !== 'worker' : n.role === group))
    .map((n) => ({ kind: 'name', name: n.name }) as const);
}

/** Resolves every reference of a target at once; repeated `@etcd-follower`s name different nodes. */
export function resolveTarget(world: World, target: NodeTarget): string[] {
  const taken = new Set<string>();
  return targetRefs(world, target).map((ref) => {
    const node = resolveNode(world, ref, taken);
    taken.add(node);
    return node;
  });
}
