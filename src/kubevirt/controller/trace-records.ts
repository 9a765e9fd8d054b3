import type { DrainAction } from '../eviction/eviction-strategy.ts';
import type { MigrationOrigin } from './backoff.ts';
import type { MigrationPhase } from './phases.ts';

/** Subsystem name of every record the KubeVirt controllers write. */
export const KUBEVIRT_SUBSYSTEM = 'kubevirt';

/** Data of the trace records, by kind. Evaluation reads these, never controller internals. */
export interface KubevirtControllerRecords {
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
    phase: MigrationPhase;
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
  };
  'maintenance.drained': { node: string; attempt: number };
  'maintenance.check': { node: string; remainingVmis: number };
  'maintenance.completed': { node: string; restarted: string[] };
  'maintenance.gave-up': { node: string; attempts: number };
}

export type KubevirtControllerKind = keyof KubevirtControllerRecords;
