import type { Event, ProcessGenerator } from '../../../sim/index.ts';
import type { Recorder } from '../../trace/recorder.ts';
import type { World } from '../../world/world.ts';
import type { NodeRef, NodeTarget, StepAction } from '../format/types.ts';
import { selectVms } from './conditions.ts';
import { ResolveError, resolveNode, resolveTarget } from './resolve.ts';
import { StepFailure } from './step-failure.ts';

/** Defaults of the runner's own actions (not cluster behaviour). */
export const actionDefaults = {
  /** Generating a support bundle. Source: unverified (a few minutes on a small cluster). */
  supportBundleSeconds: 120,
  /** How long an operator waits for the rancher pods to go before scaling the agent anyway. */
  rancherPodsGoneWaitSeconds: 120,
} as const;

export interface ActionContext {
  readonly world: World;
  readonly record: Recorder<'plan'>;
  readonly stepIndex: number;
  /** Nodes the step acted on, for its records. */
  readonly nodes: string[];
}

function requireApi(ctx: ActionContext, what: string): void {
  if (!ctx.world.apiAvailable())
    throw new StepFailure(`${what} needs the Kubernetes API, which is unavailable`);
}

function resolve(ctx: ActionContext, ref: NodeRef): string {
  return resolving(() => resolveNode(ctx.world, ref));
}

/** References of a step resolve together when it starts (docs/scenario-format.md). */
function resolveAll(ctx: ActionContext, target: NodeTarget): string[] {
  return resolving(() => resolveTarget(ctx.world, target));
}

function resolving<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof ResolveError) throw new StepFailure(error.message);
    throw error;
  }
}

