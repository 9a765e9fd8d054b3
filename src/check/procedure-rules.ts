/**
 * The knowledge base's shutdown/restart procedure as rules over a statically walked plan: support
 * bundle first, workloads and volumes stopped, Rancher disconnected before its machines stop, the
 * etcd leader off the witness, and the restart order.
 */
import { KB, KB_PROCEDURE, RESEARCH } from '../evaluate/kb-sentences.ts';
import type { PlanStep } from '../plan/format/types.ts';
import type { CheckProblem } from './problem.ts';
import type { StaticRun, StepView } from './static-run.ts';

type Report = (step: PlanStep | null, rule: string, message: string, source: string) => void;

export function reporter(problems: CheckProblem[]): Report {
  return (step, rule, message, source) =>
    problems.push({ rule, stepIndex: step?.index ?? null, stepId: step?.id ?? null, message, source });
}

/** Steps that only wait or pass time change nothing on the cluster. */
const passive = new Set(['wait-for', 'sleep', 'offline']);

const list = (items: Iterable<string>) => [...items].join(', ');

/** Whether the plan takes every etcd member down: a whole-cluster shutdown, the KB's subject. */
export function isClusterShutdown(run: StaticRun): boolean {
  return run.views.some((v) => v.after.etcdAllOff);
}

export function supportBundleRules(run: StaticRun, report: Report): void {
  if (!isClusterShutdown(run)) return;
  const first = run.views.find((v) => !passive.has(v.step.action.type));
  if (first !== undefined && first.step.action.type !== 'support-bundle' && first.before.supportBundles === 0)
    report(
      first.step,
      'kb.support-bundle-first',
      `step ${first.step.id} (${first.step.action.type}) acts on the cluster before any support bundle was generated`,
      KB_PROCEDURE.supportBundleFirst,
    );
  const configured = run.scenario.settings.harvester.supportBundleNamespaces;
  const workloads = [...new Set(run.scenario.vms.map((vm) => vm.namespace))];
  for (const view of run.views) {
    const action = view.step.action;
    if (action.type !== 'support-bundle') continue;
    const covered = new Set([...configured, ...action.extraNamespaces]);
    const missing = workloads.filter((ns) => !covered.has(ns));
    if (missing.length > 0)
      report(
        view.step,
        'kb.support-bundle-namespaces',
        `the support bundle leaves out the workload namespace${missing.length === 1 ? '' : 's'} ${list(missing)} (support-bundle-namespaces or extraNamespaces)`,
        KB_PROCEDURE.supportBundleFirst,
      );
  }
  let lastPowerOn = -1;
  run.views.forEach((v, i) => {
    if (v.step.action.type === 'node.power-on' && v.nodes.length > 0) lastPowerOn = i;
  });
  if (lastPowerOn >= 0) {
    const after = run.views.slice(lastPowerOn + 1).some((v) => v.step.action.type === 'support-bundle');
    const last = run.views.at(-1) as StepView;
    if (!after)
      report(
        last.step,
        'kb.support-bundle-after',
        'no support bundle is generated after the restart, to compare with the one taken before',
        KB_PROCEDURE.supportBundleAfter,
      );
  }
}

