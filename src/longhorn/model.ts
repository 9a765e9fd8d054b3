/**
 * Longhorn on the kernel: volumes and replicas placed at start, node and VM events from the world,
 * replenishment decided by the pure rules (replenishment.ts, scheduling.ts), rebuilds as flows over
 * the fabric's storage (or management) path and the destination disk. Writes are integrated between
 * events. Everything observable goes to the trace (src/trace/longhorn.ts).
 */
import { type Flow, type ProcessGenerator, type Simulation, URGENT } from '../../sim/index.ts';
import type { ShutdownMode } from '../plan/format/types.ts';
import type { LonghornSettings } from '../profiles/types.ts';
import { isAtLeast } from '../profiles/version.ts';
import type { Scenario, VmRef } from '../scenario/types.ts';
import type {
  RebuildFailureReason,
  ReplicaDeletionReason,
  ReplicaFailureReason,
  UnmapOutcome,
} from '../trace/longhorn.ts';
import type { Fabric } from '../world/fabric.ts';
import type { WorldObserver } from '../world/observer.ts';
import type { HarvesterStorageView } from './accounting.ts';
import { type DataEngine, type LonghornModelParameters, longhornModelParameters } from './defaults.ts';
import { DiskInventory, type NodeStatus } from './disk-inventory.ts';
import type { LonghornModelOptions } from './options.ts';
import { planRebuild } from './rebuild-plan.ts';
import { rebuildTransfer, type TransferOutcome } from './rebuild-transfer.ts';
import {
  decideReplenishment,
  nextStaleSeconds,
  type ReplenishmentRules,
  replicasToCleanUp,
} from './replenishment.ts';
import { isFailed, isHealthy, isPotentiallyReusable, type Replica } from './replica.ts';
import { healthyCount, type Robustness, type VolumeState } from './robustness.ts';
import { type SchedulingPolicy, scheduleReplica } from './scheduling.ts';
import { unmapOutcome } from './unmap.ts';
import { type RunningRebuild, type Volume, volumeKey } from './volume.ts';
import { accrueWrites, closeAtRisk, type LonghornEmit, refreshHealth } from './volume-health.ts';

/** Bound on readiness probes after a power-on (one day at the probe period). */
const MAX_NODE_PROBES = 86_400;

