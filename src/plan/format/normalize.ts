/** From the validated plan document to the typed Plan; collects the issues zod cannot phrase well. */
import { PLAN_STEP_TIMEOUTS } from '../../profiles/plan-step-timeouts.ts';
import type { DocumentPath } from '../../scenario/document-error.ts';
import { parseNodeRef } from './node-ref.ts';
import type { PlanDocument, StepDocument, VmSelectorDocument } from './schema.ts';
import type {
  AddonSelector,
  Condition,
  ConditionKind,
  FaultTime,
  NodeTarget,
  Plan,
  PlanFault,
  PlanStep,
  StepAction,
  VmSelector,
  Wait,
} from './types.ts';

export type Fail = (path: DocumentPath, expected: string, found?: string) => void;

/** Default poll interval of waits. [inf] The KB's checks are manual; 5 s keeps traces small. */
export const defaultPollSeconds = 5;

interface TargetFields {
  readonly node?: string;
  readonly nodes?: readonly string[];
  readonly group?: 'management' | 'worker' | 'witness' | 'etcd' | 'all';
}

/** Exactly one of node / nodes / group, or the fallback when none is given and a fallback exists. */
function nodeTarget(
  fields: TargetFields,
  path: DocumentPath,
  fail: Fail,
  fallback: NodeTarget | null,
): NodeTarget {
  const given = (['node', 'nodes', 'group'] as const).filter((key) => fields[key] !== undefined);
  if (given.length > 1) {
    fail([...path, given[1]], `only one of node, nodes or group (${given[0]} is already given)`);
  }
  if (fields.node !== undefined) return { kind: 'nodes', nodes: [parseNodeRef(fields.node)] };
  if (fields.nodes !== undefined) return { kind: 'nodes', nodes: fields.nodes.map(parseNodeRef) };
  if (fields.group !== undefined) return { kind: 'group', group: fields.group };
  if (fallback !== null) return fallback;
  fail(path, 'one of the fields node, nodes or group', 'none of them');
  return { kind: 'group', group: 'all' };
}

function vmSelector(input: VmSelectorDocument | undefined): VmSelector {
  if (input === undefined || input === 'all') return { kind: 'all' };
  return {
    kind: 'match',
    vms:
      input.names?.map((reference) => {
        const [namespace, name] = reference.split('/');
        return { namespace, name };
      }) ?? null,
    namespace: input.namespace ?? null,
    labels: input.labels ?? {},
    downstreamMachines: input.downstreamMachines ?? null,
  };
}

function addonSelector(input: 'all' | 'with-pvcs' | string[]): AddonSelector {
  if (input === 'all') return { kind: 'all' };
  if (input === 'with-pvcs') return { kind: 'with-pvcs' };
  return { kind: 'names', names: input };
}

type ConditionDocument = PlanDocument['steps'][number]['preconditions'][number];

/** Which optional fields each condition takes. */
const conditionParameters: Readonly<Record<ConditionKind, readonly string[]>> = {
  'no-vmis': [],
  'volumes-detached': [],
  'nodes-ready': ['node', 'nodes', 'group'],
  'nodes-down': ['node', 'nodes', 'group'],
  'etcd-leader': ['on', 'notOn'],
  'vip-bound': [],
  'vms-running': ['vms'],
  'system-pods-healthy': [],
  'addons-settled': ['addons', 'enabled'],
  'steps-done': ['steps'],
};
const conditionParameterKeys = [
  'node',
  'nodes',
  'group',
  'on',
  'notOn',
  'vms',
  'addons',
  'enabled',
  'steps',
] as const;

