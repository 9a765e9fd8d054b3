/**
 * The exact runbook a replay executes: kubectl, virtctl and etcdctl equivalents of each plan step,
 * with names from the scenario. References that depend on the cluster's state when the step starts
 * (`@etcd-leader`, `@etcd-follower`, `@last-shut-down`) stay symbolic and are resolved then.
 */
import { formatNodeRef } from '../plan/format/node-ref.ts';
import type { Condition, NodeTarget, Plan, PlanStep } from '../plan/format/types.ts';
import type { Scenario } from '../scenario/types.ts';
import { groupNodes, selectAddons, selectVms } from './selection.ts';

export interface RunbookStep {
  readonly index: number;
  readonly id: string;
  readonly type: string;
  readonly commands: readonly string[];
  /** Changes the cluster and asks for confirmation unless --yes. */
  readonly destructive: boolean;
}

const ETCDCTL =
  'kubectl -n kube-system exec etcd-<node> -- etcdctl --cacert /var/lib/rancher/rke2/server/tls/etcd/server-ca.crt --cert /var/lib/rancher/rke2/server/tls/etcd/server-client.crt --key /var/lib/rancher/rke2/server/tls/etcd/server-client.key';

function nodes(scenario: Scenario, target: NodeTarget): string[] {
  return target.kind === 'group' ? groupNodes(scenario, target.group) : target.nodes.map(formatNodeRef);
}

export function describeWait(condition: Condition): string {
  switch (condition.kind) {
    case 'steps-done':
      return `# steps ${condition.steps.join(', ')} have finished (the adapter runs background steps in order)`;
    case 'no-vmis':
      return 'kubectl get vmi -A   # until "No resources found"';
    case 'volumes-detached':
      return 'kubectl -n longhorn-system get volumes.longhorn.io   # until every STATE is detached';
    case 'nodes-ready':
      return 'kubectl get nodes   # until the nodes are Ready';
    case 'nodes-down':
      return 'power status of the nodes (BMC)   # until off';
    case 'etcd-leader':
      return `${ETCDCTL} endpoint status --cluster -w table   # until the leader is right`;
    case 'vip-bound':
      return 'kubectl -n kube-system get svc ingress-expose   # until EXTERNAL-IP is the VIP';
    case 'vms-running':
      return 'kubectl get vmi -A   # until the VMs are Running';
    case 'system-pods-healthy':
      return 'kubectl get pods -A | grep -E "Failed|CrashLoopBackOff"   # until none';
    case 'addons-settled':
      return `kubectl get addons.harvesterhci.io -A   # until ${condition.enabled ? 'AddonDeploySuccessful' : 'AddonDisabled'}`;
  }
}

const DESTRUCTIVE = new Set([
  'rancher.disconnect',
  'rancher.remove-import',
  'vm.stop',
  'vm.migrate',
  'addon.disable',
  'etcd.move-leader',
  'node.shutdown',
  'node.maintenance',
  'node.drain',
]);

