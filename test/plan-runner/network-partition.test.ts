/**
 * `node.network-partition` (issue 15 §5): nodes cut off from the others on the management network
 * while they keep power. Each test names the rule it checks and its source.
 */
import { describe, expect, it } from 'vitest';
import { planFromData } from '../../src/plan/format/load.ts';
import { runPlan } from '../../src/plan/runner/runner.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { select, type Trace } from '../../src/trace/record.ts';

const file = (path: string) => new URL(`../../scenarios/${path}`, import.meta.url).pathname;
// Harvester v1.3.0: RKE2's etcd 3.5.9 (pre-vote on, check-quorum on, 500 ms / 5000 ms timing),
// Kubernetes 1.27 (node-monitor-grace-period 40 s), vm-force-reset-policy period 300 s.
const seed = loadScenario(file('seed-witness.yaml'));
const ELECTION_TIMEOUT_S = 5;
const NODE_MONITOR_GRACE_S = 40;
const NODE_MONITOR_PERIOD_S = 5;

/** A plan that idles `idle` while `faults` strike. */
function idlePlan(faults: Record<string, unknown>[], idle = '3m') {
  return planFromData(
    { name: 'partition', steps: [{ step: 'sleep', duration: idle }], faults },
    'partition.yaml',
  );
}

function only<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1);
  return items[0];
}

const from = (records: Trace, seconds: number) => records.filter((r) => r.timeSeconds >= seconds);

describe('etcd under a partition (etcd-io/raft raft.go)', () => {
  it('checkQuorum: a cut-off leader steps down; the majority elects another once its election timeout passes', () => {
    // raft.go stepLeader MsgCheckQuorum: "if !r.trk.QuorumActive() { ... r.becomeFollower(r.Term, None) }",
    // checked every electionTimeout; the followers hear no heartbeat and campaign after their
    // randomized election timeout in [electionTimeout, 2 × electionTimeout).
    const run = runPlan(
      seed,
      idlePlan([{ at: '10s', fault: 'node.network-partition', node: '@etcd-leader', for: '60s' }]),
    );
    const fault = select(run.records, 'plan', 'fault.injected')[0];
    expect(fault.data).toMatchObject({ type: 'node.network-partition', applied: true });
    const cut = fault.data.node;
    const t0 = fault.timeSeconds;
    const during = from(run.records, t0).filter((r) => r.timeSeconds < t0 + 60);
    const stepDown = select(during, 'etcd', 'leader-step-down').find((r) => r.data.member === cut);
    expect(stepDown).toBeDefined();
    expect((stepDown?.timeSeconds ?? 0) - t0).toBeLessThanOrEqual(2 * ELECTION_TIMEOUT_S + 0.5);
    const elected = select(during, 'etcd', 'leader-elected')[0];
    expect(elected.data.member).not.toBe(cut);
    expect(elected.timeSeconds - t0).toBeGreaterThanOrEqual(ELECTION_TIMEOUT_S);
    expect(elected.timeSeconds - t0).toBeLessThanOrEqual(2 * ELECTION_TIMEOUT_S + 0.5);
    // The API comes back with the majority side, not on the cut-off node.
    const available = select(during, 'kube', 'api.available').at(-1);
    expect(available?.data.via).not.toBe(cut);
    expect(run.world.fabric.isCutOff(cut)).toBe(false);
    // After the heal the old leader's uncommitted entries are replaced by the new leader's log
    // (raft.go handleAppendEntries: a conflicting suffix is truncated), and it follows.
    const leader = run.world.etcd.leader() as string;
    expect(leader).not.toBe(cut);
    const old = run.world.etcd.view(cut);
    expect(old).toMatchObject({ role: 'follower', lead: leader, term: run.world.etcd.view(leader).term });
    expect(old.commitIndex).toBeGreaterThan(0);
  });

  it('pre-vote on: a cut-off follower cannot disturb the majority when it returns', () => {
    // raft.go: with PreVote a candidate "first asks the other nodes whether it could win" without
    // raising its term (thesis §9.6), so the leader keeps its term after the partition heals.
    const run = runPlan(
      seed,
      idlePlan([{ at: '10s', fault: 'node.network-partition', node: '@etcd-follower', for: '60s' }]),
    );
    const t0 = select(run.records, 'plan', 'fault.injected')[0].timeSeconds;
    expect(select(from(run.records, t0), 'etcd', 'leader-elected')).toHaveLength(0);
    expect(select(from(run.records, t0), 'kube', 'api.unavailable')).toHaveLength(0);
  });

  it('pre-vote off: the returning follower has raised its term and forces a new election', () => {
    // Without pre-vote a partitioned node "increments its term and campaigns" at every timeout;
    // on its return its higher term makes the leader step down (raft.go Step: m.Term > r.Term).
    const noPreVote: Scenario = {
      ...seed,
      settings: { ...seed.settings, etcd: { ...seed.settings.etcd, preVote: false } },
    };
    const run = runPlan(
      noPreVote,
      idlePlan([{ at: '10s', fault: 'node.network-partition', node: '@etcd-follower', for: '60s' }]),
    );
    const t0 = select(run.records, 'plan', 'fault.injected')[0].timeSeconds;
    const healedAt = t0 + 60;
    expect(
      select(from(run.records, t0), 'etcd', 'leader-elected').filter((r) => r.timeSeconds < healedAt),
    ).toHaveLength(0);
    const afterHeal = select(from(run.records, healedAt), 'etcd', 'leader-elected');
    expect(afterHeal.length).toBeGreaterThan(0);
  });
});

