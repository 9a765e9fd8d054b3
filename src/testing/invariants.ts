/**
 * Ready invariants over a simulated run. Each reads the run's trace (and, for etcd's committed log,
 * the members' state at the end) and returns its violations, one line each; none means it held.
 */
import { migrationMetrics } from '../evaluate/migration.ts';
import type { Plan } from '../plan/format/types.ts';
import type { Scenario } from '../scenario/types.ts';
import type { SimulationResult } from '../simulate/simulate.ts';
import { select } from '../trace/record.ts';

/** What an invariant sees: the run, and the scenario and plan it ran. */
export interface RunCase {
  readonly result: SimulationResult;
  readonly scenario: Scenario;
  readonly plan: Plan;
}

export interface Invariant {
  readonly name: string;
  /** The rule, as a sentence, with its source. */
  readonly rule: string;
  check(run: RunCase): string[];
}

const at = (t: number) => `at ${t.toFixed(1)} s`;

/**
 * No acknowledged etcd write lost: at most one leader per term (Raft §5.2, Election Safety), and at
 * the end the leader has committed at least what any member has (Leader Completeness, §5.4: an
 * entry any member saw committed is in every later leader's log).
 */
export const etcdWritesKept: Invariant = {
  name: 'etcd-writes-kept',
  rule: 'no acknowledged etcd write is lost (Raft §5.2 Election Safety, §5.4 Leader Completeness)',
  check({ result }) {
    const violations: string[] = [];
    const leaderOfTerm = new Map<number, string>();
    for (const r of select(result.trace, 'etcd', 'leader-elected')) {
      const previous = leaderOfTerm.get(r.data.term);
      if (previous !== undefined && previous !== r.data.member)
        violations.push(
          `${at(r.timeSeconds)}: term ${r.data.term} has two leaders, ${previous} and ${r.data.member}`,
        );
      leaderOfTerm.set(r.data.term, r.data.member);
    }
    const etcd = result.run.world.etcd;
    const leader = etcd.leader();
    if (leader !== null) {
      const leaderCommit = etcd.view(leader).commitIndex;
      for (const id of etcd.memberIds()) {
        const { commitIndex } = etcd.view(id);
        if (commitIndex > leaderCommit)
          violations.push(
            `at the end: ${id} committed index ${commitIndex}, leader ${leader} only ${leaderCommit}`,
          );
      }
    }
    return violations;
  },
};

/** KubeVirt's parallel migration limits (`parallelMigrationsPerCluster`, `…OutboundMigrationsPerNode`). */
export const migrationLimitsKept: Invariant = {
  name: 'migration-limits-kept',
  rule: 'parallel migration limits are never exceeded (kubevirt/kubevirt:pkg/virt-controller/watch/migration/migration.go, handleTargetPodCreation)',
  check({ result, scenario }) {
    const m = migrationMetrics(result.trace);
    const limits = scenario.settings.kubevirtMigrations;
    const violations: string[] = [];
    if (m.peakConcurrent > limits.parallelMigrationsPerCluster)
      violations.push(
        `${m.peakConcurrent} migrations ran at once; parallelMigrationsPerCluster is ${limits.parallelMigrationsPerCluster}`,
      );
    if (m.peakOutboundPerNode > limits.parallelOutboundMigrationsPerNode)
      violations.push(
        `${m.peakOutboundPerNode} migrations left one node at once; parallelOutboundMigrationsPerNode is ${limits.parallelOutboundMigrationsPerNode}`,
      );
    return violations;
  },
};

const STOPPING_STEPS = new Set(['vm.stop', 'node.shutdown', 'offline']);

/**
 * Every VM ends Running or Stopped, never half-way; a VM that ran at the start of a plan that stops
 * nothing (no vm.stop, node.shutdown or offline step) ends Running, and one the scenario keeps
 * Halted ends Stopped.
 */