function condition(input: ConditionDocument, path: DocumentPath, fail: Fail): Condition {
  const allowed = conditionParameters[input.condition];
  for (const key of conditionParameterKeys) {
    if (input[key] !== undefined && !allowed.includes(key)) {
      const accepted = allowed.length === 0 ? 'no parameters' : `only ${allowed.join(', ')}`;
      fail([...path, key], `${accepted} for condition "${input.condition}"`, `field ${JSON.stringify(key)}`);
    }
  }
  switch (input.condition) {
    case 'nodes-ready':
    case 'nodes-down':
      return { kind: input.condition, nodes: nodeTarget(input, path, fail, { kind: 'group', group: 'all' }) };
    case 'etcd-leader':
      return {
        kind: 'etcd-leader',
        on: input.on === undefined ? null : parseNodeRef(input.on),
        notOn: input.notOn === undefined ? null : parseNodeRef(input.notOn),
      };
    case 'vms-running':
      return { kind: 'vms-running', vms: vmSelector(input.vms) };
    case 'addons-settled':
      if (input.addons === undefined)
        fail([...path, 'addons'], '"all", "with-pvcs" or a list of addon names');
      return {
        kind: 'addons-settled',
        addons: addonSelector(input.addons ?? 'all'),
        enabled: input.enabled ?? false,
      };
    case 'steps-done':
      if (input.steps === undefined) fail([...path, 'steps'], 'the ids of the background steps to wait for');
      return { kind: 'steps-done', steps: input.steps ?? [] };
    default:
      return { kind: input.condition };
  }
}

type WaitDocument = ConditionDocument & { timeout: number; poll?: number };

function wait(input: WaitDocument, path: DocumentPath, fail: Fail): Wait {
  if (input.timeout <= 0) fail([...path, 'timeout'], 'a timeout above 0 s: every wait has a limit');
  if (input.poll !== undefined && input.poll <= 0) fail([...path, 'poll'], 'a poll interval above 0 s');
  return {
    condition: condition(input, path, fail),
    timeoutSeconds: input.timeout,
    pollSeconds: input.poll ?? defaultPollSeconds,
  };
}

function action(input: StepDocument, path: DocumentPath, fail: Fail): StepAction {
  switch (input.step) {
    case 'support-bundle':
      return { type: input.step, extraNamespaces: input.extraNamespaces };
    case 'rancher.remove-import':
      return { type: input.step };
    case 'rancher.disconnect':
      return {
        type: input.step,
        recordScaleAvailable: input.recordScaleAvailable,
        clearScaleAvailable: input.clearScaleAvailable,
        scaleRancherToZero: input.scaleRancherToZero,
        scaleClusterAgentToZero: input.scaleClusterAgentToZero,
        forceDeleteStuckPods: input.forceDeleteStuckPods,
      };
    case 'rancher.reconnect':
      return {
        type: input.step,
        scaleAvailable: input.scaleAvailable,
        rancherReplicas: input.rancherReplicas,
      };
    case 'vm.stop':
      return { type: input.step, vms: vmSelector(input.vms), method: input.method };
    case 'vm.start':
      return { type: input.step, vms: vmSelector(input.vms) };
    case 'vm.migrate':
      return {
        type: input.step,
        vms: vmSelector(input.vms),
        target: input.target === undefined ? null : parseNodeRef(input.target),
      };
    case 'addon.disable':
    case 'addon.enable':
      return { type: input.step, addons: addonSelector(input.addons) };
    case 'wait-for':
      return { type: input.step, wait: wait(input, path, fail) };
    case 'etcd.move-leader':
      return {
        type: input.step,
        to: input.to === 'off-witness' ? { kind: 'off-witness' } : parseNodeRef(input.to),
        method: input.method,
      };
    case 'node.shutdown':
      return {
        type: input.step,
        nodes: nodeTarget(input, path, fail, null),
        mode: input.mode,
        order: input.order,
        waitEachDown: input.waitEachDown,
      };
    case 'node.power-on':
      return { type: input.step, nodes: nodeTarget(input, path, fail, null), order: input.order };
    case 'node.maintenance':
      if (input.force && input.action !== 'enable')
        fail([...path, 'force'], 'force only with action: enable', 'force: true');
      return {
        type: input.step,
        node: parseNodeRef(input.node),
        enable: input.action === 'enable',
        ...(input.force ? { force: true } : {}),
      };
    case 'node.drain':
      return {
        type: input.step,
        node: parseNodeRef(input.node),
        // kubectl drain's --grace-period=-1 default: each pod's own terminationGracePeriodSeconds.
        graceSeconds: input.gracePeriod ?? null,
        timeoutSeconds: input.timeout,
      };
    case 'offline':
    case 'sleep':
      return { type: input.step, durationSeconds: input.duration };
    case 'external.shutdown':
    case 'external.power-on':
      return { type: input.step, system: input.system };
  }
}