export function rancherRules(run: StaticRun, report: Report): void {
  const rancher = run.scenario.rancher;
  if (!rancher.importedIntoRancherManager) return;
  const machines = run.machines;
  for (const view of run.views) {
    const { step, before } = view;
    const action = step.action;
    if (action.type === 'rancher.remove-import' && rancher.downstreamClusters.length > 0)
      report(
        step,
        'rancher.remove-import',
        `removes the Harvester import while downstream cluster${rancher.downstreamClusters.length === 1 ? '' : 's'} ${list(rancher.downstreamClusters.map((c) => c.name))} still run on it`,
        KB.removeImport,
      );
    if (action.type === 'rancher.disconnect') {
      if (!action.clearScaleAvailable || !action.scaleRancherToZero)
        report(
          step,
          'rancher.scale-available-not-cleared',
          'disconnects Rancher without clearing management.cattle.io/scale-available and scaling rancher to 0: the embedded Rancher scales itself and cattle-cluster-agent back up',
          `${KB.scaleAvailable} ${KB.agentScaledBack}`,
        );
      if (!action.recordScaleAvailable)
        report(
          step,
          'rancher.scale-available-not-recorded',
          `does not record management.cattle.io/scale-available (${rancher.scaleAvailable} on this cluster) before changing it`,
          KB.scaleAvailable,
        );
    }
    if (action.type === 'rancher.reconnect') {
      const guessed =
        (action.scaleAvailable !== 'recorded' && action.scaleAvailable !== rancher.scaleAvailable) ||
        (action.rancherReplicas !== 'recorded' && action.rancherReplicas !== rancher.scaleAvailable);
      if (guessed || (action.scaleAvailable === 'recorded' && !before.rancher.scaleAvailableRecorded))
        report(
          step,
          'rancher.scale-available-not-restored',
          `does not restore the recorded management.cattle.io/scale-available (${rancher.scaleAvailable} on this cluster)`,
          KB.scaleAvailable,
        );
    }
    if (before.rancher.disconnected || rancher.downstreamClusters.length === 0) continue;
    const stopped = action.type === 'vm.stop' ? view.vms.filter((vm) => machines.has(vm)) : [];
    const running =
      action.type === 'node.shutdown' ? [...before.runningVms].filter((vm) => machines.has(vm)) : [];
    const affected = [...stopped, ...running];
    if (affected.length > 0)
      report(
        step,
        'rancher.machines-stopped-while-connected',
        `${action.type === 'vm.stop' ? 'stops' : 'powers off the nodes of'} downstream machine VM${affected.length === 1 ? '' : 's'} ${list(affected)} while Rancher Manager still manages them (disconnect Rancher first)`,
        KB.rancherReplacesVms,
      );
  }
}

export function workloadRules(run: StaticRun, report: Report): void {
  const withPvcs = new Set(run.scenario.addons.filter((a) => a.pvcs.length > 0).map((a) => a.name));
  const clusterShutdown = isClusterShutdown(run);
  let volumesReported = false;
  for (const view of run.views) {
    const { step, before } = view;
    const action = step.action;
    if (action.type !== 'node.shutdown' || view.nodes.length === 0) continue;
    if (action.mode === 'power-loss')
      report(step, 'kb.brutal-power-off', `cuts the power of ${list(view.nodes)}`, KB.brutalPowerOff);
    if (!clusterShutdown) continue;
    if (before.runningVms.size > 0)
      report(
        step,
        'kb.vms-running-at-shutdown',
        `shuts down ${list(view.nodes)} while ${before.runningVms.size} VM${before.runningVms.size === 1 ? '' : 's'} may still run (stop them first; vm-force-reset-policy restarts them on the surviving nodes)`,
        `${KB.stopWorkloads} (${RESEARCH.forceReset})`,
      );
    const addons = [...before.addonsEnabled].filter((a) => withPvcs.has(a));
    if (addons.length > 0)
      report(
        step,
        'kb.addons-with-pvcs-enabled',
        `shuts down ${list(view.nodes)} while addon${addons.length === 1 ? '' : 's'} ${list(addons)} still hold${addons.length === 1 ? 's' : ''} PVCs`,
        KB.stopVolumes,
      );
    if (!volumesReported && !before.volumesDetachedChecked && run.scenario.volumes.length > 0) {
      volumesReported = true;
      report(
        step,
        'kb.volumes-not-checked-detached',
        `shuts down ${list(view.nodes)} without first waiting for every Longhorn volume to be detached (wait-for volumes-detached)`,
        KB.volumesDetached,
      );
    }
  }
}

