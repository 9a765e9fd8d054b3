/**
 * The `LiveMigratable` condition and the migration method of a VMI, as virt-handler computes them
 * (`kubevirt/kubevirt:pkg/virt-handler/vm.go`, `calculateLiveMigrationCondition` and
 * `checkVolumesForMigration`).
 */

import type { AccessMode } from '../../scenario/types.ts';

/** A volume as far as migratability is concerned. */
export type VmiVolume =
  /** persistentVolumeClaim or dataVolume; accessModes from the PVC status. */
  | {
      readonly name: string;
      readonly kind: 'persistentVolumeClaim';
      readonly claimName: string;
      /** Undefined when the status does not yet report the claim (treated as not shared). */
      readonly accessModes: readonly AccessMode[] | undefined;
      /** Part of an ongoing volume migration (then its access mode does not matter). */
      readonly migrating?: boolean;
    }
  | { readonly name: string; readonly kind: 'hostDisk'; readonly shared: boolean }
  /**
   * Everything else: containerDisk, emptyDisk, ephemeral, cloudInitNoCloud, configMap, secret, ….
   * Writable ones are copied by block migration; read-only disks and virtiofs filesystems are not.
   */
  | {
      readonly name: string;
      readonly kind: 'local';
      readonly source: string;
      readonly readOnly?: boolean;
      readonly virtiofs?: boolean;
    };

/** Features of a VMI spec that make it not live-migratable; all default to absent. */
export interface VmiMigrationFeatures {
  /** e.g. a bridge binding on the pod network. */
  readonly nonMigratableInterface?: string;
  /** host-model CPU whose model is not schedulable elsewhere. */
  readonly hostModelCpuUnschedulable?: boolean;
  readonly hostDevices?: number;
  readonly gpus?: number;
  /** Only relevant with one GPU: the VGPULiveMigration gate is on and the GPU is an mdev. */
  readonly gpuLiveMigratable?: boolean;
  readonly sev?: boolean;
  readonly tdx?: boolean;
  readonly secureExecution?: boolean;
  /** TSC frequency required for migration and no topology hints defined. */
  readonly tscRequiredWithoutHints?: boolean;
  readonly hypervPassthrough?: boolean;
}

export interface VmiMigrationSpec extends VmiMigrationFeatures {
  readonly volumes: readonly VmiVolume[];
}

export type MigrationMethod = 'LiveMigration' | 'BlockMigration';

/** Upstream reason strings of `LiveMigratable=False` (`staging/.../core/v1/types.go`). */
export type NotMigratableReason =
  | 'InterfaceNotLiveMigratable'
  | 'CPUModeLiveMigratable'
  | 'HostDeviceNotLiveMigratable'
  | 'SEVNotLiveMigratable'
  | 'TDXNotLiveMigratable'
  | 'SecureExecutionNotLiveMigratable'
  | 'NoTSCFrequencyNotLiveMigratable'
  | 'HypervPassthroughNotLiveMigratable'
  | 'DisksNotLiveMigratable';

export interface LiveMigrationCondition {
  readonly liveMigratable: boolean;
  readonly reason?: NotMigratableReason;
  readonly message?: string;
  readonly method: MigrationMethod;
}

/**
 * The condition, checks in upstream order (the first failing one names the reason); the disk check
 * runs first but reports last, and its block-migration result is always returned.
 */
export function liveMigrationCondition(spec: VmiMigrationSpec): LiveMigrationCondition {
  const disks = checkVolumes(spec.volumes);
  const method: MigrationMethod = disks.blockMigrate ? 'BlockMigration' : 'LiveMigration';
  const no = (reason: NotMigratableReason, message: string): LiveMigrationCondition => ({
    liveMigratable: false,
    reason,
    message,
    method,
  });
  if (spec.nonMigratableInterface !== undefined) {
    return no(
      'InterfaceNotLiveMigratable',
      `interface ${spec.nonMigratableInterface} is not live-migratable`,
    );
  }
  if (spec.hostModelCpuUnschedulable)
    return no('CPUModeLiveMigratable', 'host-model CPU is not schedulable on any other node');
  const hostDevice = hostDeviceReason(spec);
  if (hostDevice !== undefined) return no('HostDeviceNotLiveMigratable', hostDevice);
  if (spec.sev) return no('SEVNotLiveMigratable', 'VMI uses SEV');
  if (spec.tdx) return no('TDXNotLiveMigratable', 'VMI uses TDX');
  if (spec.secureExecution) return no('SecureExecutionNotLiveMigratable', 'VMI uses Secure Execution');
  if (spec.tscRequiredWithoutHints)
    return no(
      'NoTSCFrequencyNotLiveMigratable',
      'TSC frequency is required and no topology hints are defined',
    );
  if (spec.hypervPassthrough) return no('HypervPassthroughNotLiveMigratable', 'VMI uses hyperv passthrough');
  if (disks.error !== undefined) return no('DisksNotLiveMigratable', disks.error);
  return { liveMigratable: true, method };
}

function hostDeviceReason(spec: VmiMigrationFeatures): string | undefined {
  if ((spec.hostDevices ?? 0) > 0) return 'VMI specifies non-migratable generic PCI host device';
  const gpus = spec.gpus ?? 0;
  if (gpus > 1) return 'VMI specifies too many GPUs';
  if (gpus === 1 && !spec.gpuLiveMigratable) return 'VMI specifies non-migratable GPU device';
  return undefined;
}

/**
 * `checkVolumesForMigration`: every PVC must be shared (ReadWriteMany in its status) unless it is being
 * volume-migrated; a hostDisk must be shared; any other writable volume that is not virtiofs makes the
 * migration a block migration. The first unshared volume ends the scan.
 */
function checkVolumes(volumes: readonly VmiVolume[]): { blockMigrate: boolean; error?: string } {
  let blockMigrate = volumes.some((v) => v.kind === 'persistentVolumeClaim' && v.migrating === true);
  for (const volume of volumes) {
    switch (volume.kind) {
      case 'persistentVolumeClaim': {
        if (volume.accessModes === undefined) {
          return {
            blockMigrate: true,
            error: `cannot migrate VMI: Unable to determine if PVC ${volume.claimName} is shared, live migration requires that all PVCs must be shared (using ReadWriteMany access mode)`,
          };
        }
        if (!volume.accessModes.includes('ReadWriteMany') && volume.migrating !== true) {
          return {
            blockMigrate: true,
            error: `cannot migrate VMI: PVC ${volume.claimName} is not shared, live migration requires that all PVCs must be shared (using ReadWriteMany access mode)`,
          };
        }
        break;
      }
      case 'hostDisk':
        if (!volume.shared)
          return { blockMigrate: true, error: 'cannot migrate VMI with non-shared HostDisk' };
        break;
      case 'local':
        if (volume.virtiofs || volume.readOnly) break;
        blockMigrate = true;
        break;
    }
  }
  return { blockMigrate };
}
