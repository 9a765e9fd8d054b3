import type { Event, ProcessGenerator, Simulation } from '../../../sim/index.ts';
import {
  type EvictionStrategy,
  effectiveEvictionStrategy,
  migratableOnEviction,
} from '../eviction/eviction-strategy.ts';
import { QUEUE_PRIORITY } from './defaults.ts';
import { type MigratableVmi, type MigrationController, vmiKey } from './migration-controller.ts';
import {
  KUBEVIRT_SUBSYSTEM,
  type KubevirtControllerKind,
  type KubevirtControllerRecords,
} from './trace-records.ts';

/** A VMI as the evacuation path sees it. */
export interface EvacuableVmi extends MigratableVmi {
  /** `spec.evictionStrategy`; undefined falls back to the cluster's. */
  readonly evictionStrategy?: EvictionStrategy;
  /** The `LiveMigratable` condition is True. */
  readonly liveMigratable: boolean;
}

export type EvacuationResult =
  | {
      readonly evacuated: true;
      readonly fromNode: string;
      readonly toNode: string;
      readonly attempts: number;
    }
  | { readonly evacuated: false; readonly reason: string; readonly attempts: number };

export interface EvacuationOptions {
  /** `KubeVirt.spec.configuration.evictionStrategy`; absent = None. */
  readonly clusterEvictionStrategy?: EvictionStrategy;
  /** Bound on VMIMs per evacuation (a simulator limit: upstream retries for ever, backed off). */
  readonly maxAttemptsPerVmi?: number;
}

const DEFAULT_MAX_ATTEMPTS = 50;

/**
 * The evacuation controller with the priority queue on (v1.7+ default,
 * `kubevirt/kubevirt:pkg/virt-controller/watch/drain/evacuation/evacuation.go`, `sync`): every VMI
 * marked for eviction that is migratable on eviction and LiveMigratable gets a VMIM at once
 * (priority system-critical, system-maintenance if the descheduler asked); the migration controller
 * throttles them. When a VMIM fails and the VMI is still marked, a new one is created; the migration
 * controller applies the 20 s doubling backoff to it.
 */
export class EvacuationController<V extends EvacuableVmi> {
  private readonly inProgress = new Map<string, Event<EvacuationResult>>();
  private readonly clusterStrategy: EvictionStrategy | undefined;
  private readonly maxAttempts: number;

  constructor(
    readonly sim: Simulation,
    private readonly migrations: MigrationController<V>,
    options: EvacuationOptions = {},
  ) {
    this.clusterStrategy = options.clusterEvictionStrategy;
    this.maxAttempts = options.maxAttemptsPerVmi ?? DEFAULT_MAX_ATTEMPTS;
  }

  /** Whether the VMI is being evacuated now. */
  isEvacuating(vmi: V): boolean {
    return this.inProgress.has(vmiKey(vmi));
  }

  /**
   * The eviction webhook marked the VMI (`status.evacuationNodeName` = its node): move it off that
   * node. Marking it again while it moves returns the same evacuation.
   */
  evacuate(vmi: V, options: { descheduler?: boolean } = {}): Event<EvacuationResult> {
    const key = vmiKey(vmi);
    const running = this.inProgress.get(key);
    if (running !== undefined) return running;
    const process = this.sim.process(this.run(vmi, options.descheduler ?? false), `evacuation ${key}`);
    this.inProgress.set(key, process);
    return process;
  }

  private *run(vmi: V, descheduler: boolean): ProcessGenerator<EvacuationResult> {
    const key = vmiKey(vmi);
    const node = this.migrations.nodeOf(vmi);
    try {
      const strategy = effectiveEvictionStrategy(vmi.evictionStrategy, this.clusterStrategy);
      if (!migratableOnEviction(strategy, vmi.liveMigratable)) {
        return this.skip(key, node, `evictionStrategy ${strategy} does not migrate this VMI`);
      }
      if (!vmi.liveMigratable) return this.skip(key, node, 'VMI is not live-migratable');
      this.emit('evacuation.started', { vmi: key, node, descheduler });
      const priority = descheduler
        ? QUEUE_PRIORITY.systemMaintenance.value
        : QUEUE_PRIORITY.systemCritical.value;
      for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
        const existing = this.migrations.activeMigrationFor(vmi);
        const migration = existing ?? this.migrations.create(vmi, { origin: 'evacuation', priority });
        const result = yield migration.done;
        if (result.succeeded && this.migrations.nodeOf(vmi) !== node) {
          const toNode = this.migrations.nodeOf(vmi);
          this.emit('evacuation.done', { vmi: key, fromNode: node, toNode, attempts: attempt });
          return { evacuated: true, fromNode: node, toNode, attempts: attempt };
        }
      }
      this.emit('evacuation.gave-up', { vmi: key, node, attempts: this.maxAttempts });
      return {
        evacuated: false,
        reason: `gave up after ${this.maxAttempts} migrations`,
        attempts: this.maxAttempts,
      };
    } finally {
      this.inProgress.delete(key);
    }
  }

  private skip(vmi: string, node: string, reason: string): EvacuationResult {
    this.emit('evacuation.skipped', { vmi, node, reason });
    return { evacuated: false, reason, attempts: 0 };
  }

  private emit<K extends KubevirtControllerKind>(kind: K, data: KubevirtControllerRecords[K]): void {
    if (this.sim.trace.enabled) this.sim.trace.emit(KUBEVIRT_SUBSYSTEM, kind, data);
  }
}