export function runbookStep(scenario: Scenario, step: PlanStep): RunbookStep {
  const a = step.action;
  const c: string[] = [];
  switch (a.type) {
    case 'support-bundle':
      if (a.extraNamespaces.length > 0)
        c.push(
          `kubectl get settings.harvesterhci.io support-bundle-namespaces -o jsonpath='{.value}'   # journaled; add ${a.extraNamespaces.join(',')}:`,
          `kubectl patch settings.harvesterhci.io support-bundle-namespaces --type merge -p '{"value":"<recorded>,${a.extraNamespaces.join(',')}"}'`,
        );
      c.push(
        `kubectl -n harvester-system create -f - <<< '{"apiVersion":"harvesterhci.io/v1beta1","kind":"SupportBundle","metadata":{"name":"harvester-sim-${step.index}-<id>"},"spec":{"description":"before/after the procedure"}}'`,
        `kubectl -n harvester-system get supportbundles.harvesterhci.io harvester-sim-${step.index}-<id> -o jsonpath='{.status.state}'   # until ready; download from the UI`,
      );
      if (a.extraNamespaces.length > 0)
        c.push(
          `kubectl patch settings.harvesterhci.io support-bundle-namespaces --type merge -p '{"value":"<recorded>"}'`,
        );
      break;
    case 'rancher.disconnect':
      if (a.recordScaleAvailable)
        c.push(
          `kubectl -n cattle-system get deploy rancher -o jsonpath='{.metadata.annotations.management\\.cattle\\.io/scale-available}'   # journaled`,
        );
      if (a.clearScaleAvailable)
        c.push(
          'kubectl -n cattle-system annotate deploy rancher management.cattle.io/scale-available="" --overwrite',
        );
      if (a.scaleRancherToZero)
        c.push(
          'kubectl -n cattle-system scale deploy rancher --replicas=0',
          'kubectl -n cattle-system get pods -l app=rancher   # until gone',
        );
      if (a.scaleClusterAgentToZero)
        c.push('kubectl -n cattle-system scale deploy cattle-cluster-agent --replicas=0');
      break;
    case 'rancher.reconnect':
      if (a.scaleAvailable !== null)
        c.push(
          `kubectl -n cattle-system annotate deploy rancher management.cattle.io/scale-available="${a.scaleAvailable === 'recorded' ? '<journaled>' : a.scaleAvailable}" --overwrite`,
        );
      c.push(
        `kubectl -n cattle-system scale deploy rancher --replicas=${a.rancherReplicas === 'recorded' ? '<journaled>' : a.rancherReplicas}`,
      );
      break;
    case 'rancher.remove-import':
      c.push('# refused: the KB says never to remove the import while downstream clusters exist');
      break;
    case 'vm.stop':
      for (const vm of selectVms(scenario, a.vms))
        c.push(`virtctl stop ${vm.name} -n ${vm.namespace}   # runStrategy journaled`);
      break;
    case 'vm.start':
      for (const vm of selectVms(scenario, a.vms)) c.push(`virtctl start ${vm.name} -n ${vm.namespace}`);
      break;
    case 'vm.migrate':
      for (const vm of selectVms(scenario, a.vms)) c.push(`virtctl migrate ${vm.name} -n ${vm.namespace}`);
      break;
    case 'addon.disable':
    case 'addon.enable':
      for (const addon of selectAddons(scenario, a.addons))
        c.push(
          `kubectl -n ${addon.namespace} patch addons.harvesterhci.io ${addon.name} --type merge -p '{"spec":{"enabled":${a.type === 'addon.enable'}}}'`,
        );
      break;
    case 'wait-for':
      break;
    case 'etcd.move-leader':
      c.push(`${ETCDCTL} endpoint status --cluster -w json   # leader ⇔ leader == header.member_id`);
      c.push(
        `${ETCDCTL} move-leader <hex member id of ${a.to.kind === 'off-witness' ? 'a running management node (only if the witness leads)' : formatNodeRef(a.to)}>`,
      );
      if (a.method === 'delete-pod')
        c.push(
          "# the plan says `kubectl delete pod etcd-<witness>`: that deletes a static pod's mirror and moves nothing; move-leader is used",
        );
      break;
    case 'node.shutdown':
      for (const n of nodes(scenario, a.nodes))
        c.push(
          `${a.mode === 'graceful' ? `ssh ${n} sudo -i shutdown` : `ipmitool ... chassis power off   # ${n}`}${a.order === 'sequential' && a.waitEachDown ? '   # then wait until off' : ''}`,
        );
      break;
    case 'node.power-on':
      for (const n of nodes(scenario, a.nodes))
        c.push(
          `ipmitool ... chassis power on   # ${n}${a.order === 'sequential' ? ', wait until running' : ''}`,
        );
      break;
    case 'node.maintenance': {
      const n = formatNodeRef(a.node);
      if (a.enable)
        c.push(
          `kubectl annotate node ${n} harvesterhci.io/drain-requested=true   # what the UI's Enable Maintenance Mode action writes`,
          `kubectl get node ${n} -o jsonpath='{.metadata.annotations.harvesterhci\\.io/maintain-status}'   # until completed`,
        );
      else
        c.push(
          `kubectl annotate node ${n} harvesterhci.io/maintain-status- harvesterhci.io/drain-requested- harvesterhci.io/drain-forced-   # as Disable Maintenance Mode`,
          `kubectl uncordon ${n}; kubectl taint node ${n} kubevirt.io/drain- || true`,
        );
      break;
    }
    case 'node.drain':
      c.push(
        `kubectl drain ${formatNodeRef(a.node)} --ignore-daemonsets --delete-emptydir-data${a.graceSeconds === null ? '' : ` --grace-period=${a.graceSeconds}`} --timeout=${a.timeoutSeconds}s`,
      );
      break;
    case 'offline':
    case 'sleep':
      c.push(`sleep ${a.durationSeconds}`);
      break;
    default:
      c.push(`# manual: ${(a as { type: string }).type} is not executed by the adapter`);
  }
  const waits = a.type === 'wait-for' ? [a.wait, ...step.waits] : step.waits;
  for (const w of waits) c.push(`${describeWait(w.condition)}   # timeout ${w.timeoutSeconds} s`);
  return { index: step.index, id: step.id, type: a.type, commands: c, destructive: DESTRUCTIVE.has(a.type) };
}

export function runbook(scenario: Scenario, plan: Plan): RunbookStep[] {
  return plan.steps.map((s) => runbookStep(scenario, s));
}

export function runbookText(steps: readonly RunbookStep[]): string {
  return steps
    .map((s) =>
      [
        `# ${s.index + 1}. ${s.id} (${s.type})${s.destructive ? ' [asks for confirmation]' : ''}`,
        ...s.commands.map((c) => `  ${c}`),
      ].join('\n'),
    )
    .join('\n');
}
