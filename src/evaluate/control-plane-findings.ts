import { type RecordOf, select, type Trace } from '../trace/record.ts';
import type { Finding } from './finding.ts';
import { KB, RESEARCH } from './kb-sentences.ts';
import type { RunSummary } from './run-summary.ts';

const of = select;
const at = (r: { readonly timeSeconds: number }) => r.timeSeconds;

/**
 * Findings about the control plane, VMs and Rancher, read from the trace alone. Each rule cites the
 * knowledge-base sentence (or research note) it enforces. Times are seconds from the plan's start.
 */
export function controlPlaneFindings(records: Trace, run: RunSummary): Finding[] {
  const findings: Finding[] = [];
  const roles = new Map(run.nodes.map((n) => [n.name, n.role]));

  const timedOut = new Set<number>();
  for (const r of of(records, 'plan', 'step.timeout')) {
    timedOut.add(r.data.index);
    findings.push({
      rule: 'plan.step-timeout',
      severity: 'critical',
      timeSeconds: at(r),
      title: `step ${r.data.id} (${r.data.type}) did not finish within ${r.data.timeoutSeconds} s`,
      detail: `the plan stopped at step ${r.data.index}: its action was still under way when its timeout ran out (the step's \`timeout:\`, else the default for ${r.data.type})`,
      objects: [`step/${r.data.id}`],
      source:
        'plan runner: every step has a timeout (src/profiles/plan-step-timeouts.ts); past it the plan stops',
    });
  }
  for (const end of of(records, 'plan', 'plan.end')) {
    if (end.data.ok || (end.data.failedStep !== null && timedOut.has(end.data.failedStep))) continue;
    findings.push({
      rule: 'plan.step-failed',
      severity: 'critical',
      timeSeconds: at(end),
      title: `the plan stopped at step ${end.data.failedStep}`,
      detail: end.data.reason,
      objects: [`plan/${end.data.plan}`],
      source: 'plan runner: a failed wait or action ends the plan',
    });
  }

  const lostByNode = new Map<string, RecordOf<'kubevirt', 'vm.lost-with-node'>[]>();
  for (const r of of(records, 'kubevirt', 'vm.lost-with-node')) {
    lostByNode.set(r.data.node, [...(lostByNode.get(r.data.node) ?? []), r]);
  }
  for (const [node, lost] of lostByNode) {
    const brutal = lost.some((r) => r.data.mode === 'power-loss');
    findings.push({
      rule: 'vm.running-at-power-off',
      severity: 'critical',
      timeSeconds: at(lost[0]),
      title: `${lost.length} VM(s) still running when ${node} ${brutal ? 'lost power' : 'was shut down'}`,
      detail: brutal
        ? `guests killed without a shutdown: ${lost.map((r) => r.data.vm).join(', ')}`
        : `guests killed without a shutdown when systemd stopped the pod scopes (kubelet graceful node shutdown is off in Harvester): ${lost.map((r) => r.data.vm).join(', ')}`,
      objects: [`node/${node}`, ...lost.map((r) => `vm/${r.data.vm}`)],
      source: brutal ? KB.brutalPowerOff : KB.stopWorkloads,
    });
  }

  for (const off of of(records, 'nodes', 'node.power')) {
    if (off.data.to !== 'off' || off.data.mode !== 'power-loss') continue;
    findings.push({
      rule: 'node.power-loss',
      severity: 'critical',
      timeSeconds: at(off),
      title: `${off.data.node} lost power without a shutdown`,
      detail: 'no graceful stop: etcd does not hand over leadership and guests lose unflushed writes',
      objects: [`node/${off.data.node}`],
      source: KB.brutalPowerOff,
    });
  }

  const restarted = of(records, 'kubevirt', 'vm.force-restarted');
  if (restarted.length > 0) {
    findings.push({
      rule: 'vm.force-restarted',
      severity: 'warning',
      timeSeconds: at(restarted[0]),
      title: `${restarted.length} VM(s) force-restarted by vm-force-reset-policy`,
      detail: restarted.map((r) => `${r.data.vm}: ${r.data.from} → ${r.data.to ?? 'not placed'}`).join('; '),
      objects: restarted.map((r) => `vm/${r.data.vm}`),
      source: `${KB.crowding} (${RESEARCH.forceReset})`,
    });
  }

  const split = of(records, 'kubevirt', 'vm.split-brain');
  if (split.length > 0) {
    findings.push({
      rule: 'vm.split-brain',
      severity: 'critical',
      timeSeconds: at(split[0]),
      title: `${split.length} VM(s) force-deleted on a node cut off by a network partition while their guests ran`,
      detail: split.map((r) => `${r.data.vm} still running on ${r.data.node}`).join('; '),
      objects: split.map((r) => `vm/${r.data.vm}`),
      source: RESEARCH.forceReset,
    });
  }

  findings.push(...crowdingFindings(records));

  const failed = of(records, 'kube', 'schedule.failed');
  if (failed.length > 0) {
    const objects = [...new Set(failed.map((r) => r.data.object))];
    findings.push({
      rule: 'scheduling.failed',
      severity: 'warning',
      timeSeconds: at(failed[0]),
      title: `${objects.length} pod(s)/VMI(s) could not be scheduled`,
      detail: `${failed[0].data.object}: ${failed[0].data.reason}`,
      objects,
      source: KB.crowding,
    });
  }

  const overloaded = of(records, 'kube', 'controllers.load').filter(
    (r) => r.data.cpuRequestedMillicores > r.data.cpuAllocatableMillicores,
  );
  if (overloaded.length > 0) {
    findings.push({
      rule: 'node.cpu-overcommitted',
      severity: 'warning',
      timeSeconds: at(overloaded[0]),
      title: `CPU requests above allocatable on ${[...new Set(overloaded.map((r) => r.data.node))].join(', ')}`,
      detail: `${overloaded[0].data.cpuRequestedMillicores.toFixed(0)} m requested of ${overloaded[0].data.cpuAllocatableMillicores.toFixed(0)} m`,
      objects: [...new Set(overloaded.map((r) => `node/${r.data.node}`))],
      source: KB.stopWorkloads,
    });
  }

  findings.push(...etcdOrderFindings(records, roles));
  findings.push(...rancherFindings(records));

  for (const r of of(records, 'nodes', 'node.address')) {
    if (!r.data.changed) continue;
    findings.push({
      rule: 'node.address-changed',
      severity: 'critical',
      timeSeconds: at(r),
      title: `${r.data.node} came back with another IP address`,
      detail:
        'its DHCP lease expired while it was off and there is no fixed binding; etcd and kube-vip expect the old address',
      objects: [`node/${r.data.node}`],
      source: `${KB.stableIp} ${KB.dhcpBinding}`,
    });
  }

  for (const r of of(records, 'kube', 'certificate.expired')) {
    findings.push({
      rule: 'certificate.expired',
      // KubeVirt re-issues its own CA and serving certificates at start (issue 15 §4): info.
      // Certificates that expired while the cluster was down and that rke2 does not renew at start
      // (rancher/rke2#8318) will not come back: critical when certain.
      severity:
        r.data.staysExpired === true
          ? r.data.certainty === 'certain'
            ? 'critical'
            : 'warning'
          : r.data.certainty === 'certain' && r.data.rotatesAtStart !== true
            ? 'warning'
            : 'info',
      timeSeconds: at(r),
      title:
        r.data.staysExpired === true
          ? `${r.data.certificate} ${r.data.certainty === 'certain' ? 'will' : 'may'} not come back: expired while the cluster was down`
          : `${r.data.certificate} ${r.data.certainty === 'certain' ? 'is' : 'may be'} expired at restart`,
      detail: `off ${spanText(r.data.offlineSeconds)}${r.data.ageSeconds === undefined ? '' : `, ${spanText(r.data.ageSeconds)} old`}, lifetime ${spanText(r.data.lifetimeSeconds)}: ${r.data.consequence}`,
      objects: [`certificate/${r.data.certificate}`],
      source: certificateSource(r.data.certificate),
    });
  }

  const lastApi = records
    .filter((r) => r.subsystem === 'kube' && (r.kind === 'api.available' || r.kind === 'api.unavailable'))
    .at(-1);
  const planEnd = of(records, 'plan', 'plan.end').at(-1);
  // A plan that ends with the control plane powered off (a shutdown-only plan) expects no API.
  const finalPower = new Map<string, string>();
  for (const r of of(records, 'nodes', 'node.power')) finalPower.set(r.data.node, r.data.to);
  const managementUp = [...roles].some(
    ([node, role]) => role === 'management' && (finalPower.get(node) ?? 'running') !== 'off',
  );
  if (
    lastApi?.subsystem === 'kube' &&
    lastApi.kind === 'api.unavailable' &&
    planEnd !== undefined &&
    managementUp
  ) {
    findings.push({
      rule: 'api.unavailable-at-end',
      severity: 'critical',
      timeSeconds: at(lastApi),
      title: 'the Kubernetes API is unavailable when the plan ends',
      detail: `reason: ${lastApi.data.reason}`,
      objects: ['cluster/api'],
      source:
        'etcd-io/etcd:server/etcdserver/raft.go (no quorum: no leader, no committed request) and kube-apiserver storage on etcd3: the API serves iff etcd has quorum and an apiserver runs',
    });
  }
  return findings;
}

