import type { Event, Simulation } from '../../sim/index.ts';
import type { Fabric } from '../cluster/fabric.ts';
import type { ShutdownMode, WorldObserver } from '../cluster/observer.ts';
import { CONTROL_PLANE_COUNTS, NON_MIGRATABLE_KEYS } from '../harvester/maintenance-defaults.ts';
import {
  type DrainOptions,
  type DrainResult,
  MaintenanceController,
  type MaintenanceResult,
  type MaintenanceVmi,
} from '../harvester/maintenance-mode.ts';
import {
  evictionRefusal,
  PDB_VIOLATION_MESSAGE,
  type PodDisruptionBudget,
} from '../kube/pod-disruption-budget.ts';
import { instanceManagerPdbHold, type PdbVolumeView } from '../longhorn/instance-manager-pdb.ts';
import { drainPossibleRoles } from '../profiles/drain-possible.ts';
import { namespaceLabels } from '../scenario/normalize.ts';
import type { Scenario, ScenarioVm, ScenarioVolume, VmRef } from '../scenario/types.ts';
import type { PdbRefusal } from '../trace/kubevirt.ts';
import { Recorder } from '../trace/recorder.ts';
import { EvacuationController } from './controller/evacuation.ts';
import { MigrationController, type VmimOutcome } from './controller/migration-controller.ts';
import { MIGRATION_ENSEMBLE_DEFAULTS, QEMU_MIGRATION_DEFAULTS } from './defaults.ts';
import { effectiveEvictionStrategy } from './eviction/eviction-strategy.ts';
import { launcherPdbMinAvailable } from './eviction/launcher-pdb.ts';
import { liveMigrationCondition } from './eviction/live-migratable.ts';
import { writerGuestGeometry } from './guest-hot-set.ts';
import { measuredDirtyRateVariability, simulateMigrationRuns } from './migration/migration-ensemble.ts';
import {
  defaultMigrationProfile,
  defaultMigrationSettings,
  type GuestWorkload,
  type LiveMigrationRequest,
  type LiveMigrationResult,
} from './migration/migration-request.ts';
import { type MigrationRun, startMigration } from './migration/migration-run.ts';
import type { ResolvedMigrationConfig } from './policy/types.ts';
import { vmKey } from './vm-lifecycle/vm-key.ts';

const PAGE_BYTES = QEMU_MIGRATION_DEFAULTS.pageSizeBytes.value;

