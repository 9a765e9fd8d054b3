/**
 * Records of subsystems 'longhorn' (volumes, replicas, rebuilds, accounting) and 'guest' (filesystem
 * trim and the pauses it causes). Volumes are named `namespace/name`, VMs `namespace/name`.
 * Evaluation (src/evaluate/storage.ts) reads only these.
 */

export type LonghornVolumeState = 'creating' | 'attached' | 'detached' | 'attaching' | 'detaching';
export type LonghornRobustness = 'healthy' | 'degraded' | 'faulted' | 'unknown';
export type RebuildKind = 'full' | 'delta' | 'fast';

export type ReplicaFailureReason =
  /** Node shutting down or drained: "marked as failed immediately". */
  | 'node-shutdown'
  /** Power loss with IO in flight: engine-replica-timeout. */
  | 'engine-replica-timeout'
  /** The volume attached while the replica's node was down. */
  | 'node-down-at-attach'
  /** The rebuild into this replica did not finish. */
  | 'rebuild-failed';

export type ReplicaDeletionReason = 'stale' | 'retry-limit' | 'v2-failed-replica' | 'surplus';

export type RebuildFailureReason =
  | 'timeout'
  | 'destination-lost'
  | 'source-lost'
  | 'engine-lost'
  | 'detached';

export type UnmapOutcome = 'ok' | 'zero-bytes-while-rebuilding' | 'io-error' | 'unsupported';

export interface DiskAccounting {
  node: string;
  disk: string;
  storageMaximum: number;
  storageAvailable: number;
  storageScheduled: number;
  storageReserved: number;
  allocatedPercent: number;
}

export interface LonghornRecordData {
  'volume.state': { volume: string; state: LonghornVolumeState; node: string | null };
  'volume.robustness': {
    volume: string;
    robustness: LonghornRobustness;
    previous: LonghornRobustness | null;
    healthyReplicas: number;
    wantedReplicas: number;
  };
  /** The write rate the volume takes changed (VM started, stopped, paused, resumed; 0 while faulted: the engine fails I/O). */
  'volume.writes': { volume: string; bytesPerSecond: number };
  /** Bytes written while exactly one healthy replica held the data, one record per such period. */
  'volume.data-at-risk': { volume: string; bytes: number; fromSeconds: number; toSeconds: number };
  /** The engine's node lost power with the volume attached: a rebuild follows. */
  'volume.attached-at-power-off': { volume: string; node: string; mode: 'graceful' | 'power-loss' };
  /** auto-salvage revived failed replicas of a faulted volume. */
  'volume.salvaged': { volume: string; replicas: string[] };
  'replica.created': {
    volume: string;
    replica: string;
    node: string | null;
    disk: string | null;
    reason: 'initial' | 'replenish' | 'data-locality';
  };
  'replica.scheduled': { volume: string; replica: string; node: string; disk: string };
  'replica.failed': { volume: string; replica: string; node: string | null; reason: ReplicaFailureReason };
  'replica.reused': {
    volume: string;
    replica: string;
    node: string;
    failedForSeconds: number;
    retry: number;
  };
  'replica.deleted': { volume: string; replica: string; node: string | null; reason: ReplicaDeletionReason };
  /** Volume condition Scheduled=False (ReplicaSchedulingFailure). */
  'replica.unschedulable': {
    volume: string;
    condition: 'Scheduled';
    status: 'False';
    reason: 'ReplicaSchedulingFailure';
    cause: string;
    message: string;
    /** LH <= 1.6 creates the replica CR anyway; LH >= 1.7 prechecks and does not. */
    replicaCreated: boolean;
  };
  /** A new replica is held back until lastDegradedAt + replica-replenishment-wait-interval. */
  'replenish.waiting': { volume: string; untilSeconds: number };
  /** The destination node already runs concurrent-replica-rebuild-per-node-limit rebuilds. */
  'rebuild.queued': { volume: string; replica: string; node: string; running: number; limit: number };
  'rebuild.started': {
    volume: string;
    replica: string;
    kind: RebuildKind;
    sources: string[];
    destination: string;
    disk: string;
    bytesToSend: number;
    hashBytes: number;
    network: 'storage' | 'management';
    rateCapBytesPerSecond: number;
  };
  'rebuild.completed': {
    volume: string;
    replica: string;
    kind: RebuildKind;
    destination: string;
    bytesSent: number;
    seconds: number;
  };
  'rebuild.failed': {
    volume: string;
    replica: string;
    kind: RebuildKind;
    destination: string;
    reason: RebuildFailureReason;
    bytesSent: number;
    seconds: number;
  };
  /** An UNMAP reached the engine (guest trim or discard). */
  unmap: { volume: string; vm: string; outcome: UnmapOutcome; rebuilding: boolean; message: string };
  /** Disk status and Harvester's Hosts screen sums, written at start and when replicas change. */
  'storage.accounting': {
    totalBytes: number;
    usedBytes: number;
    reservedBytes: number;
    disks: DiskAccounting[];
  };
  /** A volume of an external CSI driver (no Longhorn replicas) lost or regained its cluster. */
  'external.reachability': { driver: string; reachable: boolean; volumes: string[] };
}

export type TrimTrigger = 'fstrim.timer' | 'discard' | 'windows-retrim' | 'scenario';

export interface GuestRecordData {
  'trim.started': { vm: string; trigger: TrimTrigger; volumes: string[] };
  'trim.finished': { vm: string; trigger: TrimTrigger; outcome: UnmapOutcome };
  /**
   * "VM Paused due to IO error at the volume: disk-N": a failed UNMAP (`trim`), or a write to a
   * faulted volume whose engine fails I/O (`volume-faulted`).
   */
  'vm.paused': {
    vm: string;
    reason: 'io-error';
    volume: string;
    disk: string;
    cause: 'trim' | 'volume-faulted';
    flap: number;
  };
  'vm.unpaused': { vm: string; pausedSeconds: number; flap: number };
}
