/**
 * Records of subsystem 'kubevirt': the VM lifecycle, live migrations as the cluster sees them, the
 * migration and evacuation controllers, and Harvester's maintenance mode. One migration's QEMU-level
 * records are subsystem 'kubevirt.migration' (migration.ts).
 */
import type { LiveMigrationOutcome } from './migration.ts';

export type VmPhase = 'Stopped' | 'Pending' | 'Starting' | 'Running' | 'Stopping';

export interface VmRecordData {
  'vm.phase': { vm: string; phase: VmPhase; node: string | null; reason: string };
  /** Harvester's vm-force-reset-policy deleted the VMI of a lost node; it restarts elsewhere. */
  'vm.force-restarted': { vm: string; from: string; to: string | null };
  /** One live migration ended (the single-migration model's result, in the world). */
  'migration.finished': {
    vm: string;
    source: string;
    target: string;
    outcome: LiveMigrationOutcome;
    reason: string;
    seconds: number;
    /** QEMU's `downtime` on the source (stop to completion, or to the post-copy package sent). */
    downtimeMs: number;
    /**
     * The guest's own pause: QEMU's downtime plus the destination's resume (loading the last state,
     * vm_start), when the VM ended on the target; 0 when it stayed on the source.
     */
    guestDowntimeMs: number;
    passes: number;
    iterations: number;
    transferredBytes: number;
    maxThrottlePercent: number;
    /** Seconds spent in post-copy, when neither node may fail without losing the VM. */
    postCopySeconds: number;
    policy: string | null;
  };
  /**
   * The migration that just ended, run again `runs` times alone (scenario `migrationUncertainty`), the
   * guest's dirty rate drawn per run and per second from the measured variability: the share that
   * completed (VM on the target) and p10/p50/p90 over those; written just before its `migration.finished`.
   */
  'migration.uncertainty': {
    vm: string;
    runs: number;
    firstSeed: number;
    /** The link each draw ran on: the bandwidth this migration had in the cluster (docs/model/migration.md). */
    linkBytesPerSecond: number;
    completionProbability: number;
    /** QEMU's time, `migrate` to the end (the target pod's start, in `migration.finished` `seconds`, excluded). */
    migrationSeconds: { p10: number; p50: number; p90: number } | null;
    iterations: { p10: number; p50: number; p90: number } | null;
    downtimeMs: { p10: number; p50: number; p90: number } | null;
    knifeEdge: boolean;
  };
  /** A node maintenance (Harvester maintenance mode) ended. */
  'maintenance.result': {
    node: string;
    outcome: 'completed' | 'blocked' | 'gave-up';
    seconds: number;
    message: string;
    vmis: { vmi: string; reason: string }[];
  };
  /** A VMI was still running when its node lost power. */
  'vm.lost-with-node': { vm: string; node: string; mode: 'graceful' | 'power-loss' };
  /**
   * vm-force-reset-policy force-deleted the VMI of a node cut off by a network partition, whose
   * guest still runs there (its kubelet cannot hear the deletion until the partition heals): a
   * second copy may start elsewhere on the same volumes.
   */
  'vm.split-brain': { vm: string; node: string };
}

/**
 * Phases of a VirtualMachineInstanceMigration on the default (non-decentralized) path
 * (`kubevirt/kubevirt:staging/src/kubevirt.io/api/core/v1/types.go`,
 * `VirtualMachineInstanceMigrationPhase`; transitions in
 * `pkg/virt-controller/watch/migration/migration.go`, `processMigrationPhase`).
 */
export type VmimPhase =
  | 'Pending'
  | 'Scheduling'
  | 'Scheduled'
  | 'PreparingTarget'
  | 'TargetReady'
  | 'Running'
  | 'Succeeded'
  | 'Failed';

/** Who created a VMIM. */
export type MigrationOrigin = 'evacuation' | 'workload-update' | 'user';