export function leaderRules(run: StaticRun, report: Report): void {
  const witness = run.scenario.nodes.find((n) => n.role === 'witness')?.name;
  if (witness === undefined) return;
  for (const view of run.views) {
    const { step, before, after } = view;
    const action = step.action;
    if (action.type === 'etcd.move-leader') {
      const toWitness =
        action.to.kind === 'witness' || (action.to.kind === 'name' && action.to.name === witness);
      if (toWitness)
        report(
          step,
          'etcd.leader-to-witness',
          `moves etcd leadership onto the witness ${witness}`,
          `${KB.leaderOnControlPlane} (${RESEARCH.witness})`,
        );
      else if (action.method === 'delete-pod' && before.leader.has(witness)) {
        const waits = step.waits.some((w) => w.condition.kind === 'etcd-leader');
        report(
          step,
          'etcd.delete-pod-does-not-move-leader',
          `kubectl delete pod etcd-${witness} does not move leadership: etcd is a static pod and keeps running${waits ? '; when the witness leads, the wait for the leader times out and the plan stops here' : ''} (use method: etcdctl, i.e. etcdctl move-leader)`,
          `${KB.leaderOnControlPlane} ${KB_PROCEDURE.checkLeaderAgain} (${RESEARCH.staticPod})`,
        );
      }
    }
    if (
      action.type === 'node.shutdown' &&
      after.etcdAllOff &&
      !before.etcdAllOff &&
      after.lastShutDown.has(witness)
    )
      report(
        step,
        'etcd.last-member-may-be-witness',
        `${after.lastShutDown.size === 1 ? `the witness ${witness} is` : `the witness ${witness} may be`} the last etcd member shut down, so it would be powered on first: a witness runs no apiserver, kube-vip or storage (move the leader with etcdctl move-leader first)`,
        `${KB.leaderOnControlPlane} (${RESEARCH.witness})`,
      );
  }
}

export function restartRules(run: StaticRun, report: Report): void {
  const role = new Map(run.scenario.nodes.map((n) => [n.name, n.role]));
  const isMember = (n: string) => role.get(n) !== 'worker';
  let firstMemberStep: number | null = null;
  let paused = false;
  for (const [i, view] of run.views.entries()) {
    const { step, before } = view;
    const action = step.action;
    if (firstMemberStep !== null && i > firstMemberStep && !paused) {
      if (action.type === 'node.power-on' && view.nodes.length > 0) {
        report(
          step,
          'restart.no-pause-after-first-member',
          `powers on ${list(view.nodes)} right after the first etcd member, with no wait`,
          KB.powerOnLastFirst,
        );
        paused = true;
      } else if (passive.has(action.type) || step.waits.length > 0) paused = true;
    }
    if (action.type !== 'node.power-on' || !before.etcdAllOff || view.nodes.length === 0) continue;
    const members = view.nodes.filter(isMember);
    const workers = view.nodes.filter((n) => !isMember(n));
    if (workers.length > 0 && (members.length === 0 || action.order === 'parallel'))
      report(
        step,
        'restart.workers-before-etcd',
        `powers on worker${workers.length === 1 ? '' : 's'} ${list(workers)} before the etcd members are up: they boot into a cluster with no API server`,
        KB_PROCEDURE.etcdNodesFirst,
      );
    if (members.length === 0) continue;
    firstMemberStep = i;
    paused = step.waits.length > 0;
    const first = [...view.firstCandidates].filter(isMember);
    if (action.order === 'parallel' && members.length > 1)
      report(
        step,
        'restart.order',
        `powers on etcd members ${list(members)} together, not the last one shut down first`,
        `${KB.powerOnLastFirst} ${KB_PROCEDURE.etcdNodesFirst}`,
      );
    else if (first.some((n) => !before.lastShutDown.has(n)))
      report(
        step,
        'restart.order',
        `powers on ${list(first)} first, not ${list(before.lastShutDown)} (the last etcd member shut down)`,
        KB.powerOnLastFirst,
      );
  }
}