/** Performs one step's action as a kernel process body. */
export function* perform(ctx: ActionContext, action: StepAction): ProcessGenerator<void> {
  const { world } = ctx;
  const sim = world.sim;
  switch (action.type) {
    case 'support-bundle':
      requireApi(ctx, 'a support bundle');
      yield sim.timeout(actionDefaults.supportBundleSeconds);
      return;
    case 'rancher.disconnect':
      requireApi(ctx, 'kubectl edit/scale deployment rancher');
      if (action.recordScaleAvailable) {
        ctx.record.emit('plan.recorded', { key: 'scale-available', value: world.rancher.annotation });
      }
      world.rancher.scaleDown(action);
      // KB: "Make sure the rancher-* pods are gone" before scaling the agent (bounded: the pods of a
      // deployment that was scaled back up never go).
      if (action.scaleRancherToZero) {
        const gone = world.rancher.podsGoneInSeconds();
        yield sim.timeout(Math.min(gone, actionDefaults.rancherPodsGoneWaitSeconds));
      }
      if (action.scaleClusterAgentToZero) world.rancher.scaleAgentDown();
      return;
    case 'rancher.remove-import':
      world.rancher.removeImport();
      return;
    case 'rancher.reconnect': {
      requireApi(ctx, 'kubectl scale deployment rancher');
      const problem = world.rancher.reconnect(action);
      if (problem !== null) throw new StepFailure(problem);
      return;
    }
    case 'vm.stop': {
      const vms = selectVms(world, action.vms);
      if (action.method !== 'guest') requireApi(ctx, 'virtctl stop');
      for (const vm of vms) world.fleet.stop(vm, action.method);
      return;
    }
    case 'vm.start':
      requireApi(ctx, 'virtctl start');
      for (const vm of selectVms(world, action.vms)) world.fleet.start(vm);
      return;
    case 'addon.disable':
    case 'addon.enable':
      requireApi(ctx, 'kubectl edit addons.harvesterhci.io');
      for (const addon of world.addons.select(action.addons))
        world.addons.setEnabled(addon, action.type === 'addon.enable');
      return;
    case 'wait-for':
      return; // the runner waits for `action.wait` like any other wait
    case 'etcd.move-leader':
      yield* moveLeader(ctx, action.to, action.method);
      return;
    case 'node.shutdown': {
      const waits: Event<void>[] = [];
      for (const node of resolveAll(ctx, action.nodes)) {
        ctx.nodes.push(node);
        const off = world.shutdown(node, action.mode);
        if (action.order === 'sequential' && action.waitEachDown) yield off;
        else waits.push(off);
      }
      if (action.waitEachDown) yield sim.allOf(waits);
      return;
    }
    case 'node.power-on': {
      for (const node of resolveAll(ctx, action.nodes)) {
        ctx.nodes.push(node);
        const running = world.powerOn(node);
        if (action.order === 'sequential') yield running;
      }
      return;
    }
    case 'offline':
    case 'sleep':
      yield sim.timeout(action.durationSeconds);
      return;
    case 'external.shutdown':
    case 'external.power-on':
      // Not modelled: recorded so the trace shows the order; `harvester-sim check` checks it.
      ctx.record.emit('plan.recorded', { key: action.type, value: action.system });
      return;
    case 'vm.migrate': {
      requireApi(ctx, 'virtctl migrate');
      const target = action.target === null ? null : resolve(ctx, action.target);
      if (target !== null) ctx.nodes.push(target);
      const done = world.migrations.migrate(selectVms(world, action.vms), target);
      yield sim.allOf(done);
      return;
    }
    case 'node.drain': {
      requireApi(ctx, 'kubectl drain');
      const node = resolve(ctx, action.node);
      ctx.nodes.push(node);
      const result = yield world.migrations.drain(node, {
        graceSeconds: action.graceSeconds ?? undefined,
        timeoutSeconds: action.timeoutSeconds,
      });
      if (result.refused !== undefined) throw new StepFailure(`kubectl drain ${node}: ${result.refused}`);
      if (!result.drained)
        throw new StepFailure(
          `kubectl drain ${node} timed out after ${action.timeoutSeconds} s: ${result.remaining
            .map((r: { vmi: string; action: string }) => `${r.vmi} (${r.action})`)
            .join(', ')}`,
        );
      return;
    }
    case 'node.maintenance': {
      requireApi(ctx, 'maintenance mode');
      const node = resolve(ctx, action.node);
      ctx.nodes.push(node);
      if (!action.enable) {
        world.migrations.disableMaintenance(node);
        return;
      }
      const result = yield world.migrations.enableMaintenance(node, action.force === true);
      if (result.outcome === 'blocked')
        throw new StepFailure(`maintenance of ${node} refused: ${result.message}`);
      if (result.outcome === 'gave-up') throw new StepFailure(`maintenance of ${node} did not complete`);
      return;
    }
  }
}

/**
 * `etcdctl move-leader` transfers leadership (controlplane.md §1). The KB's alternative, deleting the
 * etcd pod of the witness, deletes only the mirror of a static pod: etcd keeps running and keeps
 * leadership (controlplane.md §8 S1; kubernetes#18429, #79147).
 */
function* moveLeader(
  ctx: ActionContext,
  to: NodeRef | { kind: 'off-witness' },
  method: 'etcdctl' | 'delete-pod',
): ProcessGenerator<void> {
  const { world } = ctx;
  requireApi(ctx, 'kubectl exec etcdctl');
  const leader = world.etcd.leader();
  if (leader === null) throw new StepFailure('etcd has no leader');
  let target: string;
  if (to.kind === 'off-witness') {
    if (world.node(leader).role !== 'witness') return;
    const candidate = world.scenario.nodes.find((n) => n.role === 'management' && world.isRunning(n.name));
    if (candidate === undefined) throw new StepFailure('no running management node to take leadership');
    target = candidate.name;
  } else {
    target = resolve(ctx, to);
  }
  if (target === leader) return;
  ctx.nodes.push(target);
  if (method === 'delete-pod') {
    ctx.record.emit('plan.recorded', {
      key: 'etcd.delete-pod',
      value: `kubectl delete pod etcd-${leader}: the static pod keeps running; ${leader} stays leader`,
    });
    return;
  }
  const result = yield world.etcd.moveLeader(target);
  if (!result.ok) throw new StepFailure(`etcdctl move-leader to ${target} failed: ${result.reason}`);
}
