/**
 * Phases of a VirtualMachineInstanceMigration on the default (non-decentralized) path
 * (`kubevirt/kubevirt:staging/src/kubevirt.io/api/core/v1/types.go`,
 * `VirtualMachineInstanceMigrationPhase`; transitions in
 * `pkg/virt-controller/watch/migration/migration.go`, `processMigrationPhase`).
 */
import type { VmimPhase } from '../../trace/kubevirt.ts';

/** The order phases are entered in; Failed may follow any unfinished phase. */
export const PHASE_ORDER: readonly VmimPhase[] = [
  'Pending',
  'Scheduling',
  'Scheduled',
  'PreparingTarget',
  'TargetReady',
  'Running',
  'Succeeded',
];

export function isFinalPhase(phase: VmimPhase): boolean {
  return phase === 'Succeeded' || phase === 'Failed';
}

/**
 * Whether a migration holds an admission slot: from target-pod creation (the controller moves to
 * Scheduling once the pod exists; `findRunningMigrations` also counts Pending with a target pod)
 * until Succeeded or Failed.
 */
export function holdsSlot(phase: VmimPhase): boolean {
  return phase !== 'Pending' && !isFinalPhase(phase);
}

/** Phases the single-migration model reports, in order, between PreparingTarget and the end. */
export type ReportedPhase = 'TargetReady' | 'Running';
