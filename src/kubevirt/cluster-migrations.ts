import type { Event, Simulation } from '../../sim/index.ts';
import type { Fabric } from '../cluster/fabric.ts';
import type { ShutdownMode, WorldObserver } from '../cluster/observer.ts';
import {
  MaintenanceController,
  type MaintenanceResult,
  type MaintenanceVmi,
} from '../harvester/maintenance-mode.ts';
import type { Scenario, ScenarioVm, ScenarioVolume, VmRef } from '../scenario/types.ts';
import { Recorder } from '../trace/recorder.ts';
import { EvacuationController } from './controller/evacuation.ts';
import { MigrationController, type VmimOutcome } from './controller/migration-controller.ts';
import { QEMU_MIGRATION_DEFAULTS } from './defaults.ts';
import { liveMigrationCondition } from './eviction/live-migratable.ts';
import { measuredGuestGeometry } from './migration/guest-geometry.ts';
import {
  defaultMigrationProfile,
  defaultMigrationSettings,
  type GuestWorkload,
  type LiveMigrationRequest,
} from './migration/migration-request.ts';
import { type MigrationRun, startMigration } from './migration/migration-run.ts';
import type { ResolvedMigrationConfig } from './policy/types.ts';
import { vmKey } from './vm-lifecycle/vm-key.ts';

const PAGE_BYTES = QEMU_MIGRATION_DEFAULTS.pageSizeBytes.value;

/** A VMI as the migration and maintenance controllers see it, built fresh from the world. */
export interface WorldVmi extends MaintenanceVmi {
  readonly ref: VmRef;
}

/** What the migrations need of the world (injected to keep the world and this file apart). */
export interface MigrationWorld {
  readonly sim: Simulation;
  readonly scenario: Scenario;
  readonly fabric: Fabric;
  /** Running, not lost, VMIs on a node. */
  runningOn(node: string): readonly VmRef[];
  nodeOf(vm: VmRef): string | null;
  /** The scheduler's choice for the target pod, never `exclude`. */
  placeTarget(vm: VmRef, exclude: string): string | null;
  stop(vm: VmRef, graceSeconds: number | undefined): Event<unknown>;
  start(vm: VmRef): void;
  cordon(node: string, cordoned: boolean): void;
  /** A maintenance drain finished evicting the node's pods. */
  drained(node: string): void;
  migrated(vm: VmRef, to: string): void;
}

/**
 * Live migration in the cluster: KubeVirt's migration controller (admission, queues, policies),
 * its evacuation controller and Harvester's maintenance mode (src/kubevirt/controller/), each
 * migration run by the single-migration model (src/kubevirt/migration/) as a stream over the
 * management network between the two nodes, sharing it with everything else that flows there.
 */
export class ClusterMigrations implements WorldObserver {
  readonly controller: MigrationController<WorldVmi>;
  readonly evacuation: EvacuationController<WorldVmi>;
  readonly maintenance: MaintenanceController<WorldVmi>;
  /** A target asked for by a `vm.migrate` step, by VM key. */
  private readonly requestedTargets = new Map<string, string>();
  private readonly running = new Map<string, { run: MigrationRun; source: string; target: string }>();
  private readonly record: Recorder<'kubevirt'>;
  private readonly specs: Map<string, ScenarioVm>;
  private volumes: Map<string, ScenarioVolume> | null = null;

  constructor(private readonly world: MigrationWorld) {
    const { sim, scenario } = world;
    this.record = new Recorder(sim, 'kubevirt');
    this.specs = new Map(scenario.vms.map((vm) => [vmKey(vm), vm]));
    const kubevirtVersion = scenario.profile.components.kubevirt;
    this.controller = new MigrationController<WorldVmi>(sim, {
      config: scenario.settings.kubevirtMigrations,
      kubevirtVersion,
      hooks: {
        chooseTarget: (vmi, source) => this.chooseTarget(vmi, source) ?? undefined,
        runMigration: (vmi, source, target, config, progress) => {
          progress.phase('Running');
          return this.run(vmi, source, target, config);
        },
      },
    });
    this.evacuation = new EvacuationController(sim, this.controller);
    this.maintenance = new MaintenanceController(
      sim,
      {
        vmisOnNode: (node) => world.runningOn(node).map((ref) => this.vmi(ref, node)),
        stopVm: (vmi, grace) => world.stop(vmi.ref, grace),
        startVm: (vmi) => world.start(vmi.ref),
        cordon: (node) => world.cordon(node, true),
        drained: (node) => world.drained(node),
      },
      this.evacuation,
    );
  }

  /** `vm.migrate`: a VirtualMachineInstanceMigration for each VM; `target` as a node selector. */
  migrate(vms: readonly VmRef[], target: string | null): Event<unknown>[] {
    const done: Event<unknown>[] = [];
    for (const ref of vms) {
      const node = this.world.nodeOf(ref);
      if (node === null) continue;
      if (target !== null) this.requestedTargets.set(vmKey(ref), target);
      done.push(this.controller.create(this.vmi(ref, node), { origin: 'user' }).done);
    }
    return done;
  }

  /** `node.maintenance` enable: Harvester's maintenance mode; the result is also a trace record. */
  enableMaintenance(node: string): Event<MaintenanceResult> {
    const started = this.world.sim.now;
    const result = this.maintenance.enable(node);
    result.addCallback(() => {
      const r = result.value;
      this.record.emit('maintenance.result', {
        node,
        outcome: r.outcome,
        seconds: this.world.sim.now - started,
        message: r.outcome === 'blocked' ? r.message : r.outcome,
        vmis: r.outcome === 'blocked' ? [...r.vmis] : [],
      });
    });
    return result;
  }

