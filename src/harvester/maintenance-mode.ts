import type { Event, ProcessGenerator, Simulation } from '../../sim/index.ts';
import type { EvacuableVmi, EvacuationController } from '../kubevirt/controller/evacuation.ts';
import { vmiKey } from '../kubevirt/controller/migration-controller.ts';
import {
  type EvictionDecision,
  effectiveEvictionStrategy,
  evictionDecision,
} from '../kubevirt/eviction/eviction-strategy.ts';
import { valuesOf } from '../profiles/sourced.ts';
import type { EvictionStrategy, MaintainModeStrategy } from '../profiles/types.ts';
import type { DrainAction, KubevirtControllerRecordData, PdbRefusal } from '../trace/kubevirt.ts';
import { Recorder } from '../trace/recorder.ts';
import {
  MAINTAIN_MODE_SHUTDOWN_STRATEGIES,
  MAINTAIN_MODE_STRATEGY_LABEL,
  MAINTENANCE_SIMULATOR_LIMITS,
  MAINTENANCE_TIMING,
  type MaintenanceTiming,
} from './maintenance-defaults.ts';

/** A VMI as maintenance mode sees it; the per-VM strategy is the label `harvesterhci.io/maintain-mode-strategy`. */
export interface MaintenanceVmi extends EvacuableVmi {
  /** Upstream reason of `LiveMigratable=False` (e.g. DisksNotLiveMigratable), for the report. */
  readonly notMigratableReason?: string;
}

/** The cluster world maintenance mode acts on, injected. */
export interface MaintenanceWorld<V extends MaintenanceVmi> {
  /** VMIs running on the node now (a migrated or stopped VMI is no longer listed). */
  vmisOnNode(node: string): readonly V[];
  /**
   * Stop the VM. `graceSeconds` is the drain's pod grace period when the launcher pod is evicted, or
   * undefined when Harvester sets runStrategy Halted (the VM's own grace applies). Succeeds once the
   * VMI has left the node.
   */
  stopVm(vmi: V, graceSeconds: number | undefined): Event<unknown>;
  /**
   * The eviction deleted the VM's launcher pod (kubectl drain, strategy None or a non-migratable
   * LiveMigrateIfPossible VM): the guest is stopped within `graceSeconds` and the VM controller
   * restarts it per its runStrategy. Absent: `stopVm`.
   */
  evictVm?(vmi: V, graceSeconds: number | undefined): Event<unknown>;
  /** Start a VM again (ShutdownAndRestartAfterEnable once maintenance is complete). */
  startVm?(vmi: V): void;
  cordon?(node: string): void;
  /** The drain evicted every pod it had to: the node's other pods (Longhorn's instance manager) are gone. */
  drained?(node: string): void;
  /**
   * Harvester's other pre-checks (`FindNonMigratableVMS`): VMs holding the last healthy Longhorn
   * replica on the node, VMs whose scheduling requirements no other node meets.
   */
  extraNonMigratable?(node: string): readonly { readonly vmi: string; readonly reason: string }[];
  /**
   * `drainhelper.DrainPossible`: why a control-plane or etcd node may not enter maintenance (a
   * single control plane, another one already in maintenance), or null. Checked even when forced.
   */
  drainPossible?(node: string): string | null;
  /**
   * Harvester's node webhook (`validateCordonAndMaintenanceMode`): why cordoning this node is
   * refused (it is the last node neither cordoned nor in maintenance), or null.
   */
  cordonRefused?(node: string): string | null;
  /** The maintain-status annotation: set once the drain ran, removed when maintenance is disabled. */
  maintenanceStatus?(node: string, inMaintenance: boolean): void;
  /**
   * The eviction API's budget check for a VM's launcher pod, after the webhook let it through
   * (src/kube/pod-disruption-budget.ts); `terminating`: VMIs whose pods are already being deleted.
   */
  launcherPdbRefusal?(vmi: V, terminating: ReadonlySet<string>): PdbRefusal | null;
  /** Longhorn's instance-manager budget on the node (src/longhorn/instance-manager-pdb.ts), or null once it is gone. */
  instanceManagerPdbRefusal?(node: string): PdbRefusal | null;
}

/** A kubectl drain's options (`kubectl drain --grace-period --timeout`). */
export interface DrainOptions {
  /** Grace period given to every evicted pod; undefined: the pod's own (kubectl's -1). */
  readonly graceSeconds: number | undefined;
  readonly timeoutSeconds: number;
}