function etcdOrderFindings(records: Trace, roles: Map<string, string>): Finding[] {
  const findings: Finding[] = [];
  const isMember = (node: string) => roles.get(node) !== 'worker';
  const state = new Map<string, string>();
  const allOff = () => [...roles.keys()].every((n) => (state.get(n) ?? 'running') === 'off');
  // etcd members that went off last, together (a simultaneous power loss has no single last node).
  let lastMembersOff: { nodes: string[]; timeSeconds: number } | null = null;
  let awaitingFirstBoot = false;
  for (const r of of(records, 'nodes', 'node.power')) {
    const node = r.data.node;
    state.set(node, r.data.to);
    if (r.data.to === 'off' && isMember(node)) {
      if (lastMembersOff !== null && lastMembersOff.timeSeconds === r.timeSeconds)
        lastMembersOff.nodes.push(node);
      else lastMembersOff = { nodes: [node], timeSeconds: r.timeSeconds };
    }
    if (r.data.to === 'off' && allOff()) {
      awaitingFirstBoot = true;
      const last = lastMembersOff;
      if (last !== null && last.nodes.length === 1 && roles.get(last.nodes[0]) === 'witness') {
        findings.push({
          rule: 'etcd.last-member-is-witness',
          severity: 'warning',
          timeSeconds: last.timeSeconds,
          title: `the witness ${last.nodes[0]} was the last etcd member shut down`,
          detail: 'it is powered on first, but a witness runs no apiserver, kube-vip or storage',
          objects: [`node/${last.nodes[0]}`],
          source: `${KB.leaderOnControlPlane} (${RESEARCH.witness})`,
        });
      }
    }
    if (r.data.to === 'booting' && awaitingFirstBoot) {
      awaitingFirstBoot = false;
      if (lastMembersOff !== null && !lastMembersOff.nodes.includes(node)) {
        findings.push({
          rule: 'restart.order',
          severity: 'warning',
          timeSeconds: at(r),
          title: `${node} was powered on first, not ${lastMembersOff.nodes.join(' or ')} (the last etcd member shut down)`,
          detail:
            'the last member stopped holds the newest etcd data and was the leader the operator wrote down',
          objects: [`node/${node}`, ...lastMembersOff.nodes.map((n) => `node/${n}`)],
          source: KB.powerOnLastFirst,
        });
      }
    }
  }
  for (const r of of(records, 'plan', 'plan.recorded')) {
    if (r.data.key !== 'etcd.delete-pod') continue;
    findings.push({
      rule: 'etcd.delete-pod-no-effect',
      severity: 'warning',
      timeSeconds: at(r),
      title: 'deleting the etcd pod did not move the leader',
      detail: r.data.value,
      objects: ['etcd/leader'],
      source: `${KB.leaderOnControlPlane} (${RESEARCH.staticPod})`,
    });
  }
  return findings;
}

