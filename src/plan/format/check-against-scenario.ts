/**
 * `checkPlanAgainstScenario`: a valid plan may still name nodes, VMs or addons the scenario lacks.
 * Role-relative references (`@etcd-leader`, ...) are checked only where the scenario can rule them out.
 */
import {
  DocumentError,
  type DocumentIssue,
  type DocumentPath,
  formatPath,
} from '../../scenario/document-error.ts';
import type { Scenario } from '../../scenario/types.ts';
import type { AddonSelector, Condition, NodeRef, NodeTarget, Plan, VmSelector } from './types.ts';

const relativeWords = new Set(['etcd-leader', 'etcd-follower', 'witness', 'last-shut-down']);

/** Throws DocumentError listing every reference the scenario cannot satisfy; returns normally otherwise. */
export function checkPlanAgainstScenario(plan: Plan, scenario: Scenario): void {
  const issues = planScenarioIssues(plan, scenario);
  if (issues.length > 0) throw new DocumentError('plan', issues);
}

/** The issues `checkPlanAgainstScenario` would throw, as a list. */
export function planScenarioIssues(plan: Plan, scenario: Scenario): DocumentIssue[] {
  const issues: DocumentIssue[] = [];
  const nodes = new Map(scenario.nodes.map((node) => [node.name, node]));
  const hasWitness = scenario.nodes.some((node) => node.role === 'witness');
  const etcdMembers = scenario.nodes.filter((node) => node.role !== 'worker').length;
  const vmKeys = new Set(scenario.vms.map((vm) => `${vm.namespace}/${vm.name}`));
  const addonNames = new Set(
    scenario.addons.flatMap((addon) => [addon.name, `${addon.namespace}/${addon.name}`]),
  );

  const fail = (path: DocumentPath, expected: string, found: string) => {
    const at = plan.locations[formatPath(path)] ?? null;
    issues.push({
      fileName: plan.fileName,
      line: at?.line ?? null,
      column: at?.column ?? null,
      path,
      expected,
      found,
    });
  };

  const checkRef = (
    ref: NodeRef,
    path: DocumentPath,
    role: 'any' | 'etcd' | 'runs-vms' = 'any',
    witnessMayBeAbsent = false,
  ) => {
    if (ref.kind === 'witness' && !hasWitness && !witnessMayBeAbsent) {
      fail(path, `a node the scenario has (${scenario.fileName} declares no witness)`, '"@witness"');
      return;
    }
    if (ref.kind !== 'name') return;
    const node = nodes.get(ref.name);
    if (node === undefined) {
      const hint = relativeWords.has(ref.name) ? ` (did you mean "@${ref.name}"?)` : '';
      fail(path, `a node declared in ${scenario.fileName}${hint}`, JSON.stringify(ref.name));
    } else if (role === 'etcd' && node.role === 'worker') {
      fail(path, 'an etcd member (a management or witness node)', `worker node ${JSON.stringify(ref.name)}`);
    } else if (role === 'runs-vms' && node.role === 'witness') {
      fail(path, 'a node that runs VMs (the witness never does)', `witness node ${JSON.stringify(ref.name)}`);
    }
  };

  const checkTarget = (target: NodeTarget, stepPath: DocumentPath) => {
    // An empty group is a no-op, so one plan serves clusters with and without workers or a witness
    // (the KB: "If your cluster has one Witness Node ...").
    if (target.kind === 'group') return;
    const single = plan.locations[formatPath([...stepPath, 'node'])] !== undefined;
    // Distinct followers per step: an etcd cluster of n members has n - 1 of them.
    const followers = target.nodes.filter((ref) => ref.kind === 'etcd-follower').length;
    if (followers > etcdMembers - 1) {
      const at = target.nodes.map((ref) => ref.kind).lastIndexOf('etcd-follower');
      fail(
        single ? [...stepPath, 'node'] : [...stepPath, 'nodes', at],
        `at most ${etcdMembers - 1} "@etcd-follower" in one step (${scenario.fileName} has ${etcdMembers} etcd member${etcdMembers === 1 ? '' : 's'})`,
        `${followers}`,
      );
    }
    target.nodes.forEach((ref, i) => {
      checkRef(ref, single ? [...stepPath, 'node'] : [...stepPath, 'nodes', i]);
    });
  };

  const checkVms = (selector: VmSelector, path: DocumentPath) => {
    if (selector.kind === 'all' || selector.vms === null) return;
    selector.vms.forEach((vm, i) => {
      const key = `${vm.namespace}/${vm.name}`;
      if (!vmKeys.has(key))
        fail([...path, 'names', i], `a VM declared in ${scenario.fileName}`, JSON.stringify(key));
    });
  };

  const checkAddons = (selector: AddonSelector, path: DocumentPath) => {
    if (selector.kind !== 'names') return;
    selector.names.forEach((name, i) => {
      if (!addonNames.has(name))
        fail([...path, i], `an addon declared in ${scenario.fileName}`, JSON.stringify(name));
    });
  };

  const checkCondition = (condition: Condition, path: DocumentPath) => {
    switch (condition.kind) {
      case 'nodes-ready':
      case 'nodes-down':
        checkTarget(condition.nodes, path);
        return;
      case 'etcd-leader':
        if (condition.on !== null) checkRef(condition.on, [...path, 'on'], 'etcd');
        // "not on the witness" holds trivially on a cluster without one.
        if (condition.notOn !== null) checkRef(condition.notOn, [...path, 'notOn'], 'etcd', true);
        return;
      case 'vms-running':
        checkVms(condition.vms, [...path, 'vms']);
        return;
      case 'addons-settled':
        checkAddons(condition.addons, [...path, 'addons']);
        return;
      default:
        return;
    }
  };

  for (const step of plan.steps) {
    const path: DocumentPath = ['steps', step.index];
    const action = step.action;
    switch (action.type) {
      case 'node.shutdown':
      case 'node.power-on':
        checkTarget(action.nodes, path);
        break;
      case 'node.maintenance':
      case 'node.drain':
        checkRef(action.node, [...path, 'node']);
        break;
      case 'etcd.move-leader':
        if (action.to.kind === 'off-witness') {
          // Without a witness there is nothing to move off: the step is a no-op.
        } else checkRef(action.to, [...path, 'to'], 'etcd');
        break;
      case 'vm.stop':
      case 'vm.start':
        checkVms(action.vms, [...path, 'vms']);
        break;
      case 'vm.migrate':
        checkVms(action.vms, [...path, 'vms']);
        if (action.target !== null) checkRef(action.target, [...path, 'target'], 'runs-vms');
        break;
      case 'addon.disable':
      case 'addon.enable':
        checkAddons(action.addons, [...path, 'addons']);
        break;
      case 'wait-for':
        checkCondition(action.wait.condition, path);
        break;
      case 'external.shutdown':
      case 'external.power-on':
        if (!scenario.infrastructure.externalSystems.some((system) => system.name === action.system))
          fail(
            [...path, 'system'],
            `an external system declared in ${scenario.fileName} (infrastructure.externalSystems)`,
            JSON.stringify(action.system),
          );
        break;
      default:
        break;
    }
    step.preconditions.forEach((condition, i) => {
      checkCondition(condition, [...path, 'preconditions', i]);
    });
    step.waits.forEach((wait, i) => {
      checkCondition(wait.condition, [...path, 'waitFor', i]);
    });
  }
  for (const fault of plan.faults ?? []) checkRef(fault.action.node, ['faults', fault.index, 'node']);
  return issues;
}