export type DrainResult = DrainOutcome & {
  readonly seconds: number;
  readonly evicted: readonly string[];
  /** The cordon was refused by Harvester's webhook: nothing was evicted. */
  readonly refused?: string;
};

export interface MaintenanceOptions {
  /** "Force" in the UI: shut down every non-migratable VM instead of refusing. */
  readonly forced?: boolean;
}

export type MaintenanceResult =
  | { readonly outcome: 'completed'; readonly drainAttempts: number; readonly restarted: readonly string[] }
  | {
      readonly outcome: 'blocked';
      readonly message: string;
      readonly vmis: readonly { readonly vmi: string; readonly reason: string }[];
    }
  | { readonly outcome: 'gave-up'; readonly drainAttempts: number };

export interface MaintenanceControllerOptions {
  readonly clusterEvictionStrategy?: EvictionStrategy;
  readonly timing?: Partial<MaintenanceTiming>;
  /** Bound on drain attempts (a simulator limit; upstream requeues for ever). */
  readonly maxDrainAttempts?: number;
  /** Bound on completion checks after the drain (a simulator limit). */
  readonly maxCompletionChecks?: number;
}

interface DrainOutcome {
  readonly drained: boolean;
  readonly remaining: { vmi: string; action: DrainAction; message?: string }[];
  /** Evictions a PodDisruptionBudget still refused when the drain ended. */
  readonly blockedByPdb: PdbRefusal[];
}

interface DrainPass extends DrainOptions {
  /** Pods the drain leaves alone (Harvester's maintainModeStrategyFilter). */
  readonly skip: (vmi: MaintenanceVmi) => boolean;
  /** An allowed eviction deletes the pod (`evictVm`) rather than halting the VM (`stopVm`). */
  readonly evictPods: boolean;
  /** VMIs whose eviction was allowed in this pass (their guests were stopped), filled in. */
  readonly evicted: string[];
  /** The last budget refusal of each VMI's eviction in this pass, filled in. */
  readonly pdbRefusals: Map<string, PdbRefusal>;
}

/**
 * Harvester maintenance mode (`enableMaintenanceMode`, `harvester/harvester:pkg/api/node/formatter.go`
 * sets `harvesterhci.io/drain-requested`):
 * 1. node-drain controller (`pkg/controller/master/nodedrain/nodedrain_controller.go`): unless forced,
 *    any non-migratable VM (LiveMigratable=False, last healthy replica, unmet scheduling) refuses
 *    maintenance with the reasons; forced, those VMs are shut down. VMs labelled
 *    maintain-mode-strategy Shutdown* are shut down (runStrategy Halted) and skipped by the drain;
 * 2. drain (`pkg/util/drainhelper/helper.go`, kubectl drain): cordon, evict every other VM pod with
 *    grace 180 s; KubeVirt's webhook answers per evictionStrategy: migrate/external/block deny with
 *    429 (retried every 5 s), shutdown deletes the pod, unless a PodDisruptionBudget then refuses it
 *    (429, retried likewise); Longhorn's instance-manager pod is evicted through its budget too
 *    (`instanceManagerPdbRefusal`). The drain gives up after 240 s; the controller then requeues and
 *    tries the whole step again;
 * 3. maintain controller (`pkg/controller/master/node/maintain_controller.go`): every 10 s, Completed
 *    once no VMI is left on the node; ShutdownAndRestartAfterEnable VMs are started again.
 */
export class MaintenanceController<V extends MaintenanceVmi> {
  private readonly timing: MaintenanceTiming;
  private readonly clusterStrategy: EvictionStrategy | undefined;
  private readonly maxDrainAttempts: number;
  private readonly maxCompletionChecks: number;
  /** VMIs this controller has asked to stop, so each is stopped once. */
  private readonly stopping = new Set<string>();

  private readonly record: Recorder<'kubevirt'>;
  constructor(
    readonly sim: Simulation,
    private readonly world: MaintenanceWorld<V>,
    private readonly evacuation: EvacuationController<V>,
    options: MaintenanceControllerOptions = {},
  ) {
    this.record = new Recorder(sim, 'kubevirt');
    this.timing = { ...valuesOf(MAINTENANCE_TIMING), ...options.timing };
    this.clusterStrategy = options.clusterEvictionStrategy;
    this.maxDrainAttempts = options.maxDrainAttempts ?? MAINTENANCE_SIMULATOR_LIMITS.maxDrainAttempts.value;
    this.maxCompletionChecks =
      options.maxCompletionChecks ?? MAINTENANCE_SIMULATOR_LIMITS.maxCompletionChecks.value;
  }