/**
 * What a node drain does to a VMI (KubeVirt's pod-eviction webhook):
 * - migrate: the eviction is denied (HTTP 429), the VMI is marked (`status.evacuationNodeName`) and
 *   the evacuation controller migrates it; the drain waits for the source pod to go.
 * - block: the eviction is denied and nothing moves the VMI; the drain retries until its timeout.
 * - shutdown: the eviction is allowed; the launcher pod is deleted and the VM shuts down.
 * - external: the eviction is denied and the VMI marked; an external controller must act.
 */
/** `pdb`: the webhook let the eviction through and a PodDisruptionBudget refused it (429). */
export type DrainAction = 'migrate' | 'block' | 'shutdown' | 'external' | 'pdb';

/**
 * An eviction the API refused with 429 because a PodDisruptionBudget allowed no disruption: the pod,
 * the budget, and what it protects (`volume/<ns>/<name>` for Longhorn's instance-manager budget,
 * `vm/<ns>/<name>` for a VM's launcher pod).
 */
export interface PdbRefusal {
  pod: string;
  pdb: string;
  message: string;
  objects: string[];
}

/**
 * Records the KubeVirt migration, evacuation and Harvester maintenance controllers write (subsystem
 * 'kubevirt'). Evaluation reads these, never controller internals.
 */
export interface KubevirtControllerRecordData {
  'migration.created': {
    migration: string;
    vmi: string;
    origin: MigrationOrigin;
    priority: number;
    sourceNode: string;
  };
  'migration.phase': {
    migration: string;
    vmi: string;
    phase: VmimPhase;
    sourceNode: string;
    targetNode?: string;
    reason?: string;
    policy?: string;
  };
  'migration.queued': {
    migration: string;
    vmi: string;
    reason: 'cluster-limit' | 'node-limit';
    delaySeconds: number;
    running: number;
    outboundFromSource: number;
  };
  'migration.unschedulable': { migration: string; vmi: string; pendingSeconds: number };
  'evacuation.retry': {
    migration: string;
    vmi: string;
    consecutiveFailures: number;
    backoffSeconds: number;
    waitSeconds: number;
  };
  'evacuation.started': { vmi: string; node: string; descheduler: boolean };
  'evacuation.skipped': { vmi: string; node: string; reason: string };
  'evacuation.done': { vmi: string; fromNode: string; toNode: string; attempts: number };
  'evacuation.gave-up': { vmi: string; node: string; attempts: number };
  'maintenance.requested': { node: string; forced: boolean; attempt: number };
  'maintenance.blocked': { node: string; message: string; vmis: { vmi: string; reason: string }[] };
  'maintenance.shutdown': { node: string; vmi: string; cause: string };
  'maintenance.drain-started': { node: string; pods: number; timeoutSeconds: number };
  'maintenance.eviction': {
    node: string;
    vmi: string;
    action: DrainAction;
    allowed: boolean;
    message?: string;
  };
  'maintenance.drain-timeout': {
    node: string;
    remaining: { vmi: string; action: DrainAction; message?: string }[];
    retryInSeconds: number;
    /** Evictions still refused by a PodDisruptionBudget when the drain gave up. */
    blockedByPdb?: PdbRefusal[];
  };
  'maintenance.drained': { node: string; attempt: number };
  'maintenance.check': { node: string; remainingVmis: number };
  'maintenance.completed': { node: string; restarted: string[] };
  'maintenance.gave-up': { node: string; attempts: number };
  /** A `node.drain` step (kubectl drain) ended: every VM pod gone, or `--timeout` reached with these left. */
  'drain.result': {
    node: string;
    drained: boolean;
    seconds: number;
    timeoutSeconds: number;
    remaining: { vmi: string; action: DrainAction; message?: string }[];
    /** VMs whose launcher pod was evicted (strategy None, or LiveMigrateIfPossible and not migratable): their guests were shut down. */
    evicted: string[];
    /** kubectl's cordon was denied by Harvester's node webhook (the last available node): nothing was evicted. */
    refused?: string;
    /** Evictions still refused by a PodDisruptionBudget at `--timeout`. */
    blockedByPdb?: PdbRefusal[];
  };
  /** A drain's eviction was refused with 429 by a PodDisruptionBudget (written when the refusal starts or changes; kubectl retries every 5 s). */
  'drain.pdb-refused': PdbRefusal & { node: string };
}
