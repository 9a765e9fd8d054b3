/**
 * A plan walked without running it: which nodes are on, which may lead etcd, which VMs run, what
 * Rancher and the addons are doing, after each step, from the plan and the scenario alone. Where the
 * plan leaves a choice to run time (`@etcd-leader` before any move-leader), the state keeps every
 * candidate, so a rule can say "may".
 */
import type { Condition, NodeRef, NodeTarget, Plan, PlanStep, VmSelector } from '../plan/format/types.ts';
import { downstreamMachineKeys, vmMatches } from '../plan/format/vm-selector.ts';
import type { Scenario, ScenarioNode } from '../scenario/types.ts';

export interface RancherView {
  /** rancher and cattle-cluster-agent scaled to 0 with scale-available cleared: Rancher Manager cannot act. */
  readonly disconnected: boolean;
  readonly importRemoved: boolean;
  readonly scaleAvailableRecorded: boolean;
}

export interface StaticState {
  /** Nodes powered on (or booting). */
  readonly on: ReadonlySet<string>;
  /** Nodes that may lead etcd. */
  readonly leader: ReadonlySet<string>;
  /** Nodes that may be the last one shut down (empty before any shutdown). */
  readonly lastShutDown: ReadonlySet<string>;
  /** VMs (`namespace/name`) that may be running. */
  readonly runningVms: ReadonlySet<string>;
  readonly rancher: RancherView;
  readonly addonsEnabled: ReadonlySet<string>;
  readonly maintenance: ReadonlySet<string>;
  readonly supportBundles: number;
  /** A `volumes-detached` check has passed since the VMs last ran. */
  readonly volumesDetachedChecked: boolean;
  /** Seconds each powered-off node has been off, counting `offline` and `sleep` steps. */
  readonly offSeconds: ReadonlyMap<string, number>;
  /** Every etcd member has been off since the last time one of them was powered on. */
  readonly etcdAllOff: boolean;
  /** External systems (scenario `infrastructure.externalSystems`) shut down by the plan and not yet back. */
  readonly externalOff: ReadonlySet<string>;
}

export interface StepView {
  readonly step: PlanStep;
  readonly before: StaticState;
  readonly after: StaticState;
  /** Nodes a node.shutdown or node.power-on acts on, in order (representatives where uncertain). */
  readonly nodes: readonly string[];
  /** Candidates for the first node a node.power-on starts (all of them with `parallel`). */
  readonly firstCandidates: ReadonlySet<string>;
  /** VMs a vm.* step selects. */
  readonly vms: readonly string[];
}

export interface StaticRun {
  readonly scenario: Scenario;
  readonly plan: Plan;
  readonly initial: StaticState;
  readonly views: readonly StepView[];
  readonly etcdMembers: readonly ScenarioNode[];
  readonly quorumSize: number;
  readonly machines: ReadonlySet<string>;
}

export const vmKey = (vm: { namespace: string; name: string }) => `${vm.namespace}/${vm.name}`;

/** VMs a selector picks (the runner's rule, src/plan/format/vm-selector.ts), as `namespace/name`. */
export function selectVmKeys(
  scenario: Scenario,
  machines: ReadonlySet<string>,
  selector: VmSelector,
): string[] {
  return scenario.vms.filter((vm) => vmMatches(vm, selector, machines)).map(vmKey);
}

/** Addons a selector picks (as `AddonsModel.select`), by name. */
function selectAddons(scenario: Scenario, step: PlanStep): string[] {
  const action = step.action;
  if (action.type !== 'addon.disable' && action.type !== 'addon.enable') return [];
  const selector = action.addons;
  return scenario.addons
    .filter((a) => {
      if (selector.kind === 'all') return true;
      if (selector.kind === 'with-pvcs') return a.pvcs.length > 0;
      return selector.names.includes(a.name) || selector.names.includes(`${a.namespace}/${a.name}`);
    })
    .map((a) => a.name);
}

interface Resolved {
  readonly nodes: string[];
  /** Candidates per position. */
  readonly positions: Set<string>[];
}

function groupNodes(scenario: Scenario, target: NodeTarget & { kind: 'group' }): string[] {
  const group = target.group;
  return scenario.nodes
    .filter((n) => group === 'all' || (group === 'etcd' ? n.role !== 'worker' : n.role === group))
    .map((n) => n.name);
}

