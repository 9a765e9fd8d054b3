/**
 * Longhorn on the kernel: the host of the pure parts. It takes the world's node and VM events
 * (WorldObserver) and turns them into the engine's transitions (engine.ts), asks the manager
 * (manager.ts) what to do per volume and applies its actions (actions.ts), runs rebuilds as flows over
 * the fabric (rebuilds.ts, rebuild-transfer.ts), and owns every timer and process: the engine's
 * replica timeout, reconcile requeues, node probes. Writes are integrated between events (writes.ts).
 * Everything observable goes to the trace through `record` (src/trace/longhorn.ts).
 */

import { type ProcessGenerator, type Simulation, URGENT } from '../../sim/index.ts';
import type { Fabric } from '../cluster/fabric.ts';
import type { ShutdownMode, WorldObserver } from '../cluster/observer.ts';
import type { LonghornSettings } from '../profiles/types.ts';
import type { Scenario, VmRef } from '../scenario/types.ts';
import type { UnmapOutcome } from '../trace/longhorn.ts';
import { Recorder } from '../trace/recorder.ts';
import type { HarvesterStorageView } from './accounting.ts';
import { applyToVolume, changesReplicas, type ManagerAction } from './actions.ts';
import { type DataEngine, type LonghornModelParameters, longhornModelParameters } from './defaults.ts';
import { DiskInventory, type NodeStatus } from './disk-inventory.ts';
import {
  attach,
  detach,
  engineReplicaTimeoutSeconds,
  engineTimeoutFails,
  failReplica,
  loseEngine,
  replicasOn,
  salvage,
} from './engine.ts';
import type { PdbVolumeView } from './instance-manager-pdb.ts';
import {
  initialReplica,
  type ManagerView,
  reconcileVolume,
  replenishmentRules,
  surplusReplica,
} from './manager.ts';
import { type LonghornModelOptions, withScenarioTags } from './options.ts';
import { rebuildTransfer, type TransferOutcome } from './rebuild-transfer.ts';
import { abortReason, beginRebuild, completeRebuild, rebuildRateCap, rebuildStart } from './rebuilds.ts';
import type { ReplenishmentRules } from './replenishment.ts';
import { isFailed, type Replica } from './replica.ts';
import { healthyCount, type Robustness, type VolumeState } from './robustness.ts';
import { unmapOutcome } from './unmap.ts';
import { newVolume, type RunningRebuild, type Volume, volumeKey } from './volume.ts';
import { closeAtRisk, refreshHealth } from './volume-health.ts';
import {
  engineTakesWrites,
  settleWrites,
  updateWriteRate,
  WriteLedger,
  writeShareBytesPerSecond,
} from './writes.ts';

export interface LonghornModelInit {
  readonly sim: Simulation;
  readonly fabric: Fabric;
  readonly scenario: Scenario;
  /** Overrides `scenario.settings.longhorn`. */
  readonly settings?: LonghornSettings;
  readonly options?: LonghornModelOptions;
  /** Where VMs without `nodeName` run at the start (`namespace/name` → node), from the world's scheduler. */
  readonly initialPlacement?: ReadonlyMap<string, string>;
}

export interface UnmapResult {
  readonly outcome: UnmapOutcome;
  readonly rebuilding: boolean;
}

export class LonghornModel implements WorldObserver {
  readonly settings: LonghornSettings;
  readonly parameters: LonghornModelParameters;
  readonly dataEngine: DataEngine;
  private readonly sim: Simulation;
  private readonly fabric: Fabric;
  private readonly scenario: Scenario;
  private readonly options: LonghornModelOptions;
  private readonly nodes = new Map<string, NodeStatus>();
  private readonly volumes = new Map<string, Volume>();
  /** VM `namespace/name` → its volumes' keys, in disk order. */
  private readonly vmVolumes = new Map<string, string[]>();
  private readonly vmWriteRate = new Map<string, number>();
  private readonly unreachableDrivers = new Set<string>();
  private lastAccrualSeconds: number;
  private reconcilePending = false;
  private readonly reconcileTimes = new Set<number>();
  /**
   * Volumes the next reconcile visits (longhorn-manager's work queue): those whose state, a node or the
   * rules changed since their last reconcile, and those whose last reconcile did something. A volume
   * whose reconcile did nothing and read only itself, the nodes and the rules leaves the queue until one
   * of those changes or its requeue time comes (`requeued`).
   */
  private readonly dirty = new Set<Volume>();
  /** Volume → its position in `volumes` (the order reconciles visit them in). */
  private readonly volumeOrder = new Map<Volume, number>();
  /**
   * Node → the volumes that have had a replica placed or their engine there (never shrinks): a
   * superset of the volumes a node's event concerns, so that the event visits those, not all.
   */
  private readonly volumesByNode = new Map<string, Set<Volume>>();
  /**
   * The volumes found faulted after a refresh (the only place `faulted` is set), kept until a node
   * Ready finds them no longer faulted: what auto-salvage looks at, instead of every volume.
   */
  private readonly faulted = new Set<Volume>();
  /** Requeue time → the volumes that asked for it. */
  private readonly requeued = new Map<number, Volume[]>();
  /** The accrual intervals; each volume integrates them when it is read or changed (writes.ts). */
  private readonly ledger = new WriteLedger();
  private accountingDirty = true;
  private upgradeInProgress = false;
  /** Whether the starting state reached the trace (see recordState). */
  private stateRecorded = false;
  /** Volumes whose engine died with a node whose power-off is about to be reported. */
  private lostWithNode: { volume: string; node: string }[] = [];
  /** Replicas waiting on the per-node rebuild limit (recorded once each). */
  private readonly queuedReplicas = new Set<Replica>();
  private readonly record: Recorder<'longhorn'>;
  private readonly disks: DiskInventory;
  private readonly isReady = (node: string): boolean => this.node(node).ready;
  /** Running rebuilds per destination node (each volume's `rebuild`, counted where it is set and cleared). */
  private readonly rebuildsTo = new Map<string, number>();
  private readonly runningRebuildsTo = (node: string): number => this.rebuildsTo.get(node) ?? 0;

