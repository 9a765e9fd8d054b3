import { describe, expect, it } from 'vitest';
import { liveMigrationCondition, type VmiVolume } from '../../../src/kubevirt/eviction/live-migratable.ts';

// kubevirt/kubevirt:pkg/virt-handler/vm.go calculateLiveMigrationCondition, checkVolumesForMigration.

const rwx: VmiVolume = {
  name: 'root',
  kind: 'persistentVolumeClaim',
  claimName: 'root-pvc',
  accessModes: ['ReadWriteMany'],
};
const rwo: VmiVolume = {
  name: 'data',
  kind: 'persistentVolumeClaim',
  claimName: 'data-pvc',
  accessModes: ['ReadWriteOnce'],
};
const cloudInit: VmiVolume = { name: 'cloudinit', kind: 'local', source: 'cloudInitNoCloud' };

describe('LiveMigratable condition (vm.go calculateLiveMigrationCondition)', () => {
  it('every PVC ReadWriteMany and nothing else → live-migratable by LiveMigration', () => {
    expect(liveMigrationCondition({ volumes: [rwx] })).toEqual({
      liveMigratable: true,
      method: 'LiveMigration',
    });
  });

  it('a ReadWriteOnce PVC → DisksNotLiveMigratable', () => {
    const c = liveMigrationCondition({ volumes: [rwx, rwo] });
    expect(c.liveMigratable).toBe(false);
    expect(c.reason).toBe('DisksNotLiveMigratable');
    expect(c.message).toContain('PVC data-pvc is not shared');
  });

  it('a PVC whose access modes are not yet known is not shared', () => {
    const c = liveMigrationCondition({
      volumes: [{ name: 'x', kind: 'persistentVolumeClaim', claimName: 'x', accessModes: undefined }],
    });
    expect(c.reason).toBe('DisksNotLiveMigratable');
  });

  it('a PVC in a volume migration does not need ReadWriteMany and forces BlockMigration', () => {
    const c = liveMigrationCondition({ volumes: [{ ...rwo, migrating: true } as VmiVolume] });
    expect(c).toEqual({ liveMigratable: true, method: 'BlockMigration' });
  });

  it('a writable non-PVC disk (containerDisk, cloud-init) → BlockMigration, still live-migratable', () => {
    expect(liveMigrationCondition({ volumes: [rwx, cloudInit] })).toEqual({
      liveMigratable: true,
      method: 'BlockMigration',
    });
  });

  it('read-only and virtiofs non-PVC volumes do not make it a block migration', () => {
    const c = liveMigrationCondition({
      volumes: [
        rwx,
        { name: 'cfg', kind: 'local', source: 'configMap', readOnly: true },
        { name: 'share', kind: 'local', source: 'persistentVolumeClaim', virtiofs: true },
      ],
    });
    expect(c.method).toBe('LiveMigration');
  });

  it('a non-shared hostDisk is not live-migratable; a shared one is', () => {
    expect(
      liveMigrationCondition({ volumes: [{ name: 'h', kind: 'hostDisk', shared: false }] }).liveMigratable,
    ).toBe(false);
    expect(
      liveMigrationCondition({ volumes: [{ name: 'h', kind: 'hostDisk', shared: true }] }).liveMigratable,
    ).toBe(true);
  });

  it('the other conditions, each with its upstream reason', () => {
    const v = { volumes: [rwx] };
    expect(liveMigrationCondition({ ...v, nonMigratableInterface: 'default' }).reason).toBe(
      'InterfaceNotLiveMigratable',
    );
    expect(liveMigrationCondition({ ...v, hostModelCpuUnschedulable: true }).reason).toBe(
      'CPUModeLiveMigratable',
    );
    expect(liveMigrationCondition({ ...v, hostDevices: 1 }).reason).toBe('HostDeviceNotLiveMigratable');
    expect(liveMigrationCondition({ ...v, gpus: 1 }).reason).toBe('HostDeviceNotLiveMigratable');
    expect(liveMigrationCondition({ ...v, gpus: 1, gpuLiveMigratable: true }).liveMigratable).toBe(true);
    expect(liveMigrationCondition({ ...v, sev: true }).reason).toBe('SEVNotLiveMigratable');
    expect(liveMigrationCondition({ ...v, tdx: true }).reason).toBe('TDXNotLiveMigratable');
    expect(liveMigrationCondition({ ...v, secureExecution: true }).reason).toBe(
      'SecureExecutionNotLiveMigratable',
    );
    expect(liveMigrationCondition({ ...v, tscRequiredWithoutHints: true }).reason).toBe(
      'NoTSCFrequencyNotLiveMigratable',
    );
    expect(liveMigrationCondition({ ...v, hypervPassthrough: true }).reason).toBe(
      'HypervPassthroughNotLiveMigratable',
    );
  });

  it('the interface check reports before the disk check', () => {
    expect(liveMigrationCondition({ volumes: [rwo], nonMigratableInterface: 'default' }).reason).toBe(
      'InterfaceNotLiveMigratable',
    );
  });
});