export function normalizePlan(document: PlanDocument, fileName: string, fail: Fail): Plan {
  const ids = new Map<string, number>();
  const steps: PlanStep[] = document.steps.map((input, index) => {
    const path = ['steps', index];
    const id = input.id ?? `${index}-${input.step}`;
    const earlier = ids.get(id);
    if (earlier !== undefined)
      fail([...path, 'id'], `a step id not already used by steps[${earlier}]`, JSON.stringify(id));
    else ids.set(id, index);
    return {
      index,
      id,
      note: input.note ?? '',
      action: action(input, path, fail),
      preconditions: input.preconditions.map((item, i) =>
        condition(item, [...path, 'preconditions', i], fail),
      ),
      waits: input.waitFor.map((item, i) => wait(item, [...path, 'waitFor', i], fail)),
      ...(input.background ? { background: true } : {}),
      timeoutSeconds: stepTimeout(input),
      ...(timeoutPerNode(input) ? { timeoutPerNode: true } : {}),
    };
  });
  // `steps-done` names background steps that come before it.
  for (const step of steps) {
    const waits = step.action.type === 'wait-for' ? [step.action.wait, ...step.waits] : step.waits;
    for (const w of waits) {
      if (w.condition.kind !== 'steps-done') continue;
      for (const id of w.condition.steps) {
        const target = ids.get(id);
        if (target === undefined || target >= step.index || !steps[target].background)
          fail(
            ['steps', step.index, 'steps'],
            `the id of an earlier step with background: true`,
            JSON.stringify(id),
          );
      }
    }
  }
  const faults = document.faults.map((input, index) => planFault(input, index, ids, fail));
  return {
    fileName,
    name: document.name,
    description: document.description,
    steps,
    ...(faults.length > 0 ? { faults } : {}),
    locations: {},
  };
}

type FaultDocument = PlanDocument['faults'][number];

function planFault(
  input: FaultDocument,
  index: number,
  ids: ReadonlyMap<string, number>,
  fail: Fail,
): PlanFault {
  const path = ['faults', index];
  let at: FaultTime;
  if (typeof input.at === 'number') at = { kind: 'plan', seconds: input.at };
  else {
    if (!ids.has(input.at.step))
      fail([...path, 'at', 'step'], 'the id of a step of this plan', JSON.stringify(input.at.step));
    at = { kind: 'step', step: input.at.step, afterSeconds: input.at.after };
  }
  const node = parseNodeRef(input.node);
  switch (input.fault) {
    case 'node.power-loss':
    case 'node.shutdown':
    case 'node.power-on':
      return { index, at, action: { type: input.fault, node } };
    case 'link.degrade':
      if (!(input.bandwidth > 0))
        fail([...path, 'bandwidth'], 'a bandwidth above 0', String(input.bandwidth));
      return {
        index,
        at,
        action: {
          type: 'link.degrade',
          node,
          network: input.network,
          bandwidthBytesPerSecond: input.bandwidth,
          durationSeconds: input.for ?? null,
        },
      };
    case 'node.network-partition':
      return {
        index,
        at,
        action: {
          type: 'node.network-partition',
          node,
          with: input.with.map(parseNodeRef),
          durationSeconds: input.for ?? null,
        },
      };
  }
}

/** The step's `timeout:`, else its type's default; null for steps their own duration or wait bounds. */
export function stepTimeout(input: StepDocument): number | null {
  if (input.step === 'wait-for' || input.step === 'sleep' || input.step === 'offline') return null;
  // kubectl drain's own --timeout (required in a plan) ends the step: no second limit.
  if (input.step === 'node.drain') return null;
  return input.timeout ?? PLAN_STEP_TIMEOUTS[input.step].value;
}

/** A default timeout that counts per node: steps that wait on their nodes one after another. */
function timeoutPerNode(input: StepDocument): boolean {
  if (input.step === 'node.shutdown')
    return input.timeout === undefined && input.order === 'sequential' && input.waitEachDown;
  if (input.step === 'node.power-on') return input.timeout === undefined && input.order === 'sequential';
  return false;
}
