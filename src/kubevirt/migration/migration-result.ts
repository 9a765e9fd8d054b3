/**
 * What a live migration reports when it ends, assembled from the run's clocks and bytes: the
 * durations, the downtime, and every pass in order with the one under way when it ended.
 */
import type { LiveMigrationOutcome } from '../../trace/migration.ts';
import type { LiveMigrationResult } from './migration-request.ts';
import type { PassRecord, PrecopyState } from './precopy-machine.ts';
import type { LiveMigrationPhase } from './run-phase.ts';

/** The run as it ends, before it is marked finished. */
export interface RunAtEnd {
  readonly name: string;
  readonly outcome: LiveMigrationOutcome;
  readonly reason: string;
  readonly vmRunsOn: LiveMigrationResult['vmRunsOn'];
  readonly nowSeconds: number;
  /** When the migration was requested (the target pod's creation). */
  readonly requestSeconds: number;
  /** When QEMU's `migrate` started; null if it never did. */
  readonly migrationStartSeconds: number | null;
  readonly phase: LiveMigrationPhase;
  /** Start of the disk copy or of the post-copy push, whichever came last. */
  readonly phaseStartSeconds: number;
  readonly downtimeSeconds: number;
  /** The destination's resume after QEMU's downtime (profile), counted when the VM ends on the target. */
  readonly destinationResumeSeconds: number;
  readonly downtimeBytes: number;
  readonly guestPausedAtSeconds: number | null;
  /** Seconds after `migrate` at which the VM switched to post-copy; null without post-copy. */
  readonly postCopyStartSeconds: number | null;
  /** QEMU's pre-copy loop; null if it never started. */
  readonly precopy: PrecopyState | null;
  /** The disk copy and post-copy passes (TransferLedger). */
  readonly passes: readonly PassRecord[];
  /** Every byte sent, all flows retired. */
  readonly retiredBytes: number;
}

/** The result: durations from the clocks, bytes from the flows, the passes in order. */
export function migrationResult(end: RunAtEnd): LiveMigrationResult {
  const recorded = [...end.passes, ...(end.precopy?.passes ?? [])];
  const now = end.nowSeconds;
  return {
    name: end.name,
    outcome: end.outcome,
    reason: end.reason,
    vmRunsOn: end.vmRunsOn,
    totalSeconds: now - end.requestSeconds,
    targetPodStartSeconds: (end.migrationStartSeconds ?? now) - end.requestSeconds,
    migrationSeconds: end.migrationStartSeconds === null ? 0 : now - end.migrationStartSeconds,
    downtimeMs: end.downtimeSeconds * 1000,
    guestDowntimeMs:
      end.vmRunsOn === 'target' ? (end.downtimeSeconds + end.destinationResumeSeconds) * 1000 : 0,
    downtimeBytes: end.downtimeBytes,
    guestPausedSeconds: end.guestPausedAtSeconds === null ? 0 : now - end.guestPausedAtSeconds,
    iterations: end.precopy?.syncCount ?? 0,
    transferredBytes: end.retiredBytes,
    maxThrottlePercent: end.precopy?.maxThrottlePercent ?? 0,
    postCopyStartSeconds: end.postCopyStartSeconds,
    passes: [...recorded, ...openPass(end, recorded)].sort(passOrder),
  };
}

/** The pass under way when the migration ended: the bytes sent that no recorded pass holds. */
function openPass(end: RunAtEnd, recorded: readonly PassRecord[]): PassRecord[] {
  const recordedBytes = recorded.reduce((sum, pass) => sum + pass.bytes, 0) + end.downtimeBytes;
  if (end.retiredBytes <= recordedBytes) return [];
  const kind = end.phase === 'disk-copy' ? 'disk-copy' : end.phase === 'post-copy' ? 'post-copy' : 'pre-copy';
  const since =
    end.phase === 'pre-copy' && end.precopy !== null ? end.precopy.pass.startSeconds : end.phaseStartSeconds;
  return [{ kind, bytes: end.retiredBytes - recordedBytes, seconds: end.nowSeconds - since, dirtyBytes: 0 }];
}

function passOrder(a: PassRecord, b: PassRecord): number {
  const rank = { 'disk-copy': 0, 'pre-copy': 1, 'post-copy': 2 } as const;
  return rank[a.kind] - rank[b.kind];
}
