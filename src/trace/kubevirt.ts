/** Records of subsystem 'kubevirt' written by the VM lifecycle (migrations write their own). */
export type VmPhase = 'Stopped' | 'Pending' | 'Starting' | 'Running' | 'Stopping';

export interface VmRecordData {
  'vm.phase': { vm: string; phase: VmPhase; node: string | null; reason: string };
  /** Harvester's vm-force-reset-policy deleted the VMI of a lost node; it restarts elsewhere. */
  'vm.force-restarted': { vm: string; from: string; to: string | null };
  /** A VMI was still running when its node lost power. */
  'vm.lost-with-node': { vm: string; node: string; mode: 'graceful' | 'power-loss' };
}
