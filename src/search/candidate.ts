/**
 * A candidate shutdown/restart plan as a handful of choices (genes), and the plan YAML it stands
 * for. The skeleton is the knowledge base's procedure (support bundle, VMs, Rancher, addons,
 * volumes, workers, etcd members leader last, restart last-shut-down first); the genes are what the
 * KB leaves open or gets wrong: where etcd leadership goes and how, when, VM stop and start
 * grouping, node order within the groups, and the waits.
 */
import type { Scenario } from '../scenario/types.ts';
import type { NodeClass } from './node-classes.ts';

export interface Candidate {
  /** How leadership is moved: `etcdctl move-leader`, or the KB's `kubectl delete pod etcd-<witness>` (check prunes it). */
  readonly leaderMethod: 'etcdctl' | 'delete-pod';
  /** Where `etcdctl move-leader` puts leadership: off the witness (any management node), or a named node. */
  readonly leaderTo: string;
  /** Move the leader before or after the workers go down. */
  readonly leaderMoveAt: 'before-workers' | 'after-workers';
  /** Traditional VMs before Rancher is disconnected (the KB), or every VM after it. */
  readonly vmStop: 'traditional-first' | 'all-after-disconnect';
  readonly workerShutdown: 'sequential' | 'parallel';
  /** Pause after powering on the last node shut down (KB: "After about three minutes"). */
  readonly firstPauseSeconds: number;
  readonly etcdPowerOn: 'sequential' | 'parallel';
  readonly workerPowerOn: 'sequential' | 'parallel';
  /** Traditional VMs first and then Rancher's machines (the KB), or all at once. */
  readonly vmStart: 'traditional-first' | 'all';
}

export const OFF_WITNESS = 'off-witness';

/** Values each gene may take, the KB's first. Pauses: the KB's 3 min, then shorter and longer. */
export function geneValues(scenario: Scenario, classes: readonly NodeClass[]) {
  const hasWitness = scenario.nodes.some((n) => n.role === 'witness');
  const managementReps = classes.filter((c) => c.role === 'management').map((c) => c.nodes[0]);
  // The witness is a value too: check prunes it ("the etcd leader will be located on one of the
  // control-plane nodes"), as it prunes a pause of 0 s after the first node.
  const witness = classes.filter((c) => c.role === 'witness').map((c) => c.nodes[0]);
  return {
    leaderMethod: ['etcdctl', 'delete-pod'],
    leaderTo: hasWitness ? [OFF_WITNESS, ...managementReps, ...witness] : [OFF_WITNESS, ...managementReps],
    leaderMoveAt: ['after-workers', 'before-workers'],
    vmStop: ['traditional-first', 'all-after-disconnect'],
    workerShutdown: ['sequential', 'parallel'],
    firstPauseSeconds: [180, 120, 60, 300, 0],
    etcdPowerOn: ['sequential', 'parallel'],
    workerPowerOn: ['parallel', 'sequential'],
    vmStart: ['traditional-first', 'all'],
  } as const satisfies { [K in keyof Candidate]: readonly Candidate[K][] };
}

/** The KB procedure's choices, its `kubectl delete pod` included. */
export const KB_CANDIDATE: Candidate = {
  leaderMethod: 'delete-pod',
  leaderTo: OFF_WITNESS,
  leaderMoveAt: 'after-workers',
  vmStop: 'traditional-first',
  workerShutdown: 'sequential',
  firstPauseSeconds: 180,
  etcdPowerOn: 'sequential',
  workerPowerOn: 'parallel',
  vmStart: 'traditional-first',
};

/** Candidates that differ from `c` in one gene, in gene order then value order (deterministic). */
export function neighbours(c: Candidate, values: ReturnType<typeof geneValues>): Candidate[] {
  const out: Candidate[] = [];
  for (const gene of Object.keys(values) as (keyof Candidate)[]) {
    for (const value of values[gene] as readonly Candidate[typeof gene][]) {
      if (value !== c[gene]) out.push({ ...c, [gene]: value });
    }
  }
  return out;
}

export const candidateKey = (c: Candidate) => JSON.stringify(c);

/** How long the cluster stays off, as in the KB plan (so scores compare with it). */
export const OFFLINE_SECONDS = 12 * 3600;

