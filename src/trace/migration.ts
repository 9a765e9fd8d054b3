/**
 * Records of subsystem 'kubevirt.migration': one live migration as QEMU and virt-handler's monitor
 * run it (src/kubevirt/migration/). Every record names its migration.
 */

/** How one live migration ended. */
export type LiveMigrationOutcome =
  | 'completed'
  | 'post-copy'
  | 'aborted'
  | 'cancelled'
  /** A node failed before the switch: the VM stays where it was (or is lost with the source). */
  | 'failed'
  /** A node failed during post-copy: neither side holds the whole VM. */
  | 'vm-lost';

/** What virt-handler's migration monitor decided on one poll. */
export type MonitorActionKind = 'none' | 'start-post-copy' | 'pause-guest' | 'abort';

export interface MigrationRunRecordData {
  /** QEMU `migrate` started (the target pod is ready); the monitor's acceptable completion time. */
  start: { migration: string; acceptableCompletionSeconds: number | null };
  /** KubeVirt suspended the guest (workload disruption without post-copy). */
  'pause-guest': { migration: string };
  /** The switch to post-copy: what is left to push. */
  'post-copy': { migration: string; pushBytes: number };
  /** Auto-converge raised the vCPU throttle. */
  throttle: { migration: string; percent: number };
  /** A dirty-bitmap sync (QEMU `dirty-sync-count`) and the bytes the next pass must send. */
  sync: { migration: string; count: number; thresholdBytes: number };
  monitor: { migration: string; action: MonitorActionKind; elapsedSeconds: number };
  /**
   * One sample of the migration job as KubeVirt exports it (`kubevirt_vmi_migration_*` gauges of
   * virt-handler on the source); written by the adapter into observed traces, not by the model.
   * `dirtyRateBytesPerSecond` is libvirt's pages per second times the page size.
   */
  progress: {
    migration: string;
    dataRemainingBytes: number;
    dataProcessedBytes: number;
    dirtyRateBytesPerSecond: number;
    transferRateBytesPerSecond: number;
  };
  result: {
    migration: string;
    outcome: LiveMigrationOutcome;
    reason: string;
    vmRunsOn: 'source' | 'target' | 'none';
    totalSeconds: number;
  };
}
