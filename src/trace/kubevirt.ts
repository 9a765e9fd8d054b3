/** Records of subsystem 'kubevirt' written by the VM lifecycle (migrations write their own). */
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
    outcome: 'completed' | 'post-copy' | 'aborted' | 'cancelled' | 'failed' | 'vm-lost';
    reason: string;
    seconds: number;
    downtimeMs: number;
    passes: number;
    iterations: number;
    transferredBytes: number;
    maxThrottlePercent: number;
    /** Seconds spent in post-copy, when neither node may fail without losing the VM. */
    postCopySeconds: number;
    policy: string | null;
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
}