  constructor(init: LonghornModelInit) {
    this.sim = init.sim;
    this.fabric = init.fabric;
    this.scenario = init.scenario;
    this.settings = init.settings ?? init.scenario.settings.longhorn;
    this.options = withScenarioTags(init.options ?? {}, init.scenario);
    this.dataEngine = this.options.dataEngine ?? 'v1';
    this.parameters = longhornModelParameters(init.scenario.profile.components.longhorn, this.dataEngine);
    this.lastAccrualSeconds = init.sim.now;
    this.record = new Recorder(init.sim, 'longhorn');
    for (const driver of this.options.unreachableExternalDrivers ?? []) this.unreachableDrivers.add(driver);
    for (const node of init.scenario.nodes)
      this.nodes.set(node.name, { spec: node, ready: true, cordoned: false });
    this.disks = new DiskInventory(this.nodes, this.volumes, this.settings, this.parameters, this.options);
    for (const spec of init.scenario.volumes) {
      const key = volumeKey(spec.namespace, spec.name);
      const selectors = this.options.volumeSelectors?.[key] ?? {};
      const v = newVolume(spec, selectors, this.options.initialHeadBytes ?? 0, this.ledger);
      this.volumes.set(key, v);
      this.volumeOrder.set(v, this.volumeOrder.size);
    }
    for (const vm of init.scenario.vms) {
      const key = volumeKey(vm.namespace, vm.name);
      this.vmVolumes.set(
        key,
        vm.volumeNames.map((name) => volumeKey(vm.namespace, name)).filter((v) => this.volumes.has(v)),
      );
      this.vmWriteRate.set(key, vm.guest.diskWriteBytesPerSecond);
    }
    // With tracing already on, the records below are the starting state.
    this.stateRecorded = this.record.enabled;
    this.placeInitialReplicas(init.initialPlacement ?? new Map());
    this.emitAccounting();
  }

  /**
   * Writes every volume's state, robustness and write rate and the accounting as of now. The plan
   * runner attaches its trace sinks after the world settles; call this then (it also happens at the
   * model's first event after tracing is enabled), so evaluation knows the starting point.
   */
  recordState(): void {
    this.stateRecorded = true;
    if (!this.record.enabled) return;
    for (const v of this.volumes.values()) {
      if (!v.longhorn) continue;
      this.record.emit('volume.state', { volume: v.key, state: v.state, node: v.engineNode });
      this.record.emit('volume.robustness', {
        volume: v.key,
        robustness: v.robustness,
        previous: null,
        healthyReplicas: healthyCount(v.replicas),
        wantedReplicas: v.wantedReplicas,
      });
      this.record.emit('volume.writes', { volume: v.key, bytesPerSecond: v.writeBytesPerSecond });
      // A replica refused while the cluster settled (before tracing) is part of the starting state:
      // Longhorn keeps Scheduled=False on the volume until a replica lands (issue 15 §8).
      if (v.unschedulable !== null) {
        this.record.emit('replica.unschedulable', {
          volume: v.key,
          condition: 'Scheduled',
          status: 'False',
          reason: 'ReplicaSchedulingFailure',
          ...v.unschedulable,
        });
      }
    }
    this.emitAccounting();
  }

  // ---- queries -------------------------------------------------------------------------------

  /** Every Longhorn volume is detached (the KB's check before shutting nodes down). */
  allVolumesDetached(): boolean {
    for (const v of this.volumes.values()) if (v.longhorn && v.state !== 'detached') return false;
    return true;
  }

