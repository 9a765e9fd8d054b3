/**
 * TEST DOUBLE, not a model: a tiny cluster where every live migration takes a fixed time, so the
 * controllers' queueing can be tested alone. The real single-migration model plugs into the same
 * `runMigration` hook.
 */
import type { Event, Simulation, TraceRecord } from '../../../sim/index.ts';
import type { MaintenanceVmi, MaintenanceWorld } from '../../../src/harvester/maintenance-mode.ts';
import type {
  Migration,
  MigrationHooks,
  VmimOutcome,
} from '../../../src/kubevirt/controller/migration-controller.ts';
import { vmiKey } from '../../../src/kubevirt/controller/migration-controller.ts';
import type { ResolvedMigrationConfig } from '../../../src/kubevirt/policy/types.ts';

export type TestVmi = MaintenanceVmi;

export function testVmi(name: string, nodeName: string, extra: Partial<TestVmi> = {}): TestVmi {
  return {
    namespace: 'default',
    name,
    nodeName,
    liveMigratable: true,
    evictionStrategy: 'LiveMigrate',
    ...extra,
  };
}

export interface FixedDurationOptions {
  readonly nodes: readonly string[];
  /** Seconds from PreparingTarget to the end of the migration. */
  readonly migrationSeconds: number | ((vmi: TestVmi) => number);
  /** Seconds from Scheduling to Scheduled. */
  readonly targetPodStartSeconds?: number;
  /** A failure reason for this attempt (1-based), or undefined for success. */
  readonly failure?: (vmi: TestVmi, attempt: number) => string | undefined;
  /** Seconds a stopped VM takes to leave the node. */
  readonly shutdownSeconds?: number;
}

/** A scheduler, a fixed-duration migration and VM stop/start over an in-memory VMI table. */
export class FixedDurationWorld {
  readonly where = new Map<string, string>();
  readonly cordoned = new Set<string>();
  readonly configs = new Map<string, ResolvedMigrationConfig>();
  readonly started: string[] = [];
  readonly stops: { vmi: string; graceSeconds: number | undefined }[] = [];
  private readonly inbound = new Map<string, number>();
  private readonly attempts = new Map<string, number>();

  constructor(
    readonly sim: Simulation,
    readonly vmis: readonly TestVmi[],
    private readonly options: FixedDurationOptions,
  ) {
    for (const vmi of vmis) this.where.set(vmiKey(vmi), vmi.nodeName);
  }

  readonly hooks: MigrationHooks<TestVmi> = {
    chooseTarget: (_vmi, source) => {
      const candidates = this.options.nodes.filter((n) => n !== source && !this.cordoned.has(n));
      if (candidates.length === 0) return undefined;
      const load = (n: string) => this.vmisOnNodeCount(n) + (this.inbound.get(n) ?? 0);
      const target = [...candidates].sort((a, b) => load(a) - load(b) || (a < b ? -1 : 1))[0];
      this.inbound.set(target, (this.inbound.get(target) ?? 0) + 1);
      return target;
    },
    startTargetPod: () => this.sim.timeout(this.options.targetPodStartSeconds ?? 0),
    runMigration: (vmi, _source, _target, config, progress) => {
      const key = vmiKey(vmi);
      const attempt = (this.attempts.get(key) ?? 0) + 1;
      this.attempts.set(key, attempt);
      this.configs.set(key, config);
      const seconds =
        typeof this.options.migrationSeconds === 'number'
          ? this.options.migrationSeconds
          : this.options.migrationSeconds(vmi);
      const reason = this.options.failure?.(vmi, attempt);
      const done = this.sim.event<VmimOutcome>();
      const sim = this.sim;
      sim.process(
        (function* () {
          progress.phase('TargetReady');
          progress.phase('Running');
          yield sim.timeout(seconds);
          done.succeed(reason === undefined ? { succeeded: true } : { succeeded: false, reason });
        })(),
        `test-double migration ${key}`,
      );
      return done;
    },
    onFinished: (m: Migration<TestVmi>) => {
      if (m.targetNode !== undefined)
        this.inbound.set(m.targetNode, (this.inbound.get(m.targetNode) ?? 1) - 1);
      if (m.phase === 'Succeeded' && m.targetNode !== undefined) this.where.set(vmiKey(m.vmi), m.targetNode);
    },
  };

  readonly world: MaintenanceWorld<TestVmi> = {
    vmisOnNode: (node) => this.vmis.filter((v) => this.where.get(vmiKey(v)) === node),
    stopVm: (vmi, graceSeconds): Event<unknown> => {
      this.stops.push({ vmi: vmiKey(vmi), graceSeconds });
      const sim = this.sim;
      const where = this.where;
      return sim.process(
        (function* (seconds: number) {
          yield sim.timeout(seconds);
          where.delete(vmiKey(vmi));
        })(this.options.shutdownSeconds ?? 30),
        `test-double stop ${vmiKey(vmi)}`,
      );
    },
    startVm: (vmi) => {
      this.started.push(vmiKey(vmi));
    },
    cordon: (node) => {
      this.cordoned.add(node);
    },
  };

  private vmisOnNodeCount(node: string): number {
    let n = 0;
    for (const where of this.where.values()) if (where === node) n++;
    return n;
  }
}

/** Largest number of slot holders seen, in the cluster and per source node, from the trace. */
export function peakConcurrency(records: readonly TraceRecord<string, any>[]): {
  cluster: number;
  perNode: Map<string, number>;
} {
  const holding = new Map<string, string>();
  let cluster = 0;
  const perNode = new Map<string, number>();
  for (const r of records) {
    if (r.subsystem !== 'kubevirt' || r.kind !== 'migration.phase') continue;
    const { migration, phase, sourceNode } = r.data;
    if (phase === 'Scheduling') holding.set(migration, sourceNode);
    if (phase === 'Succeeded' || phase === 'Failed') holding.delete(migration);
    cluster = Math.max(cluster, holding.size);
    let fromNode = 0;
    for (const node of holding.values()) if (node === sourceNode) fromNode++;
    perNode.set(sourceNode, Math.max(perNode.get(sourceNode) ?? 0, fromNode));
  }
  return { cluster, perNode };
}

export function recordsOf(
  records: readonly TraceRecord<string, any>[],
  kind: string,
): TraceRecord<string, any>[] {
  return records.filter((r) => r.subsystem === 'kubevirt' && r.kind === kind);
}
