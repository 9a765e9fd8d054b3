import type { MigrationOrigin } from '../../trace/kubevirt.ts';
import { migrationControllerTiming } from './defaults.ts';

/** A finished VMIM of one VMI, as the backoff reads it. */
export interface FinishedMigration {
  readonly origin: MigrationOrigin;
  readonly succeeded: boolean;
  readonly finishedAtSeconds: number;
}

export interface BackoffParameters {
  readonly backoffInitialSeconds: number;
  readonly backoffFactor: number;
}

const DEFAULT_BACKOFF: BackoffParameters = migrationControllerTiming();

export interface Backoff {
  /** Consecutive failed evacuation/workload-update VMIMs since the last success. */
  readonly consecutiveFailures: number;
  /** 20 s × 2^(failures − 1); 0 without failures. */
  readonly backoffSeconds: number;
  /** Time left from now until the previous VMIM's failure + backoff; ≤ 0 means go. */
  readonly remainingSeconds: number;
}

/**
 * `handleMigrationBackoff` (`kubevirt/kubevirt:pkg/virt-controller/watch/migration/migration.go`),
 * for evacuation and workload-update VMIMs only. `history` is the VMI's retained finished VMIMs,
 * oldest first (the controller keeps the 5 most recent, which caps the backoff at 320 s):
 * - only evacuation/workload-update VMIMs count;
 * - walking from the newest back, each Failed one doubles the backoff (first 20 s), a Succeeded one
 *   stops the walk;
 * - the wait is measured from the failure time of the newest previous eligible VMIM.
 */
export function migrationBackoff(
  origin: MigrationOrigin,
  history: readonly FinishedMigration[],
  nowSeconds: number,
  parameters: BackoffParameters = DEFAULT_BACKOFF,
): Backoff {
  const none: Backoff = { consecutiveFailures: 0, backoffSeconds: 0, remainingSeconds: 0 };
  if (origin === 'user') return none;
  const eligible = history.filter((m) => m.origin !== 'user');
  if (eligible.length === 0) return none;
  let failures = 0;
  let backoffSeconds = 0;
  for (let i = eligible.length - 1; i >= 0; i--) {
    if (eligible[i].succeeded) break;
    failures++;
    backoffSeconds =
      backoffSeconds === 0 ? parameters.backoffInitialSeconds : backoffSeconds * parameters.backoffFactor;
  }
  if (failures === 0) return none;
  const newest = eligible[eligible.length - 1];
  return {
    consecutiveFailures: failures,
    backoffSeconds,
    remainingSeconds: newest.finishedAtSeconds + backoffSeconds - nowSeconds,
  };
}