  attachedVolumes(): string[] {
    return [...this.volumes.values()].filter((v) => v.longhorn && v.state === 'attached').map((v) => v.key);
  }

  volumeRobustness(name: string): Robustness {
    return this.volume(name).robustness;
  }

  volumeState(name: string): VolumeState {
    return this.volume(name).state;
  }

  degradedVolumes(): string[] {
    return [...this.volumes.values()].filter((v) => v.robustness === 'degraded').map((v) => v.key);
  }

  /** Longhorn volumes as the instance-manager budget sees them (src/longhorn/instance-manager-pdb.ts). */
  pdbVolumes(node?: string): PdbVolumeView[] {
    const views: PdbVolumeView[] = [];
    // Given a node: the volumes that ever had a replica or engine there (a superset, in volume order).
    for (const v of node === undefined ? this.volumes.values() : this.volumesTouching(node)) {
      if (!v.longhorn) continue;
      const attached = v.state === 'attached' && v.engineNode !== null;
      views.push({
        key: v.key,
        engineNode: attached ? v.engineNode : null,
        replicas: v.replicas.map((r) => ({
          node: r.node,
          everHealthy: r.healthyAtSeconds !== null,
          failed: r.failedAtSeconds !== null,
          stopped: !attached || r.failedAtSeconds !== null,
        })),
      });
    }
    return views;
  }

  /** A snapshot of a volume's replicas. */
  replicas(name: string): readonly Readonly<Replica>[] {
    return this.volume(name).replicas.map((r) => ({ ...r }));
  }

  /** The node running the volume's engine (Engine CR `spec.nodeID`), or null when detached. */
  engineNode(name: string): string | null {
    return this.volume(name).engineNode;
  }

  /**
   * The volume's running rebuild as the engine reports it (Engine CR `status.rebuildStatus`,
   * longhorn/longhorn-manager:k8s/pkg/apis/longhorn/v1beta2/engine.go `RebuildStatus`): the
   * destination replica, the source nodes, and `progress` in whole percent of the bytes to send
   * (0 during the setup before data moves), or null when no rebuild runs.
   */
  rebuildStatus(
    name: string,
  ): { replica: string; sourceNodes: readonly string[]; progressPercent: number } | null {
    const rebuild = this.volume(name).rebuild;
    if (rebuild === null) return null;
    const sent = rebuild.flows.reduce((sum, f) => sum + f.sentBytes, 0);
    const total = rebuild.plan.bytesToSend;
    return {
      replica: rebuild.replica.name,
      sourceNodes: [...rebuild.sources],
      progressPercent: total > 0 ? Math.floor((100 * Math.min(sent, total)) / total) : 0,
    };
  }

  rebuildingVolumes(): string[] {
    return [...this.volumes.values()].filter((v) => v.rebuild !== null).map((v) => v.key);
  }

  /** Disk status and Harvester's sums (Total, Used, Reserved) as of now. */
  storageView(): HarvesterStorageView {
    return this.disks.view();
  }

  // ---- controls the world or plan runner may use --------------------------------------------

  /** Harvester upgrade: replica-replenishment-wait-interval becomes `upgradeReplenishmentWaitSeconds` (1800 s), restored afterwards. */
  setUpgradeInProgress(inProgress: boolean): void {
    this.upgradeInProgress = inProgress;
    this.markAllDirty();
    this.scheduleReconcile();
  }

  setExternalClusterReachable(driver: string, reachable: boolean): void {
    if (reachable) this.unreachableDrivers.delete(driver);
    else this.unreachableDrivers.add(driver);
    const affected = [...this.volumes.values()].filter(
      (v) => v.spec.provisioner.kind === 'external' && v.spec.provisioner.driver === driver,
    );
    this.record.emit('external.reachability', { driver, reachable, volumes: affected.map((v) => v.key) });
    for (const v of affected) this.refresh(v);
  }

  /** A paused guest writes nothing (called by the guest model). */
  setWritesSuspended(vm: VmRef, suspended: boolean): void {
    this.accrue();
    const key = volumeKey(vm.namespace, vm.name);
    for (const v of this.volumesOf(key)) {
      if (suspended) v.suspended.add(key);
      else v.suspended.delete(key);
      updateWriteRate(v, this.record);
    }
  }

  /** An UNMAP from the guest reaches the engine. */
  unmap(vm: VmRef, volume: string): UnmapResult {
    const v = this.volume(volume);
    const rebuilding = v.replicas.some((r) => !isFailed(r) && r.mode === 'WO');
    if (!v.longhorn) return { outcome: 'ok', rebuilding: false };
    const v2OnNonNvme =
      this.parameters.unmapFailsOnNonNvmeDisk &&
      v.replicas.some((r) => r.node !== null && this.disks.diskKind(r.node, r.disk) !== 'nvme');
    const result = unmapOutcome({ behaviour: this.parameters.unmapWhileRebuilding, rebuilding, v2OnNonNvme });
    this.record.emit('unmap', {
      volume,
      vm: volumeKey(vm.namespace, vm.name),
      outcome: result.outcome,
      rebuilding,
      message: result.message,
    });
    return { outcome: result.outcome, rebuilding };
  }

