/**
 * The plan's fault schedule (`faults:`), run beside the steps: each fault waits for its time (from
 * the plan's start, or from a step's start) and strikes whatever is running then, so "a node fails
 * during post-copy" or "the rebuild source dies mid-rebuild" can be written as data.
 */
import type { Event, ProcessGenerator } from '../../../sim/index.ts';
import type { NetworkName } from '../../cluster/fabric.ts';
import type { Recorder } from '../../trace/recorder.ts';
import type { World } from '../../world/world.ts';
import type { FaultAction, PlanFault } from '../format/types.ts';
import { ResolveError, resolveNode } from './resolve.ts';

/** Starts one kernel process per fault. `stepStarted(id)` is an event that succeeds when that step starts. */
export function scheduleFaults(
  world: World,
  record: Recorder<'plan'>,
  faults: readonly PlanFault[],
  stepStarted: (id: string) => Event<void>,
): void {
  for (const fault of faults) {
    world.sim.process(
      runFault(world, record, fault, stepStarted),
      `fault ${fault.index} ${fault.action.type}`,
    );
  }
}

function* runFault(
  world: World,
  record: Recorder<'plan'>,
  fault: PlanFault,
  stepStarted: (id: string) => Event<void>,
): ProcessGenerator<void> {
  const sim = world.sim;
  if (fault.at.kind === 'step') {
    yield stepStarted(fault.at.step);
    if (fault.at.afterSeconds > 0) yield sim.timeout(fault.at.afterSeconds);
  } else if (fault.at.seconds > 0) {
    yield sim.timeout(fault.at.seconds);
  }
  let node: string;
  let others: string[] = [];
  try {
    node = resolveNode(world, fault.action.node);
    if (fault.action.type === 'node.network-partition')
      others = fault.action.with.map((ref) => resolveNode(world, ref));
  } catch (error) {
    if (!(error instanceof ResolveError)) throw error;
    record.emit('fault.injected', {
      index: fault.index,
      type: fault.action.type,
      node: '',
      applied: false,
      detail: error.message,
    });
    return;
  }
  if (fault.action.type === 'node.network-partition') {
    yield* partition(world, record, fault.index, [node, ...others], fault.action.durationSeconds);
    return;
  }
  const { applied, detail } = strike(world, fault.action, node);
  record.emit('fault.injected', { index: fault.index, type: fault.action.type, node, applied, detail });
  if (applied && fault.action.type === 'link.degrade' && fault.action.durationSeconds !== null) {
    yield sim.timeout(fault.action.durationSeconds);
    world.fabric.setNodeBandwidth(node, fault.action.network, null);
    record.emit('fault.injected', {
      index: fault.index,
      type: 'link.restore',
      node,
      applied: true,
      detail: `${fault.action.network} link back to its capacity`,
    });
  }
}

/** Cuts `nodes` off from the rest (power stays on), and heals the cut after `durationSeconds`. */
function* partition(
  world: World,
  record: Recorder<'plan'>,
  index: number,
  nodes: readonly string[],
  durationSeconds: number | null,
): ProcessGenerator<void> {
  const type = 'node.network-partition';
  const side = [...new Set(nodes)];
  const node = side.join(',');
  const already = side.find((n) => world.fabric.isCutOff(n));
  const refused =
    side.length !== nodes.length
      ? 'a node is named twice'
      : side.length >= world.scenario.nodes.length
        ? 'no node would be left on the other side'
        : already !== undefined
          ? `${already} is already partitioned`
          : null;
  if (refused !== null) {
    record.emit('fault.injected', { index, type, node, applied: false, detail: refused });
    return;
  }
  const id = world.partition(side);
  record.emit('fault.injected', {
    index,
    type,
    node,
    applied: true,
    detail: `${node} cut off from the other nodes on the management network${durationSeconds === null ? '' : ` for ${durationSeconds} s`}`,
  });
  if (durationSeconds === null) return;
  yield world.sim.timeout(durationSeconds);
  world.healPartition(id);
  record.emit('fault.injected', {
    index,
    type: 'network.heal',
    node,
    applied: true,
    detail: `${node} reach the other nodes again`,
  });
}

function strike(world: World, action: FaultAction, node: string): { applied: boolean; detail: string } {
  const state = world.power.state(node);
  switch (action.type) {
    case 'node.power-loss':
    case 'node.shutdown':
      if (state === 'off') return { applied: false, detail: `${node} is already off` };
      world.shutdown(node, action.type === 'node.power-loss' ? 'power-loss' : 'graceful');
      return { applied: true, detail: `${node} was ${state}` };
    case 'node.power-on':
      if (state !== 'off') return { applied: false, detail: `${node} is ${state}` };
      world.powerOn(node);
      return { applied: true, detail: `${node} powering on` };
    case 'node.network-partition':
      throw new Error('a partition is run by partition()');
    case 'link.degrade': {
      const network: NetworkName = action.network;
      const applied = world.fabric.setNodeBandwidth(node, network, action.bandwidthBytesPerSecond);
      return applied
        ? {
            applied: true,
            detail: `${network} link of ${node} at ${action.bandwidthBytesPerSecond} B/s${action.durationSeconds === null ? '' : ` for ${action.durationSeconds} s`}`,
          }
        : { applied: false, detail: `the scenario has no ${network} network of its own` };
    }
  }
}