function rancherFindings(records: Trace): Finding[] {
  const findings: Finding[] = [];
  // Between the plan's rancher.disconnect and rancher.reconnect steps Rancher should stay at 0.
  let disconnected = false;
  const scaledBack: RecordOf<'rancher', 'rancher.replicas'>[] = [];
  for (const r of records) {
    if (r.subsystem === 'plan' && r.kind === 'step.start' && r.data.type === 'rancher.disconnect')
      disconnected = true;
    if (r.subsystem === 'plan' && r.kind === 'step.start' && r.data.type === 'rancher.reconnect')
      disconnected = false;
    if (
      disconnected &&
      r.subsystem === 'rancher' &&
      r.kind === 'rancher.replicas' &&
      r.data.by !== 'kubectl scale' &&
      r.data.replicas > 0
    ) {
      scaledBack.push(r);
    }
  }
  if (scaledBack.length > 0) {
    findings.push({
      rule: 'rancher.scaled-back-up',
      severity: 'critical',
      timeSeconds: at(scaledBack[0]),
      title: 'Rancher scaled itself back up while it should stay disconnected',
      detail: scaledBack.map((r) => `${r.data.deployment} → ${r.data.replicas} by ${r.data.by}`).join('; '),
      objects: scaledBack.map((r) => `deployment/cattle-system/${r.data.deployment}`),
      source: `${KB.scaleAvailable} ${KB.agentScaledBack}`,
    });
  }
  for (const r of of(records, 'rancher', 'rancher.machine-replaced')) {
    if (!r.data.stoppedWhileConnected) continue;
    findings.push({
      rule: 'rancher.machine-replaced',
      severity: 'critical',
      timeSeconds: at(r),
      title: `Rancher replaced downstream machine ${r.data.vm}`,
      detail: `cluster ${r.data.cluster}: the VM was stopped for ${r.data.afterSeconds.toFixed(0)} s while Rancher Manager was connected`,
      objects: [`vm/${r.data.vm}`, `cluster/${r.data.cluster}`],
      source: KB.rancherReplacesVms,
    });
  }
  for (const r of of(records, 'rancher', 'rancher.import-removed')) {
    findings.push({
      rule: 'rancher.import-removed',
      severity: r.data.orphanedClusters.length > 0 ? 'critical' : 'warning',
      timeSeconds: at(r),
      title: 'the Harvester import was removed from Rancher Manager',
      detail:
        r.data.orphanedClusters.length > 0
          ? `a new import gets a new driver id; downstream clusters left on the old one: ${r.data.orphanedClusters.join(', ')}`
          : 'a new import gets a new driver id',
      objects: r.data.orphanedClusters.map((c) => `cluster/${c}`),
      source: KB.removeImport,
    });
  }
  const annotations = of(records, 'rancher', 'rancher.annotation');
  const last = annotations.at(-1);
  if (last !== undefined && last.data.value === '') {
    findings.push({
      rule: 'rancher.scale-available-not-restored',
      severity: 'warning',
      timeSeconds: at(last),
      title: 'management.cattle.io/scale-available is still "" at the end',
      detail: `it was "${last.data.previous}"; without it Rancher no longer keeps its replicas`,
      objects: ['deployment/cattle-system/rancher'],
      source: KB.scaleAvailable,
    });
  }
  return findings;
}