  /** Closes open data-at-risk periods; call at the end of a run. */
  finish(): void {
    this.accrue();
    for (const v of this.volumes.values()) closeAtRisk(v, this.sim.now, this.record);
  }

  // ---- WorldObserver -------------------------------------------------------------------------

  nodeShuttingDown(node: string): void {
    this.setReady(node, false);
    this.failReplicasAtOnce(node);
  }

  /**
   * A `kubectl drain` evicted the node's instance manager, so its replicas are "marked as failed
   * immediately" (LW 1.10 rebuilding doc). The node stays cordoned, so they are reused only after
   * uncordon.
   */
  nodeDrained(node: string): void {
    this.failReplicasAtOnce(node);
  }

  /**
   * A partition cut an attached volume's engine off from some of its replicas: the engine's IO to
   * them times out and it marks them ERR after engine-replica-timeout, as for a peer that went
   * silent (longhorn-engine: a replica that does not answer within the timeout is set to ERR). An
   * engine on the cut-off side keeps the replicas it still reaches (its local one), so the volume
   * stays writable there. A replica reached again before the timeout stays.
   */
  networkChanged(): void {
    if (!this.fabric.partitioned) return;
    for (const v of this.volumes.values()) {
      const engine = v.engineNode;
      if (!v.longhorn || v.state !== 'attached' || engine === null || v.engineLost) continue;
      for (const r of v.replicas) {
        if (isFailed(r) || r.node === null || this.fabric.reachable(engine, r.node)) continue;
        this.failUnreachableAfterTimeout(v, r, engine);
      }
    }
  }

  nodePoweredOff(node: string, mode: ShutdownMode): void {
    this.accrue();
    this.setReady(node, false);
    for (const lost of this.lostWithNode.filter((l) => l.node === node)) {
      this.record.emit('volume.attached-at-power-off', { volume: lost.volume, node, mode });
    }
    this.lostWithNode = this.lostWithNode.filter((l) => l.node !== node);
    for (const v of this.volumesTouching(node)) {
      if (!v.longhorn) continue;
      this.abortRebuildTouching(v, node, true);
      if (v.state !== 'attached') continue;
      if (v.engineNode === node) {
        loseEngine(v, node, mode, this.record);
        this.refresh(v);
        continue;
      }
      // A volume with no live replica there changes nothing: it is not refreshed (nor queued).
      const live = replicasOn(v, node);
      if (live.length === 0) continue;
      for (const r of live) {
        if (mode === 'graceful') failReplica(v, r, 'node-shutdown', this.sim.now, this.record);
        else this.failAfterEngineTimeout(v, r);
      }
      this.refresh(v);
    }
    this.markNodeDirty(node);
    this.scheduleReconcile();
  }

  /**
   * The node boots. Its replicas become usable when it is Ready (`nodeReady`); when the world gives a
   * `nodeIsRunning` probe, the model also polls it, because a node that comes back after the whole
   * cluster was off may never change its Ready condition (it was never marked NotReady).
   */
  nodePoweringOn(node: string): void {
    const probe = this.options.nodeIsRunning;
    if (probe === undefined) return;
    const status = this.node(node);
    const period = this.parameters.nodeProbeSeconds;
    const limit = this.parameters.maxNodeProbes;
    const sim = this.sim;
    const model = this;
    sim.process(
      (function* (): ProcessGenerator<void> {
        for (let i = 0; i < limit && !status.ready; i++) {
          yield sim.timeout(period);
          if (!status.ready && probe(node)) model.nodeReady(node);
        }
      })(),
      `longhorn-node-probe ${node}`,
    );
  }

  nodeReady(node: string): void {
    this.accrue();
    this.setReady(node, true);
    if (this.faulted.size > 0) {
      // In volume order, as a walk over every volume would visit them.
      const order = this.volumeOrder;
      const faulted = [...this.faulted].sort((a, b) => (order.get(a) as number) - (order.get(b) as number));
      for (const v of faulted) {
        if (!v.faulted) this.faulted.delete(v);
        else if (salvage(v, this.isReady, this.settings.autoSalvage, this.record)) this.refresh(v);
      }
    }
    this.markNodeDirty(node);
    this.scheduleReconcile();
  }

  nodeCordoned(node: string, cordoned: boolean): void {
    this.node(node).cordoned = cordoned;
    this.disks.nodeFlagsChanged();
    this.markNodeDirty(node);
    this.scheduleReconcile();
  }

