import type { Event, ProcessGenerator, Simulation } from '../../../sim/index.ts';
import type { KubevirtControllerRecordData, MigrationOrigin, VmimPhase } from '../../trace/kubevirt.ts';
import { Recorder } from '../../trace/recorder.ts';
import { matchPolicy } from '../policy/match.ts';
import { resolveMigrationConfig } from '../policy/merge.ts';
import type {
  ClusterMigrationConfig,
  Labels,
  MigrationPolicy,
  ResolvedMigrationConfig,
} from '../policy/types.ts';
import { admit } from './admission.ts';
import { type FinishedMigration, migrationBackoff } from './backoff.ts';
import {
  CONTROLLER_SIMULATOR_LIMITS,
  type MigrationControllerTiming,
  migrationControllerTiming,
  QUEUE_PRIORITY,
} from './defaults.ts';
import { holdsSlot, isFinalPhase, PHASE_ORDER, type ReportedPhase } from './phases.ts';

/** What the migration controller needs to know of a VMI. */
export interface MigratableVmi {
  readonly namespace: string;
  readonly name: string;
  /** The node the VMI runs on when the controller first sees it. */
  readonly nodeName: string;
  readonly labels?: Labels;
  /** Labels of the VMI's namespace (for MigrationPolicy namespace selectors). */
  readonly namespaceLabels?: Labels;
}

/** How the single-migration model's run of one VMIM ended, as the controller reads it. */
export type VmimOutcome =
  | { readonly succeeded: true }
  | { readonly succeeded: false; readonly reason: string };

/** Handed to the single-migration model so it can report TargetReady and Running as they happen. */
export interface MigrationProgress {
  phase(phase: ReportedPhase): void;
}

/** The world the controller acts on, injected. */
export interface MigrationHooks<V extends MigratableVmi> {
  /**
   * The kube-scheduler's choice of a target node for the target pod (capacity, affinity), or
   * undefined while the pod is unschedulable. Never the source node. No inbound limit applies.
   */
  chooseTarget(vmi: V, sourceNode: string): string | undefined;
  /** Target pod scheduled → Ready (image pull, launcher start). Immediate when absent. */
  startTargetPod?(vmi: V, targetNode: string): Event<unknown>;
  /**
   * One live migration from PreparingTarget to its end: the single-migration model. It may report
   * TargetReady and Running through `progress`; missing ones are filled in on success.
   */
  runMigration(
    vmi: V,
    sourceNode: string,
    targetNode: string,
    config: ResolvedMigrationConfig,
    progress: MigrationProgress,
  ): Event<VmimOutcome>;
  /** Called once a migration is final, before its `done` event (release capacity, move the VMI). */
  onFinished?(migration: Migration<V>): void;
}

/** What creating a VMIM asks for. */
export interface VmimRequest {
  readonly origin: MigrationOrigin;
  /** Queue priority (QUEUE_PRIORITY); user VMIMs default to 0. */
  readonly priority?: number;
}

/** A final VMIM: Succeeded or Failed, and where the VMI ended up. */
export interface VmimResult {
  readonly succeeded: boolean;
  readonly reason?: string;
  readonly sourceNode: string;
  readonly targetNode?: string;
}

/** One VirtualMachineInstanceMigration. */
export interface Migration<V extends MigratableVmi> {
  readonly id: string;
  readonly vmi: V;
  readonly origin: MigrationOrigin;
  readonly priority: number;
  readonly sourceNode: string;
  readonly createdAtSeconds: number;
  readonly phase: VmimPhase;
  readonly targetNode: string | undefined;
  readonly config: ResolvedMigrationConfig | undefined;
  readonly failureReason: string | undefined;
  /** Succeeds with the result when the migration is final. */
  readonly done: Event<VmimResult>;
}

export interface MigrationControllerOptions<V extends MigratableVmi> {
  readonly config: ClusterMigrationConfig;
  readonly policies?: readonly MigrationPolicy[];
  readonly hooks: MigrationHooks<V>;
  /** Selects the release's requeue delays and queue (latest by default). */
  readonly kubevirtVersion?: string;
  /** Feature gate MigrationPriorityQueue explicitly enabled (matters for v1.7 and v1.8). */
  readonly priorityQueueGate?: boolean;
  /** Overrides of single timing values. */
  readonly timing?: Partial<MigrationControllerTiming>;
  /** Bound on the syncs of one Pending VMIM (a simulator limit, not upstream). */
  readonly maxPendingSyncs?: number;
}