  disableMaintenance(node: string): void {
    this.world.cordon(node, false);
  }

  /** A node that loses power fails the migrations it takes part in (post-copy ones lose the VM). */
  nodePoweredOff(node: string, _mode: ShutdownMode): void {
    for (const { run, source, target } of this.running.values()) {
      if (source === node) run.failNode('source');
      else if (target === node) run.failNode('target');
    }
  }

  private chooseTarget(vmi: WorldVmi, source: string): string | null {
    const key = vmKey(vmi.ref);
    const wanted = this.requestedTargets.get(key);
    if (wanted !== undefined) return wanted === source ? null : wanted;
    return this.world.placeTarget(vmi.ref, source);
  }

  private run(
    vmi: WorldVmi,
    source: string,
    target: string,
    config: ResolvedMigrationConfig,
  ): Event<VmimOutcome> {
    const { sim, fabric } = this.world;
    const request = this.request(vmi.ref, config);
    // Harvester's vm-migration-network when set, else the management network (Fabric.path falls back).
    const run = startMigration(sim, fabric.net, request, fabric.path(source, target, 'migration'));
    const key = vmKey(vmi.ref);
    this.running.set(key, { run, source, target });
    const outcome = sim.event<VmimOutcome>();
    run.process.addCallback(() => {
      this.running.delete(key);
      this.requestedTargets.delete(key);
      const result = run.process.value;
      if (result.vmRunsOn === 'target') this.world.migrated(vmi.ref, target);
      const postCopySeconds =
        result.postCopyStartSeconds === null ? 0 : result.migrationSeconds - result.postCopyStartSeconds;
      this.record.emit('migration.finished', {
        vm: key,
        source,
        target,
        outcome: result.outcome,
        reason: result.reason,
        seconds: result.totalSeconds,
        downtimeMs: result.downtimeMs,
        passes: result.passes.length,
        iterations: result.iterations,
        transferredBytes: result.transferredBytes,
        maxThrottlePercent: result.maxThrottlePercent,
        postCopySeconds,
        policy: config.policyName ?? null,
      });
      outcome.succeed(
        result.vmRunsOn === 'target'
          ? { succeeded: true }
          : { succeeded: false, reason: `${result.outcome}: ${result.reason}` },
      );
    });
    return outcome;
  }

  /** The single-migration request for a scenario VM under the resolved migration config. */
  private request(ref: VmRef, config: ResolvedMigrationConfig): LiveMigrationRequest {
    const spec = this.specs.get(vmKey(ref)) as ScenarioVm;
    // The VM as a guest (scenario `guest`): touched memory (the rest are zero pages), working set,
    // dirty rate, and the hot set, measured (guest-geometry.ts) unless the scenario gives one; the
    // same request `harvester-sim migrate` builds. A CPU-bound writer under auto-converge.
    const touched = Math.min(spec.guest.touchedMemoryBytes ?? spec.memoryBytes, spec.memoryBytes);
    const workingSet = Math.min(spec.guest.workingSetBytes, touched);
    const geometry = measuredGuestGeometry(workingSet);
    const guest: GuestWorkload = {
      memoryBytes: spec.memoryBytes,
      usedMemoryBytes: touched,
      workingSetBytes: workingSet,
      dirtyPagesPerSecond: spec.guest.dirtyRateBytesPerSecond / PAGE_BYTES,
      throttleCatchUpMs: 0,
      blockMigrationDiskBytes: 0,
      ...geometry,
      ...(spec.guest.hotSetBytes === null || spec.guest.hotSetBytes === undefined
        ? {}
        : { hotSetPages: spec.guest.hotSetBytes / PAGE_BYTES }),
    };
    const defaults = defaultMigrationSettings(this.world.scenario.profile.components.kubevirt);
    return {
      name: vmKey(ref),
      guest,
      settings: {
        ...defaults,
        bandwidthPerMigrationBytesPerSecond: config.bandwidthPerMigrationBytesPerSecond,
        completionTimeoutPerGiBSeconds: config.completionTimeoutPerGiBSeconds,
        progressTimeoutSeconds: config.progressTimeoutSeconds,
        allowAutoConverge: config.allowAutoConverge,
        allowPostCopy: config.allowPostCopy,
        allowWorkloadDisruption: config.allowWorkloadDisruption,
      },
      profile: defaultMigrationProfile(),
      postCopyAfterPass: null,
      cancelAfterSeconds: null,
    };
  }

  /** The scenario's first volume of that namespace and name (a map built once, not a scan per VMI). */
  private volumeOf(namespace: string, name: string): ScenarioVolume | undefined {
    if (this.volumes === null) {
      this.volumes = new Map();
      for (const v of this.world.scenario.volumes) {
        const key = `${v.namespace}/${v.name}`;
        if (!this.volumes.has(key)) this.volumes.set(key, v);
      }
    }
    return this.volumes.get(`${namespace}/${name}`);
  }

  private vmi(ref: VmRef, node: string): WorldVmi {
    const spec = this.specs.get(vmKey(ref)) as ScenarioVm;
    const volumes = spec.volumeNames.map((name) => {
      const volume = this.volumeOf(spec.namespace, name);
      return {
        name,
        kind: 'persistentVolumeClaim' as const,
        claimName: name,
        accessModes: volume === undefined ? undefined : [volume.accessMode],
      };
    });
    const condition = liveMigrationCondition({ volumes });
    return {
      ref,
      namespace: spec.namespace,
      name: spec.name,
      nodeName: node,
      labels: spec.labels,
      evictionStrategy: spec.evictionStrategy,
      liveMigratable: condition.liveMigratable,
      ...(condition.liveMigratable ? {} : { notMigratableReason: condition.reason }),
    };
  }
}
