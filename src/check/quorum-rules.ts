/**
 * Quorum, API and VIP at every step, computed from the plan and the scenario: a step that needs
 * kubectl (or waits on something only kubectl can see) when fewer than a quorum of etcd members, or
 * no management node, is powered on cannot succeed. Also the address rules: the VIP and node IPs
 * must stay stable, so DHCP nodes need fixed bindings.
 */
import { KB, KB_PROCEDURE, RESEARCH } from '../evaluate/kb-sentences.ts';
import type { Condition, StepAction } from '../plan/format/types.ts';
import type { StepQuorum } from './problem.ts';
import type { reporter } from './procedure-rules.ts';
import type { StaticRun, StaticState } from './static-run.ts';

type Report = ReturnType<typeof reporter>;

/** Actions that go through the Kubernetes API (kubectl, virtctl, etcdctl via kubectl exec). */
function needsApi(action: StepAction): boolean {
  switch (action.type) {
    case 'vm.stop':
      return action.method !== 'guest';
    case 'support-bundle':
    case 'rancher.disconnect':
    case 'rancher.reconnect':
    case 'vm.start':
    case 'vm.migrate':
    case 'addon.disable':
    case 'addon.enable':
    case 'etcd.move-leader':
    case 'node.maintenance':
      return true;
    default:
      return false;
  }
}

/**
 * `nodes-down` is seen from outside (ping, BMC) and `steps-done` is the plan's own state; every
 * other condition is read with kubectl.
 */
const conditionNeedsApi = (condition: Condition) =>
  condition.kind !== 'nodes-down' && condition.kind !== 'steps-done';

export function quorumOf(
  run: StaticRun,
  state: StaticState,
): { membersOn: number; quorum: boolean; api: boolean } {
  const membersOn = run.etcdMembers.filter((n) => state.on.has(n.name)).length;
  const quorum = membersOn >= run.quorumSize;
  const management = run.scenario.nodes.some((n) => n.role === 'management' && state.on.has(n.name));
  return { membersOn, quorum, api: quorum && management };
}

export function quorumTable(run: StaticRun): StepQuorum[] {
  return run.views.map((view) => {
    const q = quorumOf(run, view.after);
    return {
      stepIndex: view.step.index,
      stepId: view.step.id,
      etcdMembersOn: q.membersOn,
      etcdMembers: run.etcdMembers.length,
      quorum: q.quorum,
      apiAndVip: q.api,
      leaderCandidates: [...view.after.leader],
    };
  });
}

export function quorumRules(run: StaticRun, report: Report): void {
  const members = run.etcdMembers.length;
  const why = (state: StaticState) => {
    const q = quorumOf(run, state);
    if (!q.quorum)
      return `${q.membersOn} of ${members} etcd members are powered on (quorum is ${run.quorumSize})`;
    return 'no management node is powered on';
  };
  for (const view of run.views) {
    const { step, before, after } = view;
    if (needsApi(step.action) && !quorumOf(run, before).api)
      report(
        step,
        'etcd.quorum-at-step',
        `${step.action.type} needs the Kubernetes API, but ${why(before)}`,
        KB_PROCEDURE.quorum,
      );
    for (const condition of step.preconditions)
      if (conditionNeedsApi(condition) && !quorumOf(run, before).api)
        report(
          step,
          'etcd.quorum-at-step',
          `precondition ${condition.kind} cannot be read: ${why(before)}`,
          KB_PROCEDURE.quorum,
        );
    const waits = step.action.type === 'wait-for' ? [step.action.wait, ...step.waits] : step.waits;
    for (const wait of waits) {
      if (!conditionNeedsApi(wait.condition) || quorumOf(run, after).api) continue;
      if (wait.condition.kind === 'vip-bound')
        report(
          step,
          'vip.continuity',
          `waits for the VIP ${run.scenario.vip.address}, but ${why(after)}: kube-vip runs on management nodes and needs the API`,
          `${KB.vip} (${RESEARCH.witness})`,
        );
      else
        report(
          step,
          'etcd.quorum-at-step',
          `waits for ${wait.condition.kind}, which needs the Kubernetes API, but ${why(after)}`,
          KB_PROCEDURE.quorum,
        );
    }
  }
}

export function addressRules(run: StaticRun, report: Report): void {
  const { scenario } = run;
  if (scenario.vip.mode === 'dhcp')
    report(null, 'network.vip-from-dhcp', `the VIP ${scenario.vip.address} is assigned by DHCP`, KB.stableIp);
  for (const view of run.views) {
    if (view.step.action.type !== 'node.power-on') continue;
    for (const name of view.nodes) {
      const node = scenario.nodes.find((n) => n.name === name);
      if (node === undefined || node.ip.mode !== 'dhcp' || node.ip.fixedBinding) continue;
      const offSeconds = view.before.offSeconds.get(name) ?? 0;
      if (offSeconds > node.ip.leaseSeconds)
        report(
          view.step,
          'network.dhcp-binding',
          `powers on ${name} after ${offSeconds} s off, longer than its DHCP lease (${node.ip.leaseSeconds} s), with no fixed MAC-to-IP binding: it may come back with another address than ${node.ip.address}`,
          `${KB.dhcpBinding} ${KB.stableIp}`,
        );
    }
  }
}