/** Plan YAML for a candidate on a scenario; `header` lines become comments at the top. */
export function candidateYaml(
  scenario: Scenario,
  c: Candidate,
  name: string,
  header: readonly string[],
): string {
  const imported = scenario.rancher.importedIntoRancherManager;
  const machines = scenario.rancher.downstreamClusters.some((d) => d.machines.length > 0);
  const withPvcs = scenario.addons.some((a) => a.pvcs.length > 0);
  const namespaces = [...new Set(scenario.vms.map((vm) => vm.namespace))];
  const members = scenario.nodes.filter((n) => n.role !== 'worker').length;
  const hasWitness = scenario.nodes.some((n) => n.role === 'witness');
  const lines: string[] = [...header.map((h) => `# ${h}`.trimEnd()), `name: ${name}`];
  lines.push(`description: "Found by harvester-sim search on ${scenario.name}"`, '', 'steps:');
  const step = (text: string) => lines.push(...text.split('\n').map((l) => `  ${l}`));
  const bundle = (id: string) =>
    step(`- step: support-bundle\n  id: ${id}\n  extraNamespaces: [${namespaces.join(', ')}]`);

  bundle('support-bundle-before');
  if (c.vmStop === 'traditional-first' && scenario.vms.length > 0)
    step('- step: vm.stop\n  id: stop-traditional-vms\n  vms: { downstreamMachines: false }');
  if (imported) step('- step: rancher.disconnect');
  if (scenario.vms.length > 0)
    step(
      '- step: vm.stop\n  id: stop-vms\n  vms: all\n  waitFor:\n    - { condition: no-vmis, timeout: 15m }',
    );
  if (withPvcs)
    step(
      '- step: addon.disable\n  addons: with-pvcs\n  waitFor:\n    - { condition: addons-settled, addons: with-pvcs, enabled: false, timeout: 10m }',
    );
  if (scenario.volumes.length > 0) step('- step: wait-for\n  condition: volumes-detached\n  timeout: 10m');
  const moveLeader = () => {
    const to = c.leaderTo === OFF_WITNESS ? 'off-witness' : c.leaderTo;
    const check =
      c.leaderTo === OFF_WITNESS
        ? hasWitness
          ? "\n  waitFor:\n    - { condition: etcd-leader, notOn: '@witness', timeout: 2m }"
          : ''
        : `\n  waitFor:\n    - { condition: etcd-leader, on: ${to}, timeout: 2m }`;
    if (c.leaderTo !== OFF_WITNESS || hasWitness)
      step(`- step: etcd.move-leader\n  id: move-leader\n  to: ${to}\n  method: ${c.leaderMethod}${check}`);
  };
  if (c.leaderMoveAt === 'before-workers') moveLeader();
  step(
    `- step: node.shutdown\n  id: shutdown-workers\n  group: worker\n  order: ${c.workerShutdown}\n  waitFor:\n    - { condition: nodes-down, group: worker, timeout: 10m }`,
  );
  if (c.leaderMoveAt === 'after-workers') moveLeader();
  const order = [...Array.from({ length: members - 1 }, () => "'@etcd-follower'"), "'@etcd-leader'"];
  step(
    `- step: node.shutdown\n  id: shutdown-etcd-members\n  nodes: [${order.join(', ')}]\n  order: sequential\n  waitFor:\n    - { condition: nodes-down, group: all, timeout: 15m }`,
  );
  step(`- step: offline\n  duration: ${OFFLINE_SECONDS}s`);
  step("- step: node.power-on\n  id: power-on-last-shut-down\n  node: '@last-shut-down'");
  if (c.firstPauseSeconds > 0) step(`- step: sleep\n  duration: ${c.firstPauseSeconds}s`);
  step(
    `- step: node.power-on\n  id: power-on-etcd-members\n  group: etcd\n  order: ${c.etcdPowerOn}\n  waitFor:\n    - { condition: nodes-ready, group: etcd, timeout: 20m }`,
  );
  step('- step: wait-for\n  condition: vip-bound\n  timeout: 5m');
  step(
    `- step: node.power-on\n  id: power-on-workers\n  group: worker\n  order: ${c.workerPowerOn}\n  waitFor:\n    - { condition: nodes-ready, group: all, timeout: 20m }`,
  );
  step('- step: wait-for\n  condition: system-pods-healthy\n  timeout: 15m');
  if (withPvcs)
    step(
      '- step: addon.enable\n  addons: with-pvcs\n  waitFor:\n    - { condition: addons-settled, addons: with-pvcs, enabled: true, timeout: 15m }',
    );
  if (imported) step('- step: rancher.reconnect');
  if (scenario.vms.length > 0) {
    if (c.vmStart === 'traditional-first' && machines) {
      step(
        '- step: vm.start\n  id: start-traditional-vms\n  vms: { downstreamMachines: false }\n  waitFor:\n    - { condition: vms-running, vms: { downstreamMachines: false }, timeout: 20m }',
      );
      step(
        '- step: wait-for\n  id: downstream-machines-running\n  condition: vms-running\n  vms: { downstreamMachines: true }\n  timeout: 30m',
      );
    } else
      step(
        '- step: vm.start\n  id: start-vms\n  vms: all\n  waitFor:\n    - { condition: vms-running, vms: all, timeout: 30m }',
      );
  }
  bundle('support-bundle-after');
  return `${lines.join('\n')}\n`;
}