/** Resolves a target as the runner would at the step's start, keeping candidates where the plan leaves them open. */
function resolve(
  run: Omit<StaticRun, 'views' | 'initial'>,
  state: StaticState,
  target: NodeTarget,
): Resolved {
  if (target.kind === 'group') {
    const nodes = groupNodes(run.scenario, target);
    return { nodes, positions: nodes.map((n) => new Set([n])) };
  }
  const members = run.etcdMembers.map((n) => n.name);
  const taken = new Set<string>();
  const positions = target.nodes.map((ref) => {
    const candidates = refCandidates(run.scenario, members, state, ref, taken);
    if (candidates.size === 1) taken.add([...candidates][0]);
    return candidates;
  });
  // Several open references that together can only be one set (followers + leader = every running
  // member) still name a known set of nodes.
  const union = new Set(positions.flatMap((p) => [...p]));
  const nodes: string[] = [];
  if (union.size === positions.length) {
    const order = run.scenario.nodes.map((n) => n.name).filter((n) => union.has(n));
    const fixed = positions.map((p) => (p.size === 1 ? [...p][0] : null));
    const free = order.filter((n) => !fixed.includes(n));
    for (const f of fixed) nodes.push(f ?? (free.shift() as string));
  } else {
    for (const p of positions) {
      const pick = [...p].find((n) => !nodes.includes(n)) ?? [...p][0];
      if (pick !== undefined) nodes.push(pick);
    }
  }
  return { nodes, positions };
}

function refCandidates(
  scenario: Scenario,
  members: readonly string[],
  state: StaticState,
  ref: NodeRef,
  taken: ReadonlySet<string>,
): Set<string> {
  switch (ref.kind) {
    case 'name':
      return new Set([ref.name]);
    case 'witness':
      return new Set(scenario.nodes.filter((n) => n.role === 'witness').map((n) => n.name));
    case 'last-shut-down':
      return new Set(state.lastShutDown);
    case 'etcd-leader':
      return new Set([...state.leader].filter((n) => !taken.has(n)));
    case 'etcd-follower': {
      const open = members.filter((n) => !taken.has(n) && state.on.has(n));
      if (state.leader.size === 1) {
        const first = open.find((n) => !state.leader.has(n));
        return new Set(first === undefined ? [] : [first]);
      }
      return new Set(open);
    }
  }
}

function conditionNarrowsLeader(
  run: Omit<StaticRun, 'views' | 'initial'>,
  state: StaticState,
  condition: Condition,
) {
  if (condition.kind !== 'etcd-leader') return state.leader;
  const witness = run.scenario.nodes.filter((n) => n.role === 'witness').map((n) => n.name);
  const named = (ref: NodeRef | null) => {
    if (ref === null) return null;
    if (ref.kind === 'name') return [ref.name];
    if (ref.kind === 'witness') return witness;
    return null;
  };
  const on = named(condition.on);
  const notOn = named(condition.notOn);
  let leader = [...state.leader];
  if (on !== null) leader = leader.filter((n) => on.includes(n));
  if (notOn !== null) leader = leader.filter((n) => !notOn.includes(n));
  // A wait that cannot hold fails the run; the rules report it, the state keeps going.
  return leader.length === 0 ? state.leader : new Set(leader);
}

/** Walks the plan step by step. */
export function staticRun(scenario: Scenario, plan: Plan): StaticRun {
  const etcdMembers = scenario.nodes.filter((n) => n.role !== 'worker');
  const machines = downstreamMachineKeys(scenario);
  const base = {
    scenario,
    plan,
    etcdMembers,
    quorumSize: Math.floor(etcdMembers.length / 2) + 1,
    machines,
  };
  const initial: StaticState = {
    on: new Set(scenario.nodes.map((n) => n.name)),
    leader: new Set(etcdMembers.map((n) => n.name)),
    lastShutDown: new Set(),
    runningVms: new Set(scenario.vms.filter((vm) => vm.runStrategy !== 'Halted').map(vmKey)),
    rancher: {
      disconnected: !scenario.rancher.importedIntoRancherManager,
      importRemoved: false,
      scaleAvailableRecorded: false,
    },
    addonsEnabled: new Set(scenario.addons.filter((a) => a.enabled).map((a) => a.name)),
    maintenance: new Set(),
    supportBundles: 0,
    volumesDetachedChecked: false,
    offSeconds: new Map(),
    etcdAllOff: false,
    externalOff: new Set(),
  };
  const views: StepView[] = [];
  let state = initial;
  for (const step of plan.steps) {
    const view = apply(base, state, step);
    views.push(view);
    state = view.after;
  }
  return { ...base, initial, views };
}

