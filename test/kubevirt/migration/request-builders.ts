import {
  defaultMigrationProfile,
  defaultMigrationSettings,
  type GuestWorkload,
  type LiveMigrationRequest,
  type MigrationProfile,
  type MigrationSettings,
} from '../../../src/kubevirt/migration/migration-request.ts';

export const MiB = 2 ** 20;
export const GiB = 2 ** 30;

/** A request on KubeVirt's latest defaults; target pod start 0 unless given. */
export function request(
  guest: Partial<GuestWorkload>,
  settings: Partial<MigrationSettings> = {},
  extra: {
    profile?: Partial<MigrationProfile>;
    postCopyAfterPass?: number | null;
    cancelAfterSeconds?: number | null;
  } = {},
): LiveMigrationRequest {
  const memoryBytes = guest.memoryBytes ?? 256 * MiB;
  return {
    name: 'vm',
    guest: {
      memoryBytes,
      usedMemoryBytes: guest.usedMemoryBytes ?? memoryBytes,
      workingSetBytes: guest.workingSetBytes ?? 32 * MiB,
      dirtyPagesPerSecond: guest.dirtyPagesPerSecond ?? 0,
      throttleCatchUpMs: guest.throttleCatchUpMs ?? 0,
      blockMigrationDiskBytes: guest.blockMigrationDiskBytes ?? 0,
    },
    settings: { ...defaultMigrationSettings(), ...settings },
    profile: { ...defaultMigrationProfile(), targetPodStartSeconds: 0, ...extra.profile },
    postCopyAfterPass: extra.postCopyAfterPass ?? null,
    cancelAfterSeconds: extra.cancelAfterSeconds ?? null,
  };
}