  vmStarted(vm: VmRef, node: string): void {
    this.accrue();
    // A VM runs there, so the node (kubelet, instance manager) runs.
    if (!this.node(node).ready) {
      this.setReady(node, true);
      this.markNodeDirty(node);
    }
    const key = volumeKey(vm.namespace, vm.name);
    for (const v of this.volumesOf(key)) {
      v.writers.set(key, this.writeShare(key, v));
      v.suspended.delete(key);
      if (v.state === 'detached') {
        attach(v, node, this.isReady, this.sim.now, this.record);
        this.noteOnNode(v.engineNode, v);
      }
      updateWriteRate(v, this.record);
      this.refresh(v);
    }
    this.scheduleReconcile();
  }

  /**
   * The VMI is gone. With `node-lost` the engine died with its node (the world reports it just before
   * `nodePoweredOff`): the volume is remembered as attached at power-off, then detaches.
   */
  vmStopped(vm: VmRef, node: string, reason: 'stopped' | 'node-lost' | 'force-reset'): void {
    this.accrue();
    const key = volumeKey(vm.namespace, vm.name);
    for (const v of this.volumesOf(key)) {
      v.writers.delete(key);
      v.suspended.delete(key);
      updateWriteRate(v, this.record);
      if (v.writers.size === 0 && v.state === 'attached') {
        if (reason === 'node-lost' && v.longhorn && v.engineNode === node)
          this.lostWithNode.push({ volume: v.key, node });
        // The rebuild may already be aborting (its node lost a moment before): one abort is enough.
        if (v.longhorn && v.rebuild !== null && !v.rebuild.abort.triggered)
          v.rebuild.abort.succeed('detached', URGENT);
        detach(v, this.record);
      }
      this.refresh(v);
    }
    this.scheduleReconcile();
  }

  vmMigrated(vm: VmRef, _from: string, to: string): void {
    this.accrue();
    for (const v of this.volumesOf(volumeKey(vm.namespace, vm.name))) {
      if (v.state === 'attached') {
        v.engineNode = to;
        this.noteOnNode(to, v);
      }
      this.dirty.add(v);
      if (v.longhorn) this.record.emit('volume.state', { volume: v.key, state: v.state, node: v.engineNode });
    }
    this.scheduleReconcile();
  }

  // ---- set-up --------------------------------------------------------------------------------

  /** Replicas of every Longhorn volume, then the volumes of running VMs attached on their node. */
  private placeInitialReplicas(initialPlacement: ReadonlyMap<string, string>): void {
    const engineOf = new Map<string, string>();
    for (const vm of this.scenario.vms) {
      const key = volumeKey(vm.namespace, vm.name);
      const node = vm.nodeName ?? initialPlacement.get(key) ?? null;
      if (node === null) continue;
      for (const name of this.vmVolumes.get(key) ?? []) engineOf.set(name, node);
    }
    const view = this.managerView();
    for (const v of this.volumes.values()) {
      if (v.longhorn) {
        this.record.emit('volume.state', { volume: v.key, state: 'creating', node: null });
        const local =
          v.spec.provisioner.kind === 'longhorn' && v.spec.provisioner.dataLocality !== 'disabled';
        for (let i = 0; i < v.wantedReplicas; i++) {
          const next = initialReplica(v, view, local ? (engineOf.get(v.key) ?? null) : null, this.sim.now);
          this.applyActions(v, next.actions);
          if (!next.placed) break;
        }
      }
      settleWrites(v);
      v.state = 'detached';
      if (v.longhorn) this.record.emit('volume.state', { volume: v.key, state: 'detached', node: null });
    }
    for (const vm of this.scenario.vms) {
      const key = volumeKey(vm.namespace, vm.name);
      const node = vm.nodeName ?? initialPlacement.get(key) ?? null;
      if (node !== null) this.vmStarted(vm, node);
    }
    for (const v of this.volumes.values()) this.refresh(v);
  }

  // ---- replica failure -----------------------------------------------------------------------

  /** Shutdown or drain: the node's replicas of attached volumes fail at once (no engine timeout). */
  private failReplicasAtOnce(node: string): void {
    this.accrue();
    for (const v of this.volumesTouching(node)) {
      if (!v.longhorn) continue;
      this.abortRebuildTouching(v, node, false);
      if (v.state !== 'attached' || v.engineNode === node) continue;
      // A volume with no live replica there changes nothing: it is not refreshed (nor queued).
      const failing = replicasOn(v, node);
      if (failing.length === 0) continue;
      for (const r of failing) failReplica(v, r, 'node-shutdown', this.sim.now, this.record);
      this.refresh(v);
    }
    this.markNodeDirty(node);
    this.scheduleReconcile();
  }