type MutableMigration<V extends MigratableVmi> = {
  -readonly [K in keyof Migration<V>]: Migration<V>[K];
};

/**
 * The virt-controller migration controller on the kernel
 * (`kubevirt/kubevirt:pkg/virt-controller/watch/migration/migration.go`):
 * - a VMIM starts Pending; each sync first applies the evacuation backoff, then admission
 *   (`handleTargetPodCreation`): refused ones stay Pending and are requeued after 1/3/5 s by priority;
 * - admitted ones create the target pod and hold a slot from then until Succeeded or Failed;
 * - Scheduling → Scheduled when the target pod is Ready; the migration config is resolved (policy
 *   over cluster) at handoff; PreparingTarget → TargetReady → Running as the model reports;
 * - when one finishes, the top parallelMigrationsPerCluster Pending VMIMs by priority are re-enqueued
 *   at once (`reEnqueueHighestPriorityPendingMigrations`).
 */
export class MigrationController<V extends MigratableVmi> {
  readonly config: ClusterMigrationConfig;
  readonly timing: MigrationControllerTiming;
  private readonly policies: readonly MigrationPolicy[];
  private readonly hooks: MigrationHooks<V>;
  private changeWaiters: Event<void>[] = [];
  private readonly maxPendingSyncs: number;
  /** Unfinished migrations in creation order. */
  private readonly active: MutableMigration<V>[] = [];
  private readonly wakers = new Map<string, Event<void>>();
  private readonly nodes = new Map<string, string>();
  private readonly history = new Map<string, FinishedMigration[]>();
  private sequence = 0;

  private readonly record: Recorder<'kubevirt'>;
  constructor(
    readonly sim: Simulation,
    options: MigrationControllerOptions<V>,
  ) {
    this.record = new Recorder(sim, 'kubevirt');
    this.config = options.config;
    this.policies = options.policies ?? [];
    this.hooks = options.hooks;
    this.timing = {
      ...migrationControllerTiming(options.kubevirtVersion, { priorityQueueGate: options.priorityQueueGate }),
      ...options.timing,
    };
    this.maxPendingSyncs =
      options.maxPendingSyncs ?? CONTROLLER_SIMULATOR_LIMITS.maxSyncsPerPendingVmim.value;
  }

  /** The node a VMI runs on now, as far as migrations moved it. */
  nodeOf(vmi: V): string {
    return this.nodes.get(vmiKey(vmi)) ?? vmi.nodeName;
  }

  /** The unfinished migration of a VMI, if any. */
  activeMigrationFor(vmi: V): Migration<V> | undefined {
    const key = vmiKey(vmi);
    return this.active.find((m) => vmiKey(m.vmi) === key);
  }

  /** Unfinished migrations in creation order. */
  get migrations(): readonly Migration<V>[] {
    return this.active;
  }

  /** Succeeds at the next phase change of any migration (what informers tell other controllers). */
  nextChange(): Event<void> {
    const event = this.sim.event<void>();
    this.changeWaiters.push(event);
    return event;
  }

  /** Migrations holding a slot now. */
  get runningCount(): number {
    return this.active.filter((m) => holdsSlot(m.phase)).length;
  }

  /**
   * Creates a VMIM. The create webhook denies a second in-flight migration of the same VMI, so that
   * is an error here; callers check `activeMigrationFor` first.
   */
  create(vmi: V, request: VmimRequest): Migration<V> {
    if (this.activeMigrationFor(vmi) !== undefined) {
      throw new Error(`VMI ${vmiKey(vmi)} already has an in-flight migration`);
    }
    const sim = this.sim;
    const migration: MutableMigration<V> = {
      id: `vmim-${++this.sequence}`,
      vmi,
      origin: request.origin,
      priority: request.priority ?? QUEUE_PRIORITY.default.value,
      sourceNode: this.nodeOf(vmi),
      createdAtSeconds: sim.now,
      phase: 'Pending',
      targetNode: undefined,
      config: undefined,
      failureReason: undefined,
      done: sim.event<VmimResult>(),
    };
    this.active.push(migration);
    this.record.emit('migration.created', {
      migration: migration.id,
      vmi: vmiKey(vmi),
      origin: migration.origin,
      priority: migration.priority,
      sourceNode: migration.sourceNode,
    });
    this.emitPhase(migration);
    sim.process(this.lifecycle(migration), `migration ${migration.id} ${vmiKey(vmi)}`);
    return migration;
  }