  /** Enables maintenance mode on a node; the event succeeds with the outcome. */
  enable(node: string, options: MaintenanceOptions = {}): Event<MaintenanceResult> {
    return this.sim.process(this.run(node, options.forced ?? false), `maintenance ${node}`);
  }

  /**
   * `kubectl drain <node>` as an operator runs it: cordon, evict every VM pod through KubeVirt's
   * eviction webhook, wait for them to go, give up after `timeoutSeconds` (the node stays cordoned).
   * No Harvester pre-check, no maintain-mode-strategy filter. The event succeeds with the outcome,
   * also written as a `drain.result` record.
   */
  kubectlDrain(node: string, options: DrainOptions): Event<DrainResult> {
    const sim = this.sim;
    const self = this;
    return sim.process(
      (function* (): ProcessGenerator<DrainResult> {
        const started = sim.now;
        const refused = self.world.cordonRefused?.(node) ?? null;
        if (refused !== null) {
          self.record.emit('drain.result', {
            node,
            drained: false,
            seconds: 0,
            timeoutSeconds: options.timeoutSeconds,
            remaining: [],
            evicted: [],
            refused,
          });
          return { drained: false, remaining: [], blockedByPdb: [], seconds: 0, evicted: [], refused };
        }
        const evicted: string[] = [];
        const outcome = yield* self.drain(node, {
          ...options,
          skip: () => false,
          evictPods: true,
          evicted,
          pdbRefusals: new Map(),
        });
        const result = { ...outcome, seconds: sim.now - started, evicted };
        self.record.emit('drain.result', {
          node,
          drained: result.drained,
          seconds: result.seconds,
          timeoutSeconds: options.timeoutSeconds,
          remaining: result.remaining,
          evicted,
          ...(result.blockedByPdb.length > 0 ? { blockedByPdb: result.blockedByPdb } : {}),
        });
        return result;
      })(),
      `kubectl drain ${node}`,
    );
  }

  private *run(node: string, forced: boolean): ProcessGenerator<MaintenanceResult> {
    let retryDelaySeconds = this.timing.drainRetryInitialSeconds;
    const impossible = this.world.drainPossible?.(node) ?? null;
    if (impossible !== null) {
      this.record.emit('maintenance.requested', { node, forced, attempt: 1 });
      const message = `enabling maintenance mode is impossible: ${impossible}`;
      this.record.emit('maintenance.blocked', { node, message, vmis: [] });
      return { outcome: 'blocked', message, vmis: [] };
    }
    for (let attempt = 1; attempt <= this.maxDrainAttempts; attempt++) {
      this.record.emit('maintenance.requested', { node, forced, attempt });
      const vmis = this.world.vmisOnNode(node);
      const nonMigratable = this.nonMigratable(node, vmis);
      if (!forced && nonMigratable.length > 0) {
        const message = blockedMessage(nonMigratable);
        this.record.emit('maintenance.blocked', { node, message, vmis: nonMigratable });
        return { outcome: 'blocked', message, vmis: nonMigratable };
      }
      const shutdownKeys = forced
        ? new Set(nonMigratable.map((v) => v.vmi))
        : new Set(vmis.filter(hasShutdownStrategy).map(vmiKey));
      for (const vmi of vmis) {
        if (shutdownKeys.has(vmiKey(vmi)))
          this.stop(node, vmi, undefined, forced ? 'forced' : strategyOf(vmi));
      }
      const outcome = yield* this.drain(node, {
        graceSeconds: this.timing.drainGracePeriodSeconds,
        timeoutSeconds: this.timing.drainTimeoutSeconds,
        skip: hasShutdownStrategy,
        evictPods: false,
        evicted: [],
        pdbRefusals: new Map(),
      });
      if (outcome.drained) {
        this.record.emit('maintenance.drained', { node, attempt });
        this.world.maintenanceStatus?.(node, true);
        this.world.drained?.(node);
        return yield* this.awaitCompletion(node, attempt, vmis);
      }
      this.record.emit('maintenance.drain-timeout', {
        node,
        remaining: outcome.remaining,
        retryInSeconds: retryDelaySeconds,
        ...(outcome.blockedByPdb.length > 0 ? { blockedByPdb: outcome.blockedByPdb } : {}),
      });
      yield this.sim.timeout(retryDelaySeconds);
      retryDelaySeconds = Math.min(retryDelaySeconds * 2, this.timing.drainRetryMaxSeconds);
    }
    this.record.emit('maintenance.gave-up', { node, attempts: this.maxDrainAttempts });
    return { outcome: 'gave-up', drainAttempts: this.maxDrainAttempts };
  }