  /** Power loss with IO in flight: the engine fails the replica after engine-replica-timeout. */
  private failAfterEngineTimeout(v: Volume, r: Replica): void {
    const seconds = engineReplicaTimeoutSeconds(
      v,
      r,
      this.settings.engineReplicaTimeoutSeconds,
      this.parameters.lastReplicaTimeoutFactor,
    );
    this.sim.timeout(seconds).addCallback(() => {
      if (!engineTimeoutFails(v, r, this.isReady)) return;
      this.accrue();
      failReplica(v, r, 'engine-replica-timeout', this.sim.now, this.record);
      this.refresh(v);
      this.scheduleReconcile();
    });
  }

  /** A replica cut off from its engine: ERR after engine-replica-timeout if still unreachable then. */
  private failUnreachableAfterTimeout(v: Volume, r: Replica, engine: string): void {
    const seconds = engineReplicaTimeoutSeconds(
      v,
      r,
      this.settings.engineReplicaTimeoutSeconds,
      this.parameters.lastReplicaTimeoutFactor,
    );
    this.sim.timeout(seconds).addCallback(() => {
      if (isFailed(r) || r.node === null || !v.replicas.includes(r) || v.state !== 'attached') return;
      if (v.engineNode !== engine || this.fabric.reachable(engine, r.node)) return;
      this.accrue();
      failReplica(v, r, 'engine-replica-timeout', this.sim.now, this.record);
      this.refresh(v);
      this.scheduleReconcile();
    });
  }

  // ---- reconcile -----------------------------------------------------------------------------

  private scheduleReconcile(): void {
    if (this.reconcilePending) return;
    this.reconcilePending = true;
    this.sim.timeout(0).addCallback(() => {
      this.reconcilePending = false;
      this.reconcileAll();
    });
  }

  /**
   * A reconcile at a future time (requeue), of `volume` when given; times not after now are ignored,
   * so nothing spins.
   */
  private reconcileAt(timeSeconds: number, volume?: Volume): void {
    if (timeSeconds <= this.sim.now) return;
    if (volume !== undefined) {
      const waiting = this.requeued.get(timeSeconds);
      if (waiting === undefined) this.requeued.set(timeSeconds, [volume]);
      else waiting.push(volume);
    }
    if (this.reconcileTimes.has(timeSeconds)) return;
    this.reconcileTimes.add(timeSeconds);
    this.sim.timeout(timeSeconds - this.sim.now).addCallback(() => {
      this.reconcileTimes.delete(timeSeconds);
      for (const v of this.requeued.get(timeSeconds) ?? []) this.dirty.add(v);
      this.requeued.delete(timeSeconds);
      this.scheduleReconcile();
    });
  }

  /**
   * A node's state changed: the volumes with a replica or their engine there. An idle volume reads the
   * nodes only for its own replicas (reuse of a failed one); a volume that schedules is never idle.
   */
  private markNodeDirty(node: string): void {
    for (const v of this.volumesByNode.get(node) ?? []) {
      if (!v.longhorn) continue;
      if (v.engineNode === node) this.dirty.add(v);
      else for (const r of v.replicas) if (r.node === node) this.dirty.add(v);
    }
  }

  /** `v` has a replica or its engine on `node` (volumesByNode). */
  private noteOnNode(node: string | null, v: Volume): void {
    if (node === null) return;
    let set = this.volumesByNode.get(node);
    if (set === undefined) {
      set = new Set();
      this.volumesByNode.set(node, set);
    }
    set.add(v);
  }

  /** The volumes that may have a replica, engine or rebuild on `node`, in volume order. */
  private volumesTouching(node: string): Volume[] {
    const set = this.volumesByNode.get(node);
    if (set === undefined) return [];
    const order = this.volumeOrder;
    return [...set].sort((a, b) => (order.get(a) as number) - (order.get(b) as number));
  }

  private markAllDirty(): void {
    for (const v of this.volumes.values()) if (v.longhorn) this.dirty.add(v);
  }

  /** The queued volumes in reconcile order; the queue is left empty. */
  private takeDirty(): Volume[] {
    const batch = [...this.dirty];
    this.dirty.clear();
    const order = this.volumeOrder;
    if (batch.length > 1) batch.sort((a, b) => (order.get(a) as number) - (order.get(b) as number));
    return batch;
  }

  private rules(): ReplenishmentRules {
    return replenishmentRules(
      this.settings,
      this.parameters,
      this.options.offlineRebuilding,
      this.upgradeInProgress,
    );
  }

  private managerView(): ManagerView {
    return {
      settings: this.settings,
      parameters: this.parameters,
      rules: this.rules(),
      nodes: this.nodes,
      diskTags: this.options.diskTags ?? {},
      schedulingDisks: (without) => this.disks.schedulingDisks(without),
      schedulingIndex: () => this.disks.schedulingIndex(),
    };
  }