  private *lifecycle(m: MutableMigration<V>): ProcessGenerator<void> {
    const admitted = yield* this.waitForAdmission(m);
    if (!admitted) return;
    this.setPhase(m, 'Scheduling');
    const podCreatedAtSeconds = this.sim.now;
    const target = yield* this.scheduleTarget(m);
    if (target === undefined) return;
    m.targetNode = target;
    if (this.hooks.startTargetPod !== undefined) {
      // handlePendingPodTimeout: a target pod still Pending this long after creation is deleted.
      const limit = this.timing.catchAllPendingTimeoutSeconds;
      const left = Math.max(0, podCreatedAtSeconds + limit - this.sim.now);
      const first = yield this.sim.anyOf([this.hooks.startTargetPod(m.vmi, target), this.sim.timeout(left)]);
      if (first.index === 1) {
        this.finish(m, `target pod pending: catch-all timeout (${limit} s) exceeded`);
        return;
      }
    }
    this.setPhase(m, 'Scheduled');
    const policy = matchPolicy(this.policies, m.vmi.labels, m.vmi.namespaceLabels);
    m.config = resolveMigrationConfig(this.config, policy);
    this.setPhase(m, 'PreparingTarget');
    const progress: MigrationProgress = { phase: (phase) => this.report(m, phase) };
    const outcome: VmimOutcome = yield this.hooks.runMigration(
      m.vmi,
      m.sourceNode,
      target,
      m.config,
      progress,
    );
    if (!outcome.succeeded) {
      this.finish(m, outcome.reason);
      return;
    }
    if (m.phase === 'PreparingTarget') this.setPhase(m, 'TargetReady');
    if (m.phase === 'TargetReady') this.setPhase(m, 'Running');
    this.finish(m, undefined);
  }

  /** Pending: backoff, then admission; true once the target pod may be created. */
  private *waitForAdmission(m: MutableMigration<V>): Generator<Event<any>, boolean, any> {
    const key = vmiKey(m.vmi);
    for (let sync = 1; ; sync++) {
      if (sync > this.maxPendingSyncs) {
        this.finish(m, `simulator limit: more than ${this.maxPendingSyncs} syncs while Pending`);
        return false;
      }
      const backoff = migrationBackoff(m.origin, this.history.get(key) ?? [], this.sim.now, this.timing);
      if (backoff.remainingSeconds > 0) {
        this.record.emit('evacuation.retry', {
          migration: m.id,
          vmi: key,
          consecutiveFailures: backoff.consecutiveFailures,
          backoffSeconds: backoff.backoffSeconds,
          waitSeconds: backoff.remainingSeconds,
        });
        yield* this.sleepPending(m, backoff.remainingSeconds);
        continue;
      }
      const holders = this.active.filter((h) => holdsSlot(h.phase));
      const verdict = admit(m.sourceNode, m.priority, holders, this.config, this.timing);
      if (verdict.admitted) return true;
      this.record.emit('migration.queued', {
        migration: m.id,
        vmi: key,
        reason: verdict.reason,
        delaySeconds: verdict.delaySeconds,
        running: holders.length,
        outboundFromSource: holders.filter((h) => h.sourceNode === m.sourceNode).length,
      });
      yield* this.sleepPending(m, verdict.delaySeconds);
    }
  }

  /** Waits for the requeue delay or an earlier re-enqueue, whichever comes first. */
  private *sleepPending(m: MutableMigration<V>, delaySeconds: number): Generator<Event<any>, void, any> {
    const wake = this.sim.event<void>();
    this.wakers.set(m.id, wake);
    yield this.sim.anyOf([this.sim.timeout(delaySeconds), wake]);
    this.wakers.delete(m.id);
  }