/**
 * VMs restarted on the surviving nodes (vm-force-reset-policy, or runStrategy after a node shutdown)
 * crowd them: the peak share of CPU, memory and max-pods requested on a running node after the first
 * restart, and the controllers' retries of the VMIs that could not be placed (KB crowding sentence).
 * A warning when pods or VMIs are refused after the first restart or a node's requests reach its
 * allocatable CPU or memory or its max-pods.
 */
function crowdingFindings(records: Trace): Finding[] {
  const forced = of(records, 'kubevirt', 'vm.force-restarted');
  const restarted = forced.filter((r) => r.data.to !== null);
  if (restarted.length === 0) return [];
  const notPlaced = forced.length - restarted.length;
  const since = restarted[0].timeSeconds;
  const samples = of(records, 'kube', 'controllers.load').filter((r) => r.timeSeconds >= since);
  if (samples.length === 0) return [];
  const peak = (share: (d: (typeof samples)[number]['data']) => number | null) => {
    let best: { node: string; share: number } | null = null;
    for (const r of samples) {
      const value = share(r.data);
      if (value !== null && (best === null || value > best.share)) best = { node: r.data.node, share: value };
    }
    return best;
  };
  const cpu = peak((d) =>
    d.cpuAllocatableMillicores > 0 ? d.cpuRequestedMillicores / d.cpuAllocatableMillicores : null,
  );
  const memory = peak((d) =>
    d.memoryAllocatableBytes !== undefined &&
    d.memoryRequestedBytes !== undefined &&
    d.memoryAllocatableBytes > 0
      ? d.memoryRequestedBytes / d.memoryAllocatableBytes
      : null,
  );
  const pods = peak((d) =>
    d.podsAllocatable !== undefined && d.podsAllocatable > 0 ? d.pods / d.podsAllocatable : null,
  );
  const retries = Math.max(...samples.map((r) => r.data.reconcileAttemptsPerMinute));
  const percent = (p: { node: string; share: number } | null) =>
    p === null ? 'n/a' : `${(p.share * 100).toFixed(0)} % (${p.node})`;
  const nodes = new Set(restarted.map((r) => r.data.to as string));
  // A warning once the crowding refuses pods (a VMI or pod not placed after the first restart) or a
  // node's requests reach what it can hold; otherwise the pressure is reported as information.
  const refused =
    notPlaced + of(records, 'kube', 'schedule.failed').filter((r) => r.timeSeconds >= since).length;
  const full = refused > 0 || [cpu, memory, pods].some((p) => p !== null && p.share >= 1);
  return [
    {
      rule: 'nodes.crowded',
      severity: full ? 'warning' : 'info',
      timeSeconds: at(restarted[0]),
      title: `${restarted.length} VM(s) restarted on ${nodes.size} surviving node(s): peak requests CPU ${percent(cpu)}, memory ${percent(memory)}, pods ${percent(pods)} of max-pods`,
      detail: `after the first restart, on running nodes: CPU requested/allocatable peaks at ${percent(cpu)}, memory at ${percent(memory)}, pods/max-pods at ${percent(pods)}; ${refused} pod(s)/VMI(s) not placed; controllers retry failing VMIs up to ${retries.toFixed(0)} times a minute`,
      objects: [...nodes].sort().map((n) => `node/${n}`),
      source: KB.crowding,
    },
  ];
}

/** Hours up to a week, days beyond. */
function spanText(seconds: number): string {
  const hour = 3600;
  const week = 168 * hour;
  return seconds > week ? `${(seconds / (24 * hour)).toFixed(1)} d` : `${(seconds / hour).toFixed(1)} h`;
}

function certificateSource(certificate: string): string {
  if (certificate === 'kubevirt-server-certs') return KB.kubevirtServerCertificates;
  if (certificate.startsWith('kubevirt')) return KB.kubevirtCertificates;
  if (certificate.startsWith('rancher')) return KB.rancherTokens;
  return KB.rke2Certificates;
}