  /**
   * longhorn-manager's controllers need a running node and the Kubernetes API. Without them nothing is
   * replenished or cleaned up (the engines keep failing replicas on their own); with an API probe the
   * model retries every `nodeProbeSeconds`, without a Ready node it waits for `nodeReady`.
   */
  private reconcileAll(): void {
    this.accrue();
    if (![...this.nodes.values()].some((n) => n.ready)) return;
    const api = this.options.controlPlaneAvailable;
    if (api !== undefined && !api()) {
      this.reconcileAt(this.sim.now + this.parameters.nodeProbeSeconds);
      return;
    }
    const view = this.managerView();
    // A reconcile of one volume changes no other volume's inputs but the disks, which only a volume
    // that did something (or read the disks) reads: the queue is taken once, in volume order.
    for (const v of this.takeDirty()) {
      if (!v.longhorn) continue;
      const result = reconcileVolume(v, view, this.sim.now);
      this.applyActions(v, result.actions);
      for (const at of result.requeueAtSeconds) this.reconcileAt(at, v);
      if (!result.idle) this.dirty.add(v);
    }
    if (this.accountingDirty) this.emitAccounting();
  }

  private applyActions(v: Volume, actions: readonly ManagerAction[]): void {
    for (const action of actions) {
      if (changesReplicas(action)) this.accountingDirty = true;
      if (action.kind === 'start-rebuild') {
        this.tryStartRebuild(v, action.replica);
        continue;
      }
      // The disks' sums follow every replica that gains or loses a disk (disk-inventory.ts).
      const moves = action.kind === 'delete-replica' || action.kind === 'place-replica';
      if (moves && v.replicas.includes(action.replica)) this.disks.replicaRemoved(v, action.replica);
      applyToVolume(v, action, this.sim.now, this.record);
      if (action.kind === 'create-replica' || action.kind === 'place-replica')
        this.noteOnNode(action.replica.node, v);
      if (
        action.kind === 'create-replica' ||
        (action.kind === 'place-replica' && v.replicas.includes(action.replica))
      )
        this.disks.replicaPlaced(v, action.replica);
    }
  }

  // ---- rebuilds ------------------------------------------------------------------------------

  private tryStartRebuild(v: Volume, r: Replica): void {
    const start = rebuildStart(v, r, {
      runningRebuildsTo: this.runningRebuildsTo,
      nodeReady: this.isReady,
      offlineRebuilding: this.rules().offlineRebuilding,
      perNodeLimit: this.settings.concurrentReplicaRebuildPerNodeLimit,
      fastRebuild: this.parameters.fastRebuild && this.settings.fastReplicaRebuildEnabled,
      concurrentSyncLimit:
        this.options.rebuildConcurrentSyncLimit ?? this.parameters.rebuildConcurrentSyncLimit,
    });
    if (start.kind === 'not-eligible') return;
    if (start.kind === 'queued') {
      if (!this.queuedReplicas.has(r)) {
        this.queuedReplicas.add(r);
        const { running, limit } = start;
        this.record.emit('rebuild.queued', {
          volume: v.key,
          replica: r.name,
          node: r.node as string,
          running,
          limit,
        });
      }
      return;
    }
    this.queuedReplicas.delete(r);
    if (start.kind === 'no-source') return;
    beginRebuild(v, r);
    const rebuild: RunningRebuild = {
      replica: r,
      plan: start.plan,
      startedAtSeconds: this.sim.now,
      destination: r.node as string,
      sources: start.sources,
      abort: this.sim.event(),
      flows: [],
    };
    v.rebuild = rebuild;
    this.rebuildsTo.set(rebuild.destination, (this.rebuildsTo.get(rebuild.destination) ?? 0) + 1);
    const o = this.options;
    const p = this.parameters;
    const streamCap = rebuildRateCap(
      o.rebuildStreamBytesPerSecond ?? p.rebuildStreamBytesPerSecond,
      this.dataEngine === 'v2'
        ? (o.rebuildBandwidthLimitBytesPerSecond ?? p.rebuildBandwidthLimitBytesPerSecond)
        : 0,
    );
    this.record.emit('rebuild.started', {
      volume: v.key,
      replica: r.name,
      kind: start.plan.kind,
      sources: [...rebuild.sources],
      destination: rebuild.destination,
      disk: r.disk as string,
      bytesToSend: start.plan.bytesToSend,
      hashBytes: start.plan.hashBytes,
      network: this.fabric.hasStorageNetwork ? 'storage' : 'management',
      rateCapBytesPerSecond: streamCap,
    });
    this.refresh(v);
    const timing = {
      setupSeconds: o.rebuildSetupSeconds ?? p.rebuildSetupSeconds,
      hashBytesPerSecond: o.deltaHashBytesPerSecond ?? p.deltaHashBytesPerSecond,
      wallClockLimitSeconds: this.settings.rebuildWallClockLimitSeconds,
      rateCapBytesPerSecond: streamCap,
    };
    this.sim.process(
      rebuildTransfer(this.sim, this.fabric, v.key, rebuild, timing, (outcome, sent) =>
        this.finishRebuild(v, rebuild, outcome, sent),
      ),
      `longhorn-rebuild ${v.key}`,
    );
  }