describe('the kubelet under a partition (kube-controller-manager node-monitor-grace-period)', () => {
  it('a cut-off node turns NotReady after the grace period and Ready after the heal; its VM keeps running there', () => {
    // nodelifecycle: Ready becomes Unknown when the kubelet "has not posted" for
    // node-monitor-grace-period (40 s before 1.32), evaluated every node-monitor-period (5 s).
    // KubeVirt starts no second copy while vm-force-reset-policy (300 s) has not acted.
    const run = runPlan(
      seed,
      idlePlan([{ at: '10s', fault: 'node.network-partition', node: 'harv2', for: '120s' }]),
    );
    const t0 = select(run.records, 'plan', 'fault.injected')[0].timeSeconds;
    const ready = select(from(run.records, t0), 'nodes', 'node.ready').filter((r) => r.data.node === 'harv2');
    expect(ready.map((r) => r.data.status)).toEqual(['Unknown', 'True']);
    const notReadyAfter = ready[0].timeSeconds - t0;
    expect(notReadyAfter).toBeGreaterThan(NODE_MONITOR_GRACE_S - NODE_MONITOR_PERIOD_S);
    expect(notReadyAfter).toBeLessThanOrEqual(NODE_MONITOR_GRACE_S + 2 * NODE_MONITOR_PERIOD_S);
    expect(ready[1].timeSeconds - t0).toBeGreaterThanOrEqual(120);
    expect(ready[1].timeSeconds - t0).toBeLessThanOrEqual(120 + NODE_MONITOR_PERIOD_S);
    // The Rancher machine klmno runs on harv2 (scenarios/seed-witness.yaml).
    const vm = { namespace: 'default', name: 'rke2-prod-pool1-7d9f8-klmno' };
    expect(run.world.fleet.get(vm)).toMatchObject({ phase: 'Running', node: 'harv2', lost: false });
    expect(select(from(run.records, t0), 'kubevirt', 'vm.phase')).toHaveLength(0);
    const nodes = select(run.records, 'nodes', 'node.partitioned');
    expect(only(nodes).data.nodes).toEqual(['harv2']);
    expect(only(select(run.records, 'nodes', 'node.partition-healed')).timeSeconds - t0).toBeCloseTo(120, 6);
  });

  it('vm-force-reset-policy on a cut-off node: the VMI is force-deleted while its guest runs there (split brain)', () => {
    // Harvester before v1.7.0 (node_down_controller.go): the VMIs of a node Unknown for `period`
    // (300 s) are force-deleted and runStrategy restarts them elsewhere; the cut-off kubelet does not
    // hear of it, so the guest keeps running where it was.
    const FORCE_RESET_PERIOD_S = 300;
    const run = runPlan(
      seed,
      idlePlan([{ at: '10s', fault: 'node.network-partition', node: 'harv2', for: '420s' }], '8m'),
    );
    const t0 = select(run.records, 'plan', 'fault.injected')[0].timeSeconds;
    const unknown = select(from(run.records, t0), 'nodes', 'node.ready').find(
      (r) => r.data.status === 'Unknown',
    );
    const split = only(select(run.records, 'kubevirt', 'vm.split-brain'));
    expect(split.data).toEqual({ vm: 'default/rke2-prod-pool1-7d9f8-klmno', node: 'harv2' });
    expect(split.timeSeconds - (unknown?.timeSeconds ?? 0)).toBeGreaterThanOrEqual(FORCE_RESET_PERIOD_S);
    expect(split.timeSeconds - (unknown?.timeSeconds ?? 0)).toBeLessThanOrEqual(
      FORCE_RESET_PERIOD_S + NODE_MONITOR_PERIOD_S,
    );
    const restarted = only(select(run.records, 'kubevirt', 'vm.force-restarted'));
    expect(restarted.data.from).toBe('harv2');
    expect(restarted.data.to).not.toBe('harv2');
  });

  it('kube-vip: a cut-off VIP holder loses the VIP to a management node on the majority side', () => {
    const run = runPlan(
      seed,
      idlePlan([{ at: '10s', fault: 'node.network-partition', node: 'harv41', for: '60s' }]),
    );
    const t0 = select(run.records, 'plan', 'fault.injected')[0].timeSeconds;
    // kube-vip binds the VIP on the first management node at start (harv41 in seed-witness).
    const bound = select(from(run.records, t0), 'kube', 'vip.bound')[0];
    expect(bound.data.node).toBe('harv42');
    expect(bound.timeSeconds - t0).toBeLessThanOrEqual(2 * ELECTION_TIMEOUT_S + 0.5);
  });

  it('refuses a partition that leaves no node on the other side', () => {
    const run = runPlan(
      seed,
      idlePlan([
        {
          at: '10s',
          fault: 'node.network-partition',
          node: 'harv41',
          with: ['harv42', 'harv43', 'harv2'],
        },
      ]),
    );
    expect(only(select(run.records, 'plan', 'fault.injected')).data).toMatchObject({
      applied: false,
      detail: 'no node would be left on the other side',
    });
  });
});