/** One live migration's job figures now (libvirt `virDomainGetJobStats`, as virt-handler reads them). */
export interface MigrationProgress {
  readonly source: string;
  readonly target: string;
  readonly dataRemainingBytes: number;
  readonly dataProcessedBytes: number;
  /** libvirt's `memory_dirty_rate` is in pages per second. */
  readonly dirtyPagesPerSecond: number;
  readonly memoryBytesPerSecond: number;
}

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
  /** The launcher pod was evicted: the guest stops within the grace, runStrategy decides what follows. */
  evict?(vm: VmRef, graceSeconds: number | undefined): Event<unknown>;
  /** Nodes holding a started (RW or WO, not failed) replica of a volume (`namespace/name`). */
  startedReplicaNodes?(volume: string): readonly string[];
  /** Ready and not cordoned: where a VMI could go (nodedrain `isNodeReady`). */
  readyAndSchedulable?(node: string): boolean;
  /** The node is cordoned (`spec.unschedulable`). */
  isCordoned?(node: string): boolean;
  /**
   * Longhorn volumes as the instance-manager budget of `node` sees them, in volume order: at least
   * every volume with its engine or a replica there. Absent: no Longhorn budget is modelled.
   */
  pdbVolumes?(node: string): readonly PdbVolumeView[];
  /** Running (its instance manager runs) and not cordoned. */
  schedulableForLonghorn?(node: string): boolean;
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
  /** Nodes with Harvester's maintain-status annotation (drained for maintenance, not yet disabled). */
  private readonly inMaintenance = new Set<string>();
  /**
   * VMIs by VM reference, for the node they were built on: what a VMI is made of (labels, volumes, the LiveMigratable condition)
   * does not change during a run, and the drain asks for the node's VMIs every second.
   */
  private readonly vmis = new WeakMap<VmRef, WorldVmi>();
  private volumes: Map<string, ScenarioVolume> | null = null;

  constructor(private readonly world: MigrationWorld) {
    const { sim, scenario } = world;
    this.record = new Recorder(sim, 'kubevirt');
    this.specs = new Map(scenario.vms.map((vm) => [vmKey(vm), vm]));
    const kubevirtVersion = scenario.profile.components.kubevirt;
    this.controller = new MigrationController<WorldVmi>(sim, {
      config: scenario.settings.kubevirtMigrations,
      policies: scenario.migrationPolicies,
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
        ...(world.evict === undefined
          ? {}
          : { evictVm: (vmi: WorldVmi, grace: number | undefined) => world.evict!(vmi.ref, grace) }),
        drainPossible: (node) => this.drainPossible(node),
        cordonRefused: (node) => this.cordonRefused(node),
        maintenanceStatus: (node, on) => {
          if (on) this.inMaintenance.add(node);
          else this.inMaintenance.delete(node);
        },
        extraNonMigratable: (node) => [...this.lastHealthyReplica(node), ...this.unschedulable(node)],
        launcherPdbRefusal: (vmi, terminating) => this.launcherPdbRefusal(vmi, terminating),
        ...(world.pdbVolumes === undefined || world.schedulableForLonghorn === undefined
          ? {}
          : { instanceManagerPdbRefusal: (node: string) => this.instanceManagerPdbRefusal(node) }),
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

  /**
   * What virt-handler on the source reads from the domain's migration job (libvirt job info) for a
   * VM migrating now, or null: the figures KubeVirt exports as `kubevirt_vmi_migration_*` metrics.
   */
  progress(ref: VmRef): MigrationProgress | null {
    const entry = this.running.get(vmKey(ref));
    if (entry === undefined || entry.run.finished) return null;
    const { run, source, target } = entry;
    return {
      source,
      target,
      dataRemainingBytes: run.dataRemainingBytes,
      dataProcessedBytes: run.dataProcessedBytes,
      dirtyPagesPerSecond: run.dirtyPagesPerSecond,
      memoryBytesPerSecond: run.transferBytesPerSecond,
    };
  }

  /** `node.drain`: kubectl drain (cordon, evictions through the webhook, grace, timeout). */
  drain(node: string, options: DrainOptions): Event<DrainResult> {
    return this.maintenance.kubectlDrain(node, options);
  }

  /** `node.maintenance` enable: Harvester's maintenance mode; the result is also a trace record. */
  enableMaintenance(node: string, forced = false): Event<MaintenanceResult> {
    const started = this.world.sim.now;
    const result = this.maintenance.enable(node, { forced });
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
    this.inMaintenance.delete(node);
    this.world.cordon(node, false);
  }

  /**
   * `drainhelper.DrainPossible` (harvester/harvester:pkg/util/drainhelper/helper.go): a node with
   * the control-plane or (from v1.3.0) etcd role may enter maintenance only if it is not the only
   * one, and only when exactly `defaultHACPCount` (3) such nodes are without the maintain-status
   * annotation. The roles counted per release: src/profiles/drain-possible.ts.
   */
  private drainPossible(node: string): string | null {
    const { scenario } = this.world;
    const counted: readonly string[] = drainPossibleRoles(scenario.harvesterVersion).value;
    const controlPlane = scenario.nodes.filter((n) => counted.includes(n.role)).map((n) => n.name);
    if (!controlPlane.includes(node)) return null;
    if (controlPlane.length === CONTROL_PLANE_COUNTS.single.value)
      return 'draining of this node is not possible: single controlplane cluster, cannot place controlplane in maintenance mode';
    const available = controlPlane.filter((n) => !this.inMaintenance.has(n)).length;
    if (available !== CONTROL_PLANE_COUNTS.highAvailability.value)
      return `draining of this node is not possible: another controlplane is already in maintenance mode, cannot place current node in maintenance mode (${available} of ${controlPlane.length} control-plane/etcd nodes available, ${CONTROL_PLANE_COUNTS.highAvailability.value} required)`;
    return null;
  }

  /**
   * Harvester's node webhook, `validateCordonAndMaintenanceMode` with `util.IsOtherNodeAvailable`
   * (harvester/harvester:pkg/webhook/resources/node/validator.go): cordoning a node that is not
   * cordoned yet is denied unless another node is neither cordoned nor in maintenance (powered
   * off or not, witness or not: only the annotation and `unschedulable` count).
   */
  private cordonRefused(node: string): string | null {
    const cordoned = this.world.isCordoned;
    if (cordoned === undefined || cordoned(node) || this.inMaintenance.has(node)) return null;
    const other = this.world.scenario.nodes.some(
      (n) => n.name !== node && !cordoned(n.name) && !this.inMaintenance.has(n.name),
    );
    return other
      ? null
      : "admission webhook denied the request: can't enable maintenance mode or cordon on the last available node";
  }

  /**
   * `listVolumeNames` + `listVMI` (nodedrain_controller.go): a volume with at most one started
   * replica, that one on this node, blocks maintenance for every running VM using it.
   */
  private lastHealthyReplica(node: string): { vmi: string; reason: string }[] {
    const replicaNodes = this.world.startedReplicaNodes;
    if (replicaNodes === undefined) return [];
    const found: { vmi: string; reason: string }[] = [];
    for (const volume of this.world.scenario.volumes) {
      if (volume.provisioner.kind !== 'longhorn') continue;
      const key = `${volume.namespace}/${volume.name}`;
      const started = replicaNodes(key);
      if (started.length > 1 || !started.includes(node)) continue;
      for (const spec of this.world.scenario.vms) {
        if (spec.namespace !== volume.namespace || !spec.volumeNames.includes(volume.name)) continue;
        if (this.world.nodeOf(spec) === null) continue;
        found.push({ vmi: vmKey(spec), reason: `${NON_MIGRATABLE_KEYS.lastHealthyReplica} (volume ${key})` });
      }
    }
    return found;
  }

  /**
   * `CheckVMISchedulingRequirements` (nodedrain_controller.go): a VMI on the node that no other
   * Ready, schedulable node could take. The scenario gives VMs no node affinity or selector, so
   * every other Ready, uncordoned node qualifies.
   */
  private unschedulable(node: string): { vmi: string; reason: string }[] {
    const ready = this.world.readyAndSchedulable;
    if (ready === undefined) return [];
    const others = this.world.scenario.nodes.some((n) => n.name !== node && ready(n.name));
    if (others) return [];
    return this.world
      .runningOn(node)
      .map((ref) => ({ vmi: vmKey(ref), reason: NON_MIGRATABLE_KEYS.schedulingRequirementsNotMet }));
  }

  /**
   * The budgets over a VM's launcher pod: KubeVirt's own (`launcher-pdb.ts`) and the scenario's
   * `podDisruptionBudgets` (matching the VM's labels), each counted over the running VMs' pods.
   */
  private launcherPdbRefusal(vmi: WorldVmi, terminating: ReadonlySet<string>): PdbRefusal | null {
    const { scenario } = this.world;
    const key = vmKey(vmi.ref);
    // As the maintenance controller resolves it (no cluster-wide strategy is passed to it).
    const strategy = effectiveEvictionStrategy(vmi.evictionStrategy, undefined);
    const own = launcherPdbMinAvailable(strategy, vmi.liveMigratable, this.running.has(key));
    const budgets: PodDisruptionBudget[] = [
      ...(own === null
        ? []
        : [
            {
              namespace: vmi.namespace,
              name: `kubevirt-disruption-budget (${vmi.name})`,
              matchLabels: { 'kubevirt.io/vm': key },
              minAvailable: own,
            },
          ]),
      ...scenario.podDisruptionBudgets,
    ];
    const podOf = (spec: ScenarioVm) => ({
      namespace: spec.namespace,
      labels: { ...spec.labels, 'kubevirt.io/vm': vmKey(spec) },
      healthy: this.world.nodeOf(spec) !== null && !terminating.has(vmKey(spec)),
    });
    const pods = scenario.vms.map(podOf);
    const refusal = evictionRefusal(budgets, podOf(this.specs.get(key)!), pods);
    return refusal === null
      ? null
      : {
          pod: `${vmi.namespace}/virt-launcher-${vmi.name}`,
          pdb: refusal.pdb,
          message: refusal.message,
          objects: [`vm/${key}`],
        };
  }

  /** Longhorn's instance-manager budget on the node, with the volume it protects. */
  private instanceManagerPdbRefusal(node: string): PdbRefusal | null {
    const hold = instanceManagerPdbHold(
      node,
      this.world.scenario.settings.longhorn.nodeDrainPolicy,
      this.world.pdbVolumes!(node),
      (n) => this.world.schedulableForLonghorn!(n),
    );
    return hold === null
      ? null
      : {
          pod: `longhorn-system/instance-manager (${node})`,
          pdb: hold.pdb,
          message: `${PDB_VIOLATION_MESSAGE} Volume ${hold.volume}: ${hold.reason}`,
          objects: [`volume/${hold.volume}`],
        };
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
    const path = fabric.path(source, target, 'migration');
    const run = startMigration(sim, fabric.net, request, path);
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
      const asked = this.world.scenario.migrationUncertainty;
      if (asked !== null) {
        const bottleneck = Math.min(...path.map((link) => link.capacityBytesPerSecond));
        this.recordUncertainty(key, request, result, bottleneck, asked.runs);
      }
      this.record.emit('migration.finished', {
        vm: key,
        source,
        target,
        outcome: result.outcome,
        reason: result.reason,
        seconds: result.totalSeconds,
        downtimeMs: result.downtimeMs,
        guestDowntimeMs: result.guestDowntimeMs,
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

  /**
   * `migrate --runs N` for a migration that just ended (scenario `migrationUncertainty`): its request run
   * alone N times, the dirty rate drawn from the measured variability, seeds from the migration's own
   * stream. Each draw runs on a link of the bandwidth this migration had: the path's bottleneck under a
   * rate limit (the limit paces the passes, the link only the bursts and the switch), else the mean
   * throughput of its pre-copy passes (its share of links it shared), at most the bottleneck.
   */
  private recordUncertainty(
    key: string,
    request: LiveMigrationRequest,
    result: LiveMigrationResult,
    bottleneckBytesPerSecond: number,
    runs: number,
  ): void {
    const precopy = result.passes.filter((p) => p.kind === 'pre-copy' && p.seconds > 0);
    const bytes = precopy.reduce((sum, p) => sum + p.bytes, 0);
    const seconds = precopy.reduce((sum, p) => sum + p.seconds, 0);
    const shared =
      request.settings.bandwidthPerMigrationBytesPerSecond > 0 || seconds === 0 || bytes === 0
        ? bottleneckBytesPerSecond
        : Math.min(bottleneckBytesPerSecond, bytes / seconds);
    const firstSeed = this.world.sim.rng
      .stream(`kubevirt.migration.uncertainty/${key}`)
      .integer(1, MIGRATION_ENSEMBLE_DEFAULTS.largestSeed.value);
    const ensemble = simulateMigrationRuns(
      request,
      { linkBytesPerSecond: shared },
      { runs, firstSeed, variability: measuredDirtyRateVariability() },
    );
    this.record.emit('migration.uncertainty', {
      vm: key,
      runs: ensemble.runs,
      firstSeed,
      linkBytesPerSecond: shared,
      completionProbability: ensemble.completionProbability,
      migrationSeconds: ensemble.migrationSeconds,
      iterations: ensemble.iterations,
      downtimeMs: ensemble.downtimeMs,
      knifeEdge: ensemble.knifeEdge,
    });
  }

  /** The single-migration request for a scenario VM under the resolved migration config. */
  private request(ref: VmRef, config: ResolvedMigrationConfig): LiveMigrationRequest {
    const spec = this.specs.get(vmKey(ref)) as ScenarioVm;
    // The VM as a guest (scenario `guest`): touched memory (the rest are zero pages), working set,
    // dirty rate, and the hot set, measured (guest-hot-set.ts) unless the scenario gives one; the
    // same request `harvester-sim migrate` builds. A CPU-bound writer under auto-converge.
    const touched = Math.min(spec.guest.touchedMemoryBytes ?? spec.memoryBytes, spec.memoryBytes);
    const workingSet = Math.min(spec.guest.workingSetBytes, touched);
    const dirtyPagesPerSecond = spec.guest.dirtyRateBytesPerSecond / PAGE_BYTES;
    const geometry = writerGuestGeometry(workingSet, dirtyPagesPerSecond);
    const guest: GuestWorkload = {
      memoryBytes: spec.memoryBytes,
      usedMemoryBytes: touched,
      workingSetBytes: workingSet,
      dirtyPagesPerSecond,
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
    let vmi = this.vmis.get(ref);
    if (vmi === undefined || vmi.nodeName !== node) {
      vmi = this.newVmi(ref, node);
      this.vmis.set(ref, vmi);
    }
    return vmi;
  }

  private newVmi(ref: VmRef, node: string): WorldVmi {
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
      namespaceLabels: this.world.scenario.namespaces[spec.namespace] ?? namespaceLabels(spec.namespace),
      evictionStrategy: spec.evictionStrategy,
      liveMigratable: condition.liveMigratable,
      ...(condition.liveMigratable ? {} : { notMigratableReason: condition.reason }),
    };
  }
}