  private finishRebuild(
    v: Volume,
    rebuild: RunningRebuild,
    outcome: TransferOutcome,
    bytesSent: number,
  ): void {
    this.accrue();
    v.rebuild = null;
    this.rebuildsTo.set(rebuild.destination, (this.rebuildsTo.get(rebuild.destination) as number) - 1);
    const r = rebuild.replica;
    const seconds = this.sim.now - rebuild.startedAtSeconds;
    const base = {
      volume: v.key,
      replica: r.name,
      kind: rebuild.plan.kind,
      destination: rebuild.destination,
    };
    if (outcome === 'completed') {
      completeRebuild(v, r, this.sim.now);
      this.record.emit('rebuild.completed', { ...base, bytesSent, seconds });
      const surplus = surplusReplica(v);
      if (surplus !== null)
        this.applyActions(v, [{ kind: 'delete-replica', replica: surplus, reason: 'surplus' }]);
    } else {
      this.record.emit('rebuild.failed', { ...base, reason: outcome, bytesSent, seconds });
      if (v.replicas.includes(r)) failReplica(v, r, 'rebuild-failed', this.sim.now, this.record);
    }
    this.refresh(v);
    this.scheduleReconcile();
  }

  /** A rebuild stops when its engine (power off only), destination or a source node goes away. */
  private abortRebuildTouching(v: Volume, node: string, engineToo: boolean): void {
    const reason = abortReason(v, node, engineToo);
    if (reason !== null && v.rebuild !== null && !v.rebuild.abort.triggered)
      v.rebuild.abort.succeed(reason, URGENT);
  }

  // ---- writes, health, accounting, lookups -----------------------------------------------------

  /** Closes the accrual interval since the last event; volumes integrate it when used (writes.ts). */
  private accrue(): void {
    if (!this.stateRecorded && this.record.enabled) this.recordState();
    const now = this.sim.now;
    this.ledger.append(now - this.lastAccrualSeconds);
    this.lastAccrualSeconds = now;
  }

  private writeShare(vm: string, v: Volume): number {
    const longhornVolumes = (this.vmVolumes.get(vm) ?? []).filter((k) => this.volumes.get(k)?.longhorn);
    return writeShareBytesPerSecond(
      this.vmWriteRate.get(vm) ?? 0,
      this.options.writeShare?.[v.key],
      v,
      longhornVolumes.length,
    );
  }

  /** Health after a change, then the write rate: a faulted engine takes no writes (writes.ts). */
  private refresh(v: Volume): void {
    this.dirty.add(v);
    const driver = v.spec.provisioner.kind === 'external' ? v.spec.provisioner.driver : '';
    refreshHealth(v, this.sim.now, !this.unreachableDrivers.has(driver), this.record);
    if (v.faulted) this.faulted.add(v);
    updateWriteRate(v, this.record);
    const failing = v.state === 'attached' && !engineTakesWrites(v);
    if (failing !== v.ioFailing) {
      v.ioFailing = failing;
      if (v.writers.size > 0) this.options.onIoFailing?.(v.key, [...v.writers.keys()], failing);
    }
  }

  /** The volume's engine fails every I/O: attached and faulted, or with no healthy replica. */
  ioFailing(volume: string): boolean {
    return this.volume(volume).ioFailing;
  }

  private emitAccounting(): void {
    this.accountingDirty = false;
    if (!this.record.enabled) return;
    const view = this.storageView();
    this.record.emit('storage.accounting', {
      totalBytes: view.totalBytes,
      usedBytes: view.usedBytes,
      reservedBytes: view.reservedBytes,
      disks: view.disks.map((d) => ({ ...d })),
    });
  }

  /** A VM's volumes, in disk order. */
  private volumesOf(vm: string): Volume[] {
    return (this.vmVolumes.get(vm) ?? []).map((name) => this.volumes.get(name) as Volume);
  }

  /** The only writes of a node's `ready` (with `nodeCordoned` for `cordoned`): the disks copy both. */
  private setReady(node: string, ready: boolean): void {
    this.node(node).ready = ready;
    this.disks.nodeFlagsChanged();
  }

  private node(name: string): NodeStatus {
    const status = this.nodes.get(name);
    if (status === undefined) throw new Error(`longhorn: unknown node ${name}`);
    return status;
  }

  private volume(name: string): Volume {
    const v = this.volumes.get(name);
    if (v === undefined) throw new Error(`longhorn: unknown volume ${name} (expected namespace/name)`);
    return v;
  }
}