export const vmsEndAsPlanned: Invariant = {
  name: 'vms-end-as-planned',
  rule: 'every VM ends running or stopped as the plan says',
  check({ result, scenario, plan }) {
    const last = new Map<string, string>();
    for (const r of select(result.trace, 'kubevirt', 'vm.phase')) last.set(r.data.vm, r.data.phase);
    const stopsSomething = plan.steps.some((s) => STOPPING_STEPS.has(s.action.type));
    const violations: string[] = [];
    for (const vm of scenario.vms) {
      const id = `${vm.namespace}/${vm.name}`;
      const phase = last.get(id);
      if (phase === undefined) continue; // never changed phase: as it started
      if (phase !== 'Running' && phase !== 'Stopped') violations.push(`${id} ends ${phase}`);
      else if (vm.runStrategy === 'Halted' && phase !== 'Stopped')
        violations.push(`${id} is Halted but ends ${phase}`);
      else if (!stopsSomething && vm.runStrategy !== 'Halted' && phase !== 'Running')
        violations.push(`${id} ends ${phase} although the plan stops nothing`);
    }
    return violations;
  },
};

/** Longhorn's hard node anti-affinity (`replica-soft-anti-affinity: false`, the default). */
export const replicaAntiAffinityKept: Invariant = {
  name: 'replica-anti-affinity-kept',
  rule: 'no two replicas of a volume on one node under hard anti-affinity (longhorn/longhorn-manager:scheduler/replica_scheduler.go)',
  check({ result, scenario }) {
    if (scenario.settings.longhorn.replicaSoftAntiAffinity) return [];
    const nodeOf = new Map<string, { volume: string; node: string }>();
    const violations: string[] = [];
    for (const r of result.trace) {
      if (r.subsystem !== 'longhorn') continue;
      if (r.kind === 'replica.scheduled' || (r.kind === 'replica.created' && r.data.node !== null)) {
        const { volume, replica } = r.data;
        const node = r.data.node as string;
        for (const [other, placed] of nodeOf)
          if (other !== replica && placed.volume === volume && placed.node === node)
            violations.push(
              `${at(r.timeSeconds)}: ${volume} has replicas ${other} and ${replica} on ${node}`,
            );
        nodeOf.set(replica, { volume, node });
      } else if (r.kind === 'replica.deleted') nodeOf.delete(r.data.replica);
    }
    return violations;
  },
};

/** A volume with no healthy replica takes no writes (Longhorn faults it; the guest sees I/O errors). */
export const noWriteWithoutReplica: Invariant = {
  name: 'no-write-without-replica',
  rule: 'no write is accepted with zero healthy replicas',
  check({ result }) {
    const healthy = new Map<string, number>();
    const writing = new Map<string, number>();
    const violations: string[] = [];
    const check = (volume: string, t: number) => {
      if (healthy.get(volume) === 0 && (writing.get(volume) ?? 0) > 0)
        violations.push(`${at(t)}: ${volume} takes ${writing.get(volume)} B/s with no healthy replica`);
    };
    for (const r of result.trace) {
      if (r.subsystem !== 'longhorn') continue;
      if (r.kind === 'volume.robustness') {
        healthy.set(r.data.volume, r.data.healthyReplicas);
        check(r.data.volume, r.timeSeconds);
      } else if (r.kind === 'volume.writes') {
        writing.set(r.data.volume, r.data.bytesPerSecond);
        check(r.data.volume, r.timeSeconds);
      }
    }
    return violations;
  },
};

/** For plans that claim to keep etcd quorum: no quorum-lost record from plan start to plan end. */
export const quorumKept: Invariant = {
  name: 'quorum-kept',
  rule: 'quorum is kept through every step of a plan that claims to keep it',
  check({ result }) {
    return select(result.trace, 'etcd', 'quorum-lost').map(
      (r) => `${at(r.timeSeconds)}: etcd lost quorum (running: ${r.data.running.join(', ') || 'none'})`,
    );
  },
};

/** Every ready invariant but `quorumKept`, which only plans that claim to keep quorum should assert. */
export const INVARIANTS: readonly Invariant[] = [
  etcdWritesKept,
  migrationLimitsKept,
  vmsEndAsPlanned,
  replicaAntiAffinityKept,
  noWriteWithoutReplica,
];

/** The violations of `invariants`, each prefixed with the invariant's name. */
export function violations(run: RunCase, invariants: readonly Invariant[] = INVARIANTS): string[] {
  return invariants.flatMap((inv) => inv.check(run).map((v) => `${inv.name}: ${v}`));
}
