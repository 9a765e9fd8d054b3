/** Where one live migration is, from the request to its end (MigrationRun.phase). */
export type LiveMigrationPhase =
  /** The target virt-launcher pod: Pending → Scheduling → Scheduled → PreparingTarget → TargetReady. */
  | 'target-pod'
  /** QEMU `migrate` issued; set-up until the first page is sent. */
  | 'setup'
  /** BlockMigration: the NBD mirror of the local disks, before RAM. */
  | 'disk-copy'
  | 'pre-copy'
  /** The VM is stopped on the source: the final copy (or the post-copy switch). */
  | 'stop-and-copy'
  /** The VM runs on the target; the rest of its memory is pushed. */
  | 'post-copy'
  | 'finished';