  /**
   * Scheduling: asks the scheduler until it places the target pod; an unschedulable pod fails the
   * migration after unschedulablePendingTimeoutSeconds (`handlePendingPodTimeout`).
   */
  private *scheduleTarget(m: MutableMigration<V>): Generator<Event<any>, string | undefined, any> {
    const limit = this.timing.unschedulablePendingTimeoutSeconds;
    let pendingSeconds = 0;
    for (;;) {
      const target = this.hooks.chooseTarget(m.vmi, m.sourceNode);
      if (target !== undefined) {
        if (target === m.sourceNode) throw new Error(`chooseTarget returned the source node ${target}`);
        return target;
      }
      if (pendingSeconds >= limit) {
        this.finish(m, `unschedulable target pod: pending timeout (${limit} s) exceeded`);
        return undefined;
      }
      this.record.emit('migration.unschedulable', { migration: m.id, vmi: vmiKey(m.vmi), pendingSeconds });
      const step = Math.min(this.timing.schedulerRetrySeconds, limit - pendingSeconds);
      yield this.sim.timeout(step);
      pendingSeconds += step;
    }
  }

  private report(m: MutableMigration<V>, phase: ReportedPhase): void {
    if (isFinalPhase(m.phase)) throw new Error(`${m.id}: ${phase} reported after ${m.phase}`);
    if (PHASE_ORDER.indexOf(phase) <= PHASE_ORDER.indexOf(m.phase)) {
      throw new Error(`${m.id}: ${phase} reported in phase ${m.phase}`);
    }
    if (phase === 'Running' && m.phase === 'PreparingTarget') this.setPhase(m, 'TargetReady');
    this.setPhase(m, phase);
  }

  private finish(m: MutableMigration<V>, failureReason: string | undefined): void {
    const succeeded = failureReason === undefined;
    m.failureReason = failureReason;
    this.setPhase(m, succeeded ? 'Succeeded' : 'Failed', failureReason);
    this.active.splice(this.active.indexOf(m), 1);
    const key = vmiKey(m.vmi);
    if (succeeded && m.targetNode !== undefined) this.nodes.set(key, m.targetNode);
    const kept = this.history.get(key) ?? [];
    kept.push({ origin: m.origin, succeeded, finishedAtSeconds: this.sim.now });
    if (kept.length > this.timing.finalizedMigrationsKept)
      kept.splice(0, kept.length - this.timing.finalizedMigrationsKept);
    this.history.set(key, kept);
    this.hooks.onFinished?.(m);
    m.done.succeed({ succeeded, reason: failureReason, sourceNode: m.sourceNode, targetNode: m.targetNode });
    if (this.timing.priorityQueue) this.reEnqueuePending();
  }

  /**
   * `reEnqueueHighestPriorityPendingMigrations`: the first parallelMigrationsPerCluster Pending VMIMs
   * by priority are synced now. Upstream leaves the order of equal priorities open; here it is
   * creation order, so runs are deterministic.
   */
  private reEnqueuePending(): void {
    const pending = this.active
      .filter((m) => m.phase === 'Pending')
      .sort((a, b) => b.priority - a.priority || seq(a) - seq(b));
    const count = Math.min(pending.length, this.config.parallelMigrationsPerCluster);
    for (let i = 0; i < count; i++) {
      const wake = this.wakers.get(pending[i].id);
      if (wake !== undefined && !wake.triggered) wake.succeed();
    }
  }

  private setPhase(m: MutableMigration<V>, phase: VmimPhase, reason?: string): void {
    m.phase = phase;
    this.emitPhase(m, reason);
    if (this.changeWaiters.length > 0) {
      const waiters = this.changeWaiters;
      this.changeWaiters = [];
      for (const waiter of waiters) waiter.succeed();
    }
  }

  private emitPhase(m: Migration<V>, reason?: string): void {
    if (!this.record.enabled) return;
    const data: KubevirtControllerRecordData['migration.phase'] = {
      migration: m.id,
      vmi: vmiKey(m.vmi),
      phase: m.phase,
      sourceNode: m.sourceNode,
    };
    if (m.targetNode !== undefined) data.targetNode = m.targetNode;
    if (reason !== undefined) data.reason = reason;
    if (m.phase === 'PreparingTarget' && m.config?.policyName !== undefined)
      data.policy = m.config.policyName;
    this.record.emit('migration.phase', data);
  }
}

/** `namespace/name`, the key of a VMI everywhere in the controllers. */
export function vmiKey(vmi: { readonly namespace: string; readonly name: string }): string {
  return `${vmi.namespace}/${vmi.name}`;
}

function seq(m: Migration<MigratableVmi>): number {
  return Number(m.id.slice('vmim-'.length));
}