function apply(run: Omit<StaticRun, 'views' | 'initial'>, before: StaticState, step: PlanStep): StepView {
  const { scenario } = run;
  const action = step.action;
  const on = new Set(before.on);
  let leader = new Set(before.leader);
  let lastShutDown = new Set(before.lastShutDown);
  const runningVms = new Set(before.runningVms);
  let rancher = before.rancher;
  const addonsEnabled = new Set(before.addonsEnabled);
  const maintenance = new Set(before.maintenance);
  let supportBundles = before.supportBundles;
  let volumesDetachedChecked = before.volumesDetachedChecked;
  const offSeconds = new Map(before.offSeconds);
  let etcdAllOff = before.etcdAllOff;
  const externalOff = new Set(before.externalOff);
  let nodes: string[] = [];
  let firstCandidates = new Set<string>();
  let vms: string[] = [];
  const members = run.etcdMembers.map((n) => n.name);
  const hasQuorum = (set: ReadonlySet<string>) => members.filter((n) => set.has(n)).length >= run.quorumSize;

  switch (action.type) {
    case 'support-bundle':
      supportBundles++;
      break;
    case 'rancher.disconnect':
      rancher = {
        ...rancher,
        disconnected:
          rancher.disconnected ||
          (action.clearScaleAvailable && action.scaleRancherToZero && action.scaleClusterAgentToZero),
        scaleAvailableRecorded: rancher.scaleAvailableRecorded || action.recordScaleAvailable,
      };
      break;
    case 'rancher.remove-import':
      rancher = { ...rancher, importRemoved: true, disconnected: true };
      break;
    case 'rancher.reconnect':
      rancher = {
        ...rancher,
        disconnected: !scenario.rancher.importedIntoRancherManager || rancher.importRemoved,
      };
      break;
    case 'vm.stop':
      vms = selectVmKeys(scenario, run.machines, action.vms);
      for (const vm of vms) runningVms.delete(vm);
      break;
    case 'vm.start':
      vms = selectVmKeys(scenario, run.machines, action.vms);
      for (const vm of vms) runningVms.add(vm);
      volumesDetachedChecked = false;
      break;
    case 'vm.migrate':
      vms = selectVmKeys(scenario, run.machines, action.vms);
      break;
    case 'addon.disable':
    case 'addon.enable':
      for (const name of selectAddons(scenario, step)) {
        if (action.type === 'addon.enable') addonsEnabled.add(name);
        else addonsEnabled.delete(name);
      }
      break;
    case 'etcd.move-leader': {
      if (action.method === 'delete-pod') break; // the static pod keeps running (kubernetes#18429, #79147)
      if (action.to.kind === 'off-witness') {
        const off = [...leader].filter((n) => scenario.nodes.find((s) => s.name === n)?.role !== 'witness');
        const management = scenario.nodes.find((n) => n.role === 'management' && on.has(n.name));
        leader = new Set(off.length > 0 ? off : management === undefined ? [] : [management.name]);
      } else {
        const target = refCandidates(scenario, members, before, action.to, new Set());
        if (target.size > 0) leader = target;
      }
      break;
    }
    case 'node.shutdown': {
      const resolved = resolve(run, before, action.nodes);
      nodes = resolved.nodes;
      for (const n of nodes) on.delete(n);
      const last =
        action.order === 'parallel' ? new Set(nodes) : (resolved.positions.at(-1) ?? new Set<string>());
      if (nodes.length > 0) lastShutDown = new Set([...last].filter((n) => !on.has(n)));
      for (const n of nodes) offSeconds.set(n, offSeconds.get(n) ?? 0);
      // A leader stopped gracefully hands leadership to another running voter while quorum holds
      // (controlplane.md §1, etcd server.go TransferLeadership); without quorum the last leader is kept.
      if (hasQuorum(on) && [...leader].some((n) => !on.has(n))) {
        const stays = [...leader].filter((n) => on.has(n));
        leader = new Set(stays.length > 0 ? stays : members.filter((n) => on.has(n)));
      }
      if (members.every((n) => !on.has(n))) etcdAllOff = true;
      break;
    }
    case 'node.power-on': {
      const resolved = resolve(run, before, action.nodes);
      nodes = resolved.nodes.filter((n) => !before.on.has(n));
      const positions = resolved.positions.filter((p) => [...p].some((n) => !before.on.has(n)));
      firstCandidates = action.order === 'parallel' ? new Set(nodes) : new Set(positions[0] ?? []);
      for (const n of nodes) {
        on.add(n);
        offSeconds.delete(n);
      }
      if (members.some((n) => on.has(n))) etcdAllOff = false;
      // Quorum formed again: a new election, which any running member may win.
      if (!hasQuorum(before.on) && hasQuorum(on)) leader = new Set(members.filter((n) => on.has(n)));
      break;
    }
    case 'node.maintenance': {
      const target = refCandidates(scenario, members, before, action.node, new Set());
      nodes = [...target];
      for (const n of target) {
        if (action.enable) maintenance.add(n);
        else maintenance.delete(n);
      }
      break;
    }
    case 'offline':
    case 'sleep':
      for (const [n, seconds] of offSeconds) offSeconds.set(n, seconds + action.durationSeconds);
      break;
    case 'wait-for':
      break;
    case 'external.shutdown':
      externalOff.add(action.system);
      break;
    case 'external.power-on':
      externalOff.delete(action.system);
      break;
  }
  const waits = action.type === 'wait-for' ? [action.wait, ...step.waits] : step.waits;
  let after: StaticState = {
    on,
    leader,
    lastShutDown,
    runningVms,
    rancher,
    addonsEnabled,
    maintenance,
    supportBundles,
    volumesDetachedChecked,
    offSeconds,
    etcdAllOff,
    externalOff,
  };
  for (const wait of waits) {
    if (wait.condition.kind === 'volumes-detached') volumesDetachedChecked = true;
    after = { ...after, leader: conditionNarrowsLeader(run, after, wait.condition), volumesDetachedChecked };
  }
  return { step, before, after, nodes, firstCandidates, vms };
}