/** Harvester raises replica-replenishment-wait-interval to this during upgrades (research §0). */
const UPGRADE_REPLENISHMENT_WAIT_SECONDS = 1800;

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
  private accountingDirty = true;
  private upgradeInProgress = false;
  /** Whether the starting state reached the trace (see recordState). */
  private stateRecorded = false;
  /** Volumes whose engine died with a node whose power-off is about to be reported. */
  private lostWithNode: { volume: string; node: string }[] = [];
  /** Replicas waiting on the per-node rebuild limit (recorded once each). */
  private readonly queuedReplicas = new Set<Replica>();
  private readonly emit: LonghornEmit;
  private readonly disks: DiskInventory;

  constructor(init: LonghornModelInit) {
    this.sim = init.sim;
    this.fabric = init.fabric;
    this.scenario = init.scenario;
    this.settings = init.settings ?? init.scenario.settings.longhorn;
    this.options = init.options ?? {};
    this.dataEngine = this.options.dataEngine ?? 'v1';
    this.parameters = longhornModelParameters(init.scenario.profile.components.longhorn, this.dataEngine);
    this.lastAccrualSeconds = init.sim.now;
    const trace = init.sim.trace;
    this.emit = (kind, data) => {
      if (trace.enabled) trace.emit('longhorn', kind, data);
    };
    this.disks = new DiskInventory(this.nodes, this.volumes, this.settings, this.parameters, this.options);
    for (const driver of this.options.unreachableExternalDrivers ?? []) this.unreachableDrivers.add(driver);
    for (const node of init.scenario.nodes)
      this.nodes.set(node.name, { spec: node, ready: true, cordoned: false });
    for (const spec of init.scenario.volumes) this.addVolume(spec);
    for (const vm of init.scenario.vms) {
      const key = volumeKey(vm.namespace, vm.name);
      this.vmVolumes.set(
        key,
        vm.volumeNames.map((name) => volumeKey(vm.namespace, name)).filter((v) => this.volumes.has(v)),
      );
      this.vmWriteRate.set(key, vm.guest.diskWriteBytesPerSecond);
    }
    // With tracing already on, the records below are the starting state.
    this.stateRecorded = trace.enabled;
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
    if (!this.sim.trace.enabled) return;
    for (const v of this.volumes.values()) {
      if (!v.longhorn) continue;
      this.emit('volume.state', { volume: v.key, state: v.state, node: v.engineNode });
      this.emit('volume.robustness', {
        volume: v.key,
        robustness: v.robustness,
        previous: null,
        healthyReplicas: healthyCount(v.replicas),
        wantedReplicas: v.wantedReplicas,
      });
      this.emit('volume.writes', { volume: v.key, bytesPerSecond: v.writeBytesPerSecond });
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

  /** A snapshot of a volume's replicas. */
  replicas(name: string): readonly Readonly<Replica>[] {
    return this.volume(name).replicas.map((r) => ({ ...r }));
  }

  rebuildingVolumes(): string[] {
    return [...this.volumes.values()].filter((v) => v.rebuild !== null).map((v) => v.key);
  }

  /** Disk status and Harvester's sums (Total, Used, Reserved) as of now. */
  storageView(): HarvesterStorageView {
    return this.disks.view();
  }

  // ---- controls the world or plan runner may use --------------------------------------------

  /** Harvester upgrade: replica-replenishment-wait-interval becomes 1800 s, restored afterwards. */
  setUpgradeInProgress(inProgress: boolean): void {
    this.upgradeInProgress = inProgress;
    this.scheduleReconcile();
  }

  setExternalClusterReachable(driver: string, reachable: boolean): void {
    if (reachable) this.unreachableDrivers.delete(driver);
    else this.unreachableDrivers.add(driver);
    const affected = [...this.volumes.values()].filter(
      (v) => v.spec.provisioner.kind === 'external' && v.spec.provisioner.driver === driver,
    );
    this.emit('external.reachability', { driver, reachable, volumes: affected.map((v) => v.key) });
    for (const v of affected) this.refresh(v);
  }

  /** A paused guest writes nothing (called by the guest model). */
  setWritesSuspended(vm: VmRef, suspended: boolean): void {
    this.accrue();
    const key = volumeKey(vm.namespace, vm.name);
    for (const name of this.vmVolumes.get(key) ?? []) {
      const v = this.volumes.get(name) as Volume;
      if (suspended) v.suspended.add(key);
      else v.suspended.delete(key);
      this.updateWriteRate(v);
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
    this.emit('unmap', {
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
    for (const v of this.volumes.values()) closeAtRisk(v, this.sim.now, this.emit);
  }

  // ---- WorldObserver -------------------------------------------------------------------------

  nodeShuttingDown(node: string): void {
    this.node(node).ready = false;
    this.failReplicasAtOnce(node);
  }

  /**
   * Not part of WorldObserver yet: a `kubectl drain` evicted the node's instance manager, so its replicas
   * are "marked as failed immediately" (LW 1.10 rebuilding doc). The node stays cordoned, so they are
   * reused only after uncordon.
   */
  nodeDrained(node: string): void {
    this.failReplicasAtOnce(node);
  }

  /** Shutdown or drain: the node's replicas of attached volumes fail at once (no engine timeout). */
  private failReplicasAtOnce(node: string): void {
    this.accrue();
    for (const v of this.volumes.values()) {
      if (!v.longhorn) continue;
      this.abortRebuildsTouching(v, node, false);
      if (v.state !== 'attached' || v.engineNode === node) continue;
      for (const r of v.replicas)
        if (r.node === node && !isFailed(r)) this.failReplica(v, r, 'node-shutdown');
      this.refresh(v);
    }
    this.scheduleReconcile();
  }

  nodePoweredOff(node: string, mode: ShutdownMode): void {
    this.accrue();
    this.node(node).ready = false;
    for (const lost of this.lostWithNode.filter((l) => l.node === node)) {
      this.emit('volume.attached-at-power-off', { volume: lost.volume, node, mode });
    }
    this.lostWithNode = this.lostWithNode.filter((l) => l.node !== node);
    for (const v of this.volumes.values()) {
      if (!v.longhorn) continue;
      this.abortRebuildsTouching(v, node, true);
      if (v.state !== 'attached') continue;
      if (v.engineNode === node) {
        this.emit('volume.attached-at-power-off', { volume: v.key, node, mode });
        v.engineLost = true;
        this.refresh(v);
        continue;
      }
      for (const r of v.replicas) {
        if (r.node !== node || isFailed(r)) continue;
        if (mode === 'graceful') this.failReplica(v, r, 'node-shutdown');
        else this.failAfterEngineTimeout(v, r);
      }
      this.refresh(v);
    }
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
    const sim = this.sim;
    const model = this;
    sim.process(
      (function* (): ProcessGenerator<void> {
        for (let i = 0; i < MAX_NODE_PROBES && !status.ready; i++) {
          yield sim.timeout(period);
          if (!status.ready && probe(node)) model.nodeReady(node);
        }
      })(),
      `longhorn-node-probe ${node}`,
    );
  }

  nodeReady(node: string): void {
    this.accrue();
    this.node(node).ready = true;
    for (const v of this.volumes.values()) if (v.faulted) this.salvage(v);
    this.scheduleReconcile();
  }

  nodeCordoned(node: string, cordoned: boolean): void {
    this.node(node).cordoned = cordoned;
    this.scheduleReconcile();
  }

  vmStarted(vm: VmRef, node: string): void {
    this.accrue();
    // A VM runs there, so the node (kubelet, instance manager) runs.
    if (!this.node(node).ready) this.node(node).ready = true;
    const key = volumeKey(vm.namespace, vm.name);
    for (const name of this.vmVolumes.get(key) ?? []) {
      const v = this.volumes.get(name) as Volume;
      v.writers.set(key, this.writeShare(key, v));
      v.suspended.delete(key);
      if (v.state === 'detached') this.attach(v, node);
      this.updateWriteRate(v);
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
    for (const name of this.vmVolumes.get(key) ?? []) {
      const v = this.volumes.get(name) as Volume;
      v.writers.delete(key);
      v.suspended.delete(key);
      this.updateWriteRate(v);
      if (v.writers.size === 0 && v.state === 'attached') {
        if (reason === 'node-lost' && v.longhorn && v.engineNode === node)
          this.lostWithNode.push({ volume: v.key, node });
        this.detach(v);
      }
      this.refresh(v);
    }
    this.scheduleReconcile();
  }

  vmMigrated(vm: VmRef, _from: string, to: string): void {
    this.accrue();
    const key = volumeKey(vm.namespace, vm.name);
    for (const name of this.vmVolumes.get(key) ?? []) {
      const v = this.volumes.get(name) as Volume;
      if (v.state === 'attached') v.engineNode = to;
      if (v.longhorn) this.emit('volume.state', { volume: v.key, state: v.state, node: v.engineNode });
    }
    this.scheduleReconcile();
  }

  // ---- set-up --------------------------------------------------------------------------------

  private addVolume(spec: Scenario['volumes'][number]): void {
    const key = volumeKey(spec.namespace, spec.name);
    const longhorn = spec.provisioner.kind === 'longhorn';
    const selectors = this.options.volumeSelectors?.[key] ?? {};
    const v: Volume = {
      key,
      spec,
      longhorn,
      wantedReplicas: spec.provisioner.kind === 'longhorn' ? spec.provisioner.replicas : 0,
      bestEffortLocality:
        spec.provisioner.kind === 'longhorn' && spec.provisioner.dataLocality === 'best-effort',
      nodeSelector: selectors.nodeSelector ?? [],
      diskSelector: selectors.diskSelector ?? [],
      state: 'creating',
      engineNode: null,
      engineLost: false,
      faulted: false,
      migrating: false,
      robustness: 'unknown',
      reportedHealthyReplicas: -1,
      lastDegradedAtSeconds: null,
      replicas: [],
      replicaSequence: 0,
      writers: new Map(),
      suspended: new Set(),
      writeBytesPerSecond: 0,
      headBytes: this.options.initialHeadBytes ?? 0,
      atRiskSinceSeconds: null,
      atRiskBytes: 0,
      rebuild: null,
      lastUnschedulableMessage: null,
      lastWaitUntilSeconds: null,
    };
    this.volumes.set(key, v);
  }

  /** Replicas of every Longhorn volume, then the volumes of running VMs attached on their node. */
  private placeInitialReplicas(initialPlacement: ReadonlyMap<string, string>): void {
    const engineOf = new Map<string, string>();
    for (const vm of this.scenario.vms) {
      const key = volumeKey(vm.namespace, vm.name);
      const node = vm.nodeName ?? initialPlacement.get(key) ?? null;
      if (node === null) continue;
      for (const name of this.vmVolumes.get(key) ?? []) engineOf.set(name, node);
    }
    for (const v of this.volumes.values()) {
      if (v.longhorn) {
        this.emit('volume.state', { volume: v.key, state: 'creating', node: null });
        for (let i = 0; i < v.wantedReplicas; i++) {
          const local =
            v.spec.provisioner.kind === 'longhorn' && v.spec.provisioner.dataLocality !== 'disabled';
          const result = this.schedule(v, false, local ? (engineOf.get(v.key) ?? null) : null);
          if (!result.ok) {
            this.reportUnschedulable(
              v,
              result.reason,
              result.message,
              !this.parameters.precheckCreateReplica,
            );
            if (!this.parameters.precheckCreateReplica) this.newReplica(v, null, null, 'initial');
            break;
          }
          const r = this.newReplica(v, result.node, result.disk, 'initial');
          r.healthyAtSeconds = this.sim.now;
        }
      }
      v.state = 'detached';
      if (v.longhorn) this.emit('volume.state', { volume: v.key, state: 'detached', node: null });
    }
    for (const vm of this.scenario.vms) {
      const key = volumeKey(vm.namespace, vm.name);
      const node = vm.nodeName ?? initialPlacement.get(key) ?? null;
      if (node !== null) this.vmStarted(vm, node);
    }
    for (const v of this.volumes.values()) this.refresh(v);
  }

  // ---- attach / detach -----------------------------------------------------------------------

  private attach(v: Volume, node: string): void {
    v.engineNode = node;
    v.engineLost = false;
    if (!v.longhorn) {
      v.state = 'attached';
      return;
    }
    this.emit('volume.state', { volume: v.key, state: 'attaching', node });
    v.state = 'attached';
    for (const r of v.replicas) {
      if (isFailed(r) || r.node === null) continue;
      if (!this.node(r.node).ready) this.failReplica(v, r, 'node-down-at-attach');
      else if (r.healthyAtSeconds !== null) r.mode = 'RW';
    }
    this.emit('volume.state', { volume: v.key, state: 'attached', node });
  }

  private detach(v: Volume): void {
    if (!v.longhorn) {
      v.state = 'detached';
      v.engineNode = null;
      return;
    }
    this.emit('volume.state', { volume: v.key, state: 'detaching', node: v.engineNode });
    if (v.rebuild !== null) v.rebuild.abort.succeed('detached', URGENT);
    v.state = 'detached';
    v.engineNode = null;
    v.engineLost = false;
    for (const r of v.replicas) if (!isFailed(r) && r.mode === 'RW') r.mode = null;
    this.emit('volume.state', { volume: v.key, state: 'detached', node: null });
  }

  // ---- replica failure -----------------------------------------------------------------------

  private failReplica(v: Volume, r: Replica, reason: ReplicaFailureReason): void {
    if (isFailed(r)) return;
    r.mode = 'ERR';
    r.awaitingRebuild = false;
    r.failedAtSeconds = this.sim.now;
    r.missedBytes = 0;
    r.headBytesAtFailure = Math.min(v.spec.usedBytes, v.headBytes);
    this.emit('replica.failed', { volume: v.key, replica: r.name, node: r.node, reason });
  }

  /** Power loss with IO in flight: the engine fails the replica after engine-replica-timeout. */
  private failAfterEngineTimeout(v: Volume, r: Replica): void {
    const last = healthyCount(v.replicas) === 1 && isHealthy(r);
    const factor = last ? this.parameters.lastReplicaTimeoutFactor : 1;
    const timer = this.sim.timeout(this.settings.engineReplicaTimeoutSeconds * factor);
    timer.addCallback(() => {
      if (isFailed(r) || r.node === null || this.node(r.node).ready || v.state !== 'attached') return;
      if (!v.replicas.includes(r)) return;
      this.accrue();
      this.failReplica(v, r, 'engine-replica-timeout');
      this.refresh(v);
      this.scheduleReconcile();
    });
  }

  private salvage(v: Volume): void {
    const revived = v.replicas.filter((r) => isFailed(r) && r.node !== null && this.node(r.node).ready);
    if (!this.settings.autoSalvage || revived.length === 0) return;
    const latest = Math.max(...revived.map((r) => r.failedAtSeconds as number));
    const chosen = revived.filter((r) => r.failedAtSeconds === latest);
    for (const r of chosen) {
      r.failedAtSeconds = null;
      r.mode = v.state === 'attached' ? 'RW' : null;
    }
    v.faulted = false;
    this.emit('volume.salvaged', { volume: v.key, replicas: chosen.map((r) => r.name) });
    this.refresh(v);
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

  /** A reconcile at a future time (requeue); times not after now are ignored, so nothing spins. */
  private reconcileAt(timeSeconds: number): void {
    if (timeSeconds <= this.sim.now || this.reconcileTimes.has(timeSeconds)) return;
    this.reconcileTimes.add(timeSeconds);
    this.sim.timeout(timeSeconds - this.sim.now).addCallback(() => {
      this.reconcileTimes.delete(timeSeconds);
      this.scheduleReconcile();
    });
  }

  private rules(): ReplenishmentRules {
    const p = this.parameters;
    return {
      replenishmentWaitSeconds: this.upgradeInProgress
        ? UPGRADE_REPLENISHMENT_WAIT_SECONDS
        : this.settings.replicaReplenishmentWaitIntervalSeconds,
      staleReplicaTimeoutSeconds: this.settings.staleReplicaTimeoutSeconds,
      concurrentRebuildPerNodeLimit: this.settings.concurrentReplicaRebuildPerNodeLimit,
      failedReplicaMaxRetryCount: p.failedReplicaMaxRetryCount,
      reuseFailedReplicas: p.reuseFailedReplicas,
      replenishmentWaitApplies: p.replenishmentWaitApplies,
      offlineRebuilding:
        (this.options.offlineRebuilding ?? p.offlineRebuilding) &&
        isAtLeast(this.scenario.profile.components.longhorn, '1.9.0'),
      deleteFailedReplicasAtOnce: p.deleteFailedReplicasAtOnce,
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
    for (const v of this.volumes.values()) if (v.longhorn) this.reconcileVolume(v);
    if (this.accountingDirty) this.emitAccounting();
  }

  private reconcileVolume(v: Volume): void {
    const rules = this.rules();
    const now = this.sim.now;
    for (const r of replicasToCleanUp(v, rules, now)) {
      const reason: ReplicaDeletionReason = rules.deleteFailedReplicasAtOnce
        ? 'v2-failed-replica'
        : r.rebuildRetryCount >= rules.failedReplicaMaxRetryCount
          ? 'retry-limit'
          : 'stale';
      this.deleteReplica(v, r, reason);
    }
    const stale = nextStaleSeconds(v, rules, now);
    if (stale !== null) this.reconcileAt(stale);

    // Replicas created or reused but not running yet: schedule, then pass the per-node gate.
    for (const r of v.replicas) {
      if (isFailed(r) || !r.awaitingRebuild || !this.mayRebuild(v)) continue;
      if (r.node === null && !this.placePending(v, r)) return;
      this.tryStartRebuild(v, r);
      return;
    }

    const decision = decideReplenishment(v, rules, now, (r) => this.reusableNow(v, r));
    switch (decision.kind) {
      case 'none':
        if (decision.reason === 'enough-replicas') this.keepLocality(v);
        return;
      case 'reuse': {
        const r = decision.replica;
        const failedFor = now - (r.failedAtSeconds as number);
        r.failedAtSeconds = null;
        r.mode = null;
        r.awaitingRebuild = true;
        r.rebuildRetryCount++;
        this.emit('replica.reused', {
          volume: v.key,
          replica: r.name,
          node: r.node as string,
          failedForSeconds: failedFor,
          retry: r.rebuildRetryCount,
        });
        this.tryStartRebuild(v, r);
        return;
      }
      case 'wait':
        if (v.lastWaitUntilSeconds !== decision.untilSeconds) {
          v.lastWaitUntilSeconds = decision.untilSeconds;
          this.emit('replenish.waiting', { volume: v.key, untilSeconds: decision.untilSeconds });
        }
        this.reconcileAt(decision.untilSeconds);
        return;
      case 'create': {
        const result = this.schedule(v, true, null);
        if (!result.ok) {
          const createAnyway = !this.parameters.precheckCreateReplica;
          this.reportUnschedulable(v, result.reason, result.message, createAnyway);
          if (createAnyway) this.newReplica(v, null, null, 'replenish');
          return;
        }
        const r = this.newReplica(v, result.node, result.disk, 'replenish');
        this.tryStartRebuild(v, r);
        return;
      }
    }
  }

  /** Best-effort data locality: once healthy with no replica on the engine's node, build one there. */
  private keepLocality(v: Volume): void {
    if (!v.bestEffortLocality || v.robustness !== 'healthy' || v.engineNode === null) return;
    const local = v.engineNode;
    if (v.replicas.some((r) => r.node === local && !isFailed(r))) return;
    const result = this.schedule(v, true, local);
    if (!result.ok || result.node !== local) return;
    const r = this.newReplica(v, result.node, result.disk, 'data-locality');
    this.tryStartRebuild(v, r);
  }

  private placePending(v: Volume, r: Replica): boolean {
    const result = this.schedule(v, true, null, r);
    if (!result.ok) {
      this.reportUnschedulable(v, result.reason, result.message, true);
      return false;
    }
    r.node = result.node;
    r.disk = result.disk;
    v.lastUnschedulableMessage = null;
    this.accountingDirty = true;
    this.emit('replica.scheduled', { volume: v.key, replica: r.name, node: result.node, disk: result.disk });
    return true;
  }

  private reusableNow(v: Volume, r: Replica): boolean {
    if (r.node === null || r.disk === null) return false;
    const node = this.node(r.node);
    if (!node.ready) return false;
    if (node.cordoned && this.settings.disableSchedulingOnCordonedNode) return false;
    const tags = this.options.diskTags?.[`${r.node}/${r.disk}`] ?? [];
    return v.diskSelector.every((t) => tags.includes(t));
  }

  private newReplica(
    v: Volume,
    node: string | null,
    disk: string | null,
    reason: 'initial' | 'replenish' | 'data-locality',
  ): Replica {
    const r: Replica = {
      name: `${v.spec.name}-r-${v.replicaSequence++}`,
      volume: v.key,
      node,
      disk,
      mode: null,
      failedAtSeconds: null,
      healthyAtSeconds: null,
      // A replacement starts at the retry limit so it is never reused (research §1.2).
      rebuildRetryCount: reason === 'initial' ? 0 : this.parameters.failedReplicaMaxRetryCount,
      missedBytes: 0,
      headBytesAtFailure: 0,
      awaitingRebuild: reason !== 'initial',
    };
    v.replicas.push(r);
    this.accountingDirty = true;
    this.emit('replica.created', { volume: v.key, replica: r.name, node, disk, reason });
    if (node !== null) v.lastUnschedulableMessage = null;
    return r;
  }

  private deleteReplica(v: Volume, r: Replica, reason: ReplicaDeletionReason): void {
    v.replicas = v.replicas.filter((x) => x !== r);
    this.accountingDirty = true;
    this.emit('replica.deleted', { volume: v.key, replica: r.name, node: r.node, reason });
  }

  private reportUnschedulable(v: Volume, cause: string, message: string, replicaCreated: boolean): void {
    if (v.lastUnschedulableMessage === message) return;
    v.lastUnschedulableMessage = message;
    this.emit('replica.unschedulable', {
      volume: v.key,
      condition: 'Scheduled',
      status: 'False',
      reason: 'ReplicaSchedulingFailure',
      cause,
      message,
      replicaCreated,
    });
  }

  private schedule(v: Volume, replenishing: boolean, preferNode: string | null, self?: Replica) {
    const policy: SchedulingPolicy = {
      nodeSoftAntiAffinity: this.settings.replicaSoftAntiAffinity,
      zoneSoftAntiAffinity: this.settings.replicaZoneSoftAntiAffinity,
      diskSoftAntiAffinity: this.settings.replicaDiskSoftAntiAffinity,
      overProvisioningPercentage: this.settings.storageOverProvisioningPercentage,
      minimalAvailablePercentage: this.settings.storageMinimalAvailablePercentage,
    };
    const maxRetry = this.parameters.failedReplicaMaxRetryCount;
    const existing = v.replicas
      .filter((r) => r !== self && r.node !== null && r.disk !== null)
      .map((r) => ({
        node: r.node as string,
        disk: r.disk as string,
        failed: isFailed(r),
        potentiallyReusable: isPotentiallyReusable(r, maxRetry),
      }));
    return scheduleReplica(
      this.disks.schedulingDisks(),
      {
        sizeBytes: v.spec.sizeBytes,
        actualBytes: v.spec.usedBytes,
        nodeSelector: v.nodeSelector,
        diskSelector: v.diskSelector,
        existing,
        replenishing,
        preferNode,
      },
      policy,
    );
  }

  // ---- rebuilds ------------------------------------------------------------------------------

  /** Attached volumes rebuild; detached ones only with offline-replica-rebuilding (LH 1.9+, off by default). */
  private mayRebuild(v: Volume): boolean {
    return v.state === 'attached' || (v.state === 'detached' && this.rules().offlineRebuilding);
  }

  private runningRebuildsTo(node: string): number {
    let count = 0;
    for (const v of this.volumes.values()) if (v.rebuild !== null && v.rebuild.destination === node) count++;
    return count;
  }

  private tryStartRebuild(v: Volume, r: Replica): void {
    if (r.node === null || r.disk === null || !this.mayRebuild(v) || v.rebuild !== null) return;
    const limit = this.settings.concurrentReplicaRebuildPerNodeLimit;
    const running = this.runningRebuildsTo(r.node);
    if (running >= limit) {
      if (!this.queuedReplicas.has(r)) {
        this.queuedReplicas.add(r);
        this.emit('rebuild.queued', { volume: v.key, replica: r.name, node: r.node, running, limit });
      }
      return;
    }
    this.queuedReplicas.delete(r);
    // Attached: RW replicas. Offline (detached): replicas that hold the data, stopped.
    const holdsData = (x: Replica) =>
      v.state === 'attached' ? isHealthy(x) : !isFailed(x) && x.mode === null && x.healthyAtSeconds !== null;
    const sources = v.replicas
      .filter((x) => x !== r && holdsData(x) && x.node !== null && this.node(x.node).ready)
      .sort((a, b) => a.name.localeCompare(b.name));
    if (sources.length === 0) return;
    const reused = r.healthyAtSeconds !== null;
    const plan = planRebuild({
      reused,
      fastRebuild: this.parameters.fastRebuild && this.settings.fastReplicaRebuildEnabled,
      sizeBytes: v.spec.sizeBytes,
      actualBytes: v.spec.usedBytes,
      missedBytes: r.missedBytes,
      headBytesAtFailure: r.headBytesAtFailure,
    });
    const syncLimit = this.options.rebuildConcurrentSyncLimit ?? this.parameters.rebuildConcurrentSyncLimit;
    const used = sources.slice(0, Math.max(1, Math.min(syncLimit, sources.length)));
    r.mode = 'WO';
    r.awaitingRebuild = false;
    v.headBytes = 0;
    const rebuild: RunningRebuild = {
      replica: r,
      plan,
      startedAtSeconds: this.sim.now,
      destination: r.node,
      sources: used.map((s) => s.node as string),
      abort: this.sim.event<RebuildFailureReason>(),
      flows: [] as Flow[],
    };
    v.rebuild = rebuild;
    const streamCap = this.rebuildRateCap();
    this.emit('rebuild.started', {
      volume: v.key,
      replica: r.name,
      kind: plan.kind,
      sources: [...rebuild.sources],
      destination: r.node,
      disk: r.disk,
      bytesToSend: plan.bytesToSend,
      hashBytes: plan.hashBytes,
      network: this.fabric.hasStorageNetwork ? 'storage' : 'management',
      rateCapBytesPerSecond: streamCap,
    });
    this.refresh(v);
    const timing = {
      setupSeconds: this.options.rebuildSetupSeconds ?? this.parameters.rebuildSetupSeconds,
      hashBytesPerSecond: this.options.deltaHashBytesPerSecond ?? this.parameters.deltaHashBytesPerSecond,
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

  private rebuildRateCap(): number {
    const stream = this.options.rebuildStreamBytesPerSecond ?? this.parameters.rebuildStreamBytesPerSecond;
    const limit =
      this.dataEngine === 'v2'
        ? (this.options.rebuildBandwidthLimitBytesPerSecond ??
          this.parameters.rebuildBandwidthLimitBytesPerSecond)
        : 0;
    return limit > 0 ? Math.min(stream, limit) : stream;
  }

  private finishRebuild(
    v: Volume,
    rebuild: RunningRebuild,
    outcome: TransferOutcome,
    bytesSent: number,
  ): void {
    this.accrue();
    v.rebuild = null;
    const r = rebuild.replica;
    const seconds = this.sim.now - rebuild.startedAtSeconds;
    const base = {
      volume: v.key,
      replica: r.name,
      kind: rebuild.plan.kind,
      destination: rebuild.destination,
    };
    if (outcome === 'completed') {
      r.mode = v.state === 'attached' ? 'RW' : null;
      r.healthyAtSeconds ??= this.sim.now;
      r.missedBytes = 0;
      this.emit('rebuild.completed', { ...base, bytesSent, seconds });
      this.removeSurplus(v);
    } else {
      this.emit('rebuild.failed', { ...base, reason: outcome, bytesSent, seconds });
      if (v.replicas.includes(r)) this.failReplica(v, r, 'rebuild-failed');
    }
    this.refresh(v);
    this.scheduleReconcile();
  }

  /** After a data-locality rebuild: drop one replica not on the engine's node (the last by name). */
  private removeSurplus(v: Volume): void {
    const active = v.replicas.filter((r) => !isFailed(r));
    if (active.length <= v.wantedReplicas) return;
    const remote = active.filter((r) => r.node !== v.engineNode).sort((a, b) => b.name.localeCompare(a.name));
    if (remote.length > 0) this.deleteReplica(v, remote[0], 'surplus');
  }

  /** A rebuild stops when its engine, destination or a source node goes away. */
  private abortRebuildsTouching(v: Volume, node: string, engineToo: boolean): void {
    const rebuild = v.rebuild;
    if (rebuild === null || rebuild.abort.triggered) return;
    if (engineToo && v.engineNode === node) rebuild.abort.succeed('engine-lost', URGENT);
    else if (rebuild.destination === node) rebuild.abort.succeed('destination-lost', URGENT);
    else if (rebuild.sources.includes(node)) rebuild.abort.succeed('source-lost', URGENT);
  }

  // ---- writes, robustness, data at risk -------------------------------------------------------

  /** Integrates writes since the last event (volume-health.ts). */
  private accrue(): void {
    if (!this.stateRecorded && this.sim.trace.enabled) this.recordState();
    const now = this.sim.now;
    accrueWrites(this.volumes.values(), now - this.lastAccrualSeconds);
    this.lastAccrualSeconds = now;
  }

  private writeShare(vm: string, v: Volume): number {
    const explicit = this.options.writeShare?.[v.key];
    const rate = this.vmWriteRate.get(vm) ?? 0;
    if (explicit !== undefined) return rate * explicit;
    const longhornVolumes = (this.vmVolumes.get(vm) ?? []).filter((k) => this.volumes.get(k)?.longhorn);
    return v.longhorn && longhornVolumes.length > 0 ? rate / longhornVolumes.length : 0;
  }

  private updateWriteRate(v: Volume): void {
    let rate = 0;
    for (const [vm, share] of v.writers) if (!v.suspended.has(vm)) rate += share;
    if (rate === v.writeBytesPerSecond) return;
    v.writeBytesPerSecond = rate;
    if (v.longhorn) this.emit('volume.writes', { volume: v.key, bytesPerSecond: rate });
  }

  private refresh(v: Volume): void {
    const driver = v.spec.provisioner.kind === 'external' ? v.spec.provisioner.driver : '';
    refreshHealth(v, this.sim.now, !this.unreachableDrivers.has(driver), this.emit);
  }

  // ---- accounting and lookups --------------------------------------------------------------

  private emitAccounting(): void {
    this.accountingDirty = false;
    if (!this.sim.trace.enabled) return;
    const view = this.storageView();
    this.emit('storage.accounting', {
      totalBytes: view.totalBytes,
      usedBytes: view.usedBytes,
      reservedBytes: view.reservedBytes,
      disks: view.disks.map((d) => ({ ...d })),
    });
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