  /** `FindNonMigratableVMS` + `IdentifyNonMigratableVMS`, sorted for a stable report. */
  private nonMigratable(node: string, vmis: readonly V[]): { vmi: string; reason: string }[] {
    const found = vmis
      .filter((v) => !v.liveMigratable)
      .map((v) => ({ vmi: vmiKey(v), reason: v.notMigratableReason ?? 'NotMigratable' }));
    found.push(...(this.world.extraNonMigratable?.(node) ?? []));
    return found.sort((a, b) => compare(a.reason, b.reason) || compare(a.vmi, b.vmi));
  }

  /** One kubectl drain: cordon, evict, wait for the pods to go, at most `timeoutSeconds`. */
  private *drain(node: string, pass: DrainPass): Generator<Event<any>, DrainOutcome, any> {
    this.world.cordon?.(node);
    const deadline = this.sim.now + pass.timeoutSeconds;
    const pods = this.world.vmisOnNode(node).filter((v) => !pass.skip(v));
    this.record.emit('maintenance.drain-started', {
      node,
      pods: pods.length,
      timeoutSeconds: pass.timeoutSeconds,
    });
    const nextEvictionAt = new Map<string, number>(pods.map((v) => [vmiKey(v), this.sim.now]));
    const lastAction = new Map<string, { action: DrainAction; message?: string }>();
    // Longhorn's instance-manager pod is evicted with the VM pods (the drain skips only DaemonSet,
    // CSI attacher/provisioner and hotplug pods) and retried like them while its budget stands.
    let instanceManager: { nextAt: number; refusal: PdbRefusal | null; evicted: boolean } = {
      nextAt: this.sim.now,
      refusal: null,
      evicted: this.world.instanceManagerPdbRefusal === undefined,
    };
    for (;;) {
      // The same VMIs come back at every poll: their keys are remembered (`keyOf`).
      const onNode = new Set(this.world.vmisOnNode(node).map(keyOf));
      const left = pods.filter((v) => onNode.has(keyOf(v)));
      if (!instanceManager.evicted && this.sim.now >= instanceManager.nextAt)
        instanceManager = this.evictInstanceManager(node, instanceManager.refusal);
      if (left.length === 0 && instanceManager.evicted)
        return { drained: true, remaining: [], blockedByPdb: [] };
      if (this.sim.now >= deadline) {
        const blockedByPdb = left.flatMap((v) => {
          const refusal = pass.pdbRefusals.get(vmiKey(v));
          return lastAction.get(vmiKey(v))?.action === 'pdb' && refusal !== undefined ? [refusal] : [];
        });
        if (!instanceManager.evicted && instanceManager.refusal !== null)
          blockedByPdb.push(instanceManager.refusal);
        return {
          drained: false,
          remaining: left.map((v) => ({ vmi: vmiKey(v), ...lastAction.get(vmiKey(v))! })),
          blockedByPdb,
        };
      }
      for (const vmi of left) {
        const key = keyOf(vmi);
        if (this.stopping.has(key) || this.sim.now < nextEvictionAt.get(key)!) continue;
        const decision = this.evict(node, vmi, lastAction.get(key)?.action, pass);
        lastAction.set(key, { action: decision.action, message: decision.message });
        nextEvictionAt.set(
          key,
          decision.evictionAllowed ? Infinity : this.sim.now + this.timing.evictionRetrySeconds,
        );
      }
      yield this.sim.timeout(Math.min(this.timing.podDeletePollSeconds, deadline - this.sim.now));
    }
  }

  /** One eviction call for the node's Longhorn instance-manager pod, through its budget. */
  private evictInstanceManager(
    node: string,
    previous: PdbRefusal | null,
  ): { nextAt: number; refusal: PdbRefusal | null; evicted: boolean } {
    const refusal = this.world.instanceManagerPdbRefusal?.(node) ?? null;
    if (refusal === null) return { nextAt: Infinity, refusal: null, evicted: true };
    if (
      previous === null ||
      previous.message !== refusal.message ||
      previous.objects.join() !== refusal.objects.join()
    )
      this.record.emit('drain.pdb-refused', { node, ...refusal });
    return { nextAt: this.sim.now + this.timing.evictionRetrySeconds, refusal, evicted: false };
  }