describe('Longhorn under a partition (longhorn-engine engine-replica-timeout)', () => {
  const ENGINE_REPLICA_TIMEOUT_S = 8; // Longhorn setting engine-replica-timeout (default 8 s)

  it('engines lose the replicas across the cut after engine-replica-timeout; the cut-off engine keeps its local one', () => {
    // A replica that does not answer the engine within engine-replica-timeout is marked ERR.
    const run = runPlan(
      seed,
      idlePlan([{ at: '10s', fault: 'node.network-partition', node: 'harv2', for: '60s' }]),
    );
    const t0 = select(run.records, 'plan', 'fault.injected')[0].timeSeconds;
    const failed = select(from(run.records, t0), 'longhorn', 'replica.failed').filter(
      (r) => r.timeSeconds < t0 + 60,
    );
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) {
      expect(f.data.reason).toBe('engine-replica-timeout');
      expect(f.timeSeconds - t0).toBeCloseTo(ENGINE_REPLICA_TIMEOUT_S, 6);
    }
    // The Rancher machine's disk has its engine on harv2: it loses its replicas elsewhere, not its own.
    const machine = failed.filter((f) => f.data.volume === 'default/rke2-prod-pool1-7d9f8-klmno-disk-0');
    expect(machine.length).toBeGreaterThan(0);
    expect(machine.every((f) => f.data.node !== 'harv2')).toBe(true);
    // vm1's engine runs on harv41: only its replica on harv2 fails.
    const vm1 = failed.filter((f) => f.data.volume === 'default/vm1-rootdisk');
    expect(vm1.map((f) => f.data.node)).toEqual(['harv2']);
  });

  it('a partition shorter than engine-replica-timeout fails no replica', () => {
    const run = runPlan(
      seed,
      idlePlan([{ at: '10s', fault: 'node.network-partition', node: 'harv2', for: '5s' }]),
    );
    const t0 = select(run.records, 'plan', 'fault.injected')[0].timeSeconds;
    expect(select(from(run.records, t0), 'longhorn', 'replica.failed')).toHaveLength(0);
  });
});
