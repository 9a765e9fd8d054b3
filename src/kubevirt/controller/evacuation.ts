import type { Event, ProcessGenerator, Simulation } from '../../../sim/index.ts';
import type { EvictionStrategy } from '../../profiles/types.ts';
import { Recorder } from '../../trace/recorder.ts';
import { effectiveEvictionStrategy, migratableOnEviction } from '../eviction/eviction-strategy.ts';
import { CONTROLLER_SIMULATOR_LIMITS, MIGRATION_CONTROLLER_CONSTANTS, QUEUE_PRIORITY } from './defaults.ts';
import { type MigratableVmi, type MigrationController, vmiKey } from './migration-controller.ts';
import { holdsSlot } from './phases.ts';

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

interface Marked<V> {
  readonly vmi: V;
  readonly node: string;
  readonly descheduler: boolean;
  attempts: number;
  readonly done: Event<EvacuationResult>;
}

/**
 * The evacuation controller (`kubevirt/kubevirt:pkg/virt-controller/watch/drain/evacuation/
 * evacuation.go`, `sync`), one sync loop per node, run on every migration change (the informers):
 * - candidates: VMIs marked for eviction (`status.evacuationNodeName` = their node) that are
 *   migratable on eviction, LiveMigratable, and have no unfinished VMIM;
 * - with the priority queue (v1.9 default): a VMIM for every candidate at once, priority
 *   system-critical (system-maintenance if the descheduler evicted); the migration controller throttles;
 * - without it (≤ v1.8 default, all Harvester releases so far): only
 *   min(cluster limit − running, per-node limit − running from this node) VMIMs per sync; no free
 *   slot → resync after 5 s. "Running" means past Pending (`IsRunning`), so syncs that run before
 *   the migration controller admits their VMIMs (several nodes at one instant) create too many;
 *   admission still holds the limits and the excess waits Pending;
 * - a failed VMIM leaves the VMI marked, so a new VMIM follows; the migration controller's backoff
 *   (20 s doubling) delays it.
 */
export class EvacuationController<V extends EvacuableVmi> {
  private readonly marked = new Map<string, Marked<V>>();
  private readonly nodeLoops = new Set<string>();
  private readonly clusterStrategy: EvictionStrategy | undefined;
  private readonly maxAttempts: number;

  private readonly record: Recorder<'kubevirt'>;
  constructor(
    readonly sim: Simulation,
    private readonly migrations: MigrationController<V>,
    options: EvacuationOptions = {},
  ) {
    this.record = new Recorder(sim, 'kubevirt');
    this.clusterStrategy = options.clusterEvictionStrategy;
    this.maxAttempts = options.maxAttemptsPerVmi ?? CONTROLLER_SIMULATOR_LIMITS.maxVmimsPerEvacuation.value;
  }

  /** Whether the VMI is marked and not yet off its node. */
  isEvacuating(vmi: V): boolean {
    return this.marked.has(vmiKey(vmi));
  }

  /**
   * The eviction webhook marked the VMI: move it off its node. Marking it again while it is marked
   * returns the same evacuation.
   */
  evacuate(vmi: V, options: { descheduler?: boolean } = {}): Event<EvacuationResult> {
    const key = vmiKey(vmi);
    const existing = this.marked.get(key);
    if (existing !== undefined) return existing.done;
    const node = this.migrations.nodeOf(vmi);
    const done = this.sim.event<EvacuationResult>();
    const strategy = effectiveEvictionStrategy(vmi.evictionStrategy, this.clusterStrategy);
    const skip = !migratableOnEviction(strategy, vmi.liveMigratable)
      ? `evictionStrategy ${strategy} does not migrate this VMI`
      : !vmi.liveMigratable
        ? 'VMI is not live-migratable'
        : undefined;
    if (skip !== undefined) {
      this.record.emit('evacuation.skipped', { vmi: key, node, reason: skip });
      return done.succeed({ evacuated: false, reason: skip, attempts: 0 });
    }
    const descheduler = options.descheduler ?? false;
    this.marked.set(key, { vmi, node, descheduler, attempts: 0, done });
    this.record.emit('evacuation.started', { vmi: key, node, descheduler });
    if (!this.nodeLoops.has(node)) {
      this.nodeLoops.add(node);
      this.sim.process(this.syncLoop(node), `evacuation ${node}`);
    }
    return done;
  }

  private *syncLoop(node: string): ProcessGenerator<void> {
    for (;;) {
      const entries = this.settle(node);
      if (entries.length === 0) {
        this.nodeLoops.delete(node);
        return;
      }
      const candidates = entries.filter((e) => this.migrations.activeMigrationFor(e.vmi) === undefined);
      const spots = this.migrations.timing.priorityQueue ? candidates.length : this.freeSpots(node);
      for (const entry of candidates.slice(0, Math.max(0, spots))) {
        entry.attempts++;
        const priority = entry.descheduler
          ? QUEUE_PRIORITY.systemMaintenance.value
          : QUEUE_PRIORITY.systemCritical.value;
        this.migrations.create(entry.vmi, { origin: 'evacuation', priority });
      }
      const change = this.migrations.nextChange();
      if (spots <= 0 && candidates.length > 0) {
        yield this.sim.anyOf([
          change,
          this.sim.timeout(MIGRATION_CONTROLLER_CONSTANTS.evacuationNoSpotRequeueSeconds.value),
        ]);
      } else {
        yield change;
      }
    }
  }

  /** Resolves evacuations that are over; returns the node's remaining marked VMIs in mark order. */
  private settle(node: string): Marked<V>[] {
    const remaining: Marked<V>[] = [];
    for (const [key, entry] of this.marked) {
      if (entry.node !== node) continue;
      const now = this.migrations.nodeOf(entry.vmi);
      const active = this.migrations.activeMigrationFor(entry.vmi) !== undefined;
      if (now !== node) {
        this.marked.delete(key);
        this.record.emit('evacuation.done', {
          vmi: key,
          fromNode: node,
          toNode: now,
          attempts: entry.attempts,
        });
        entry.done.succeed({ evacuated: true, fromNode: node, toNode: now, attempts: entry.attempts });
      } else if (!active && entry.attempts >= this.maxAttempts) {
        this.marked.delete(key);
        this.record.emit('evacuation.gave-up', { vmi: key, node, attempts: entry.attempts });
        entry.done.succeed({
          evacuated: false,
          reason: `gave up after ${entry.attempts} migrations`,
          attempts: entry.attempts,
        });
      } else {
        remaining.push(entry);
      }
    }
    return remaining;
  }

  /** Pre-priority-queue throttle: free slots in the cluster and from this node. */
  private freeSpots(node: string): number {
    const running = this.migrations.migrations.filter((m) => holdsSlot(m.phase));
    const fromNode = running.filter((m) => m.sourceNode === node).length;
    const limits = this.migrations.config;
    return Math.min(
      limits.parallelMigrationsPerCluster - running.length,
      limits.parallelOutboundMigrationsPerNode - fromNode,
    );
  }
}