  /** One eviction API call: KubeVirt's webhook, then the pod's disruption budgets. */
  private evict(node: string, vmi: V, previous: DrainAction | undefined, pass: DrainPass): EvictionDecision {
    const strategy = effectiveEvictionStrategy(vmi.evictionStrategy, this.clusterStrategy);
    let decision = evictionDecision(strategy, vmi.liveMigratable, vmi.name, vmi.namespace);
    if (decision.evictionAllowed) {
      const refusal = this.world.launcherPdbRefusal?.(vmi, this.stopping) ?? null;
      if (refusal !== null) {
        const before = pass.pdbRefusals.get(vmiKey(vmi));
        if (before === undefined || before.message !== refusal.message)
          this.record.emit('drain.pdb-refused', { node, ...refusal });
        pass.pdbRefusals.set(vmiKey(vmi), refusal);
        decision = { strategy, action: 'pdb', evictionAllowed: false, message: refusal.message };
      }
    }
    if (previous !== decision.action) {
      const data: KubevirtControllerRecordData['maintenance.eviction'] = {
        node,
        vmi: vmiKey(vmi),
        action: decision.action,
        allowed: decision.evictionAllowed,
      };
      if (decision.message !== undefined) data.message = decision.message;
      this.record.emit('maintenance.eviction', data);
    }
    if (decision.action === 'migrate') this.evacuation.evacuate(vmi);
    if (decision.evictionAllowed) {
      pass.evicted.push(vmiKey(vmi));
      this.stop(node, vmi, pass.graceSeconds, 'evicted', pass.evictPods);
    }
    return decision;
  }

  private stop(
    node: string,
    vmi: V,
    graceSeconds: number | undefined,
    cause: string,
    evictPod = false,
  ): void {
    const key = vmiKey(vmi);
    if (this.stopping.has(key)) return;
    this.stopping.add(key);
    this.record.emit('maintenance.shutdown', { node, vmi: key, cause });
    const stopped =
      evictPod && this.world.evictVm !== undefined
        ? this.world.evictVm(vmi, graceSeconds)
        : this.world.stopVm(vmi, graceSeconds);
    if (stopped.processed) this.stopping.delete(key);
    else stopped.addCallback(() => this.stopping.delete(key));
  }

  /** The maintain controller: Completed once the node has no VMI, checked every 10 s. */
  private *awaitCompletion(
    node: string,
    drainAttempts: number,
    before: readonly V[],
  ): Generator<Event<any>, MaintenanceResult, any> {
    for (let check = 0; check < this.maxCompletionChecks; check++) {
      const remaining = this.world.vmisOnNode(node).length;
      this.record.emit('maintenance.check', { node, remainingVmis: remaining });
      if (remaining === 0) {
        const restart = before.filter((v) => strategyOf(v) === 'ShutdownAndRestartAfterEnable');
        for (const vmi of restart) this.world.startVm?.(vmi);
        const restarted = restart.map(vmiKey);
        this.record.emit('maintenance.completed', { node, restarted });
        return { outcome: 'completed', drainAttempts, restarted };
      }
      yield this.sim.timeout(this.timing.completionCheckSeconds);
    }
    this.record.emit('maintenance.gave-up', { node, attempts: drainAttempts });
    return { outcome: 'gave-up', drainAttempts };
  }
}

const keys = new WeakMap<MaintenanceVmi, string>();

/** `vmiKey`, remembered per VMI object (the drain asks for the node's VMIs every second). */
function keyOf(vmi: MaintenanceVmi): string {
  let key = keys.get(vmi);
  if (key === undefined) {
    key = vmiKey(vmi);
    keys.set(vmi, key);
  }
  return key;
}

function strategyOf(vmi: MaintenanceVmi): MaintainModeStrategy {
  const value = vmi.labels?.[MAINTAIN_MODE_STRATEGY_LABEL];
  return MAINTAIN_MODE_SHUTDOWN_STRATEGIES.includes(value as MaintainModeStrategy)
    ? (value as MaintainModeStrategy)
    : 'Migrate';
}

function hasShutdownStrategy(vmi: MaintenanceVmi): boolean {
  return strategyOf(vmi) !== 'Migrate';
}

/** The node-drain controller's refusal, reasons grouped as upstream prints them. */
export function blockedMessage(vmis: readonly { vmi: string; reason: string }[]): string {
  const byReason = new Map<string, string[]>();
  for (const { vmi, reason } of vmis) byReason.set(reason, [...(byReason.get(reason) ?? []), vmi]);
  const reasons = [...byReason].map(
    ([reason, names]) => `${names.join(',')} cannot be migrated due to ${reason}`,
  );
  return `enabling maintenance mode is impossible. Non-migratable VMs found: ${reasons.join('; ')}. Use 'force drain' to perform a collective shutdown`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
