/**
 * Whether one migration prediction sits on the knife edge: near the bandwidth a few per cent of dirty
 * rate flip the outcome (QEMU's own repeats of one input: converged in 27, 43 and 56 s, or cancelled
 * three times where the model's single run completed; docs/validation.md). `migrate` without `--runs`
 * checks its prediction with a few runs of the same input, the dirty rate drawn from its measured
 * variability (migration-ensemble.ts), when the prediction itself shows a long tail or no completion
 * with passes that dirty about as much as they send, so a clear case costs nothing.
 */
import { MIGRATION_ENSEMBLE_DEFAULTS } from '../defaults.ts';
import type { DirtyRateVariability } from './guest-dirtying.ts';
import { measuredDirtyRateVariability, simulateMigrationRuns } from './migration-ensemble.ts';
import type { LiveMigrationRequest, LiveMigrationResult } from './migration-request.ts';
import type { SingleMigrationWorld } from './single-migration-world.ts';

export interface EdgeCheck {
  readonly runs: number;
  /** Share of the runs whose VM ended on the target. */
  readonly completionProbability: number;
  readonly knifeEdge: boolean;
  /** p10 and p90 of the completed runs' migration time, null when none completed. */
  readonly migrationSeconds: { readonly p10: number; readonly p90: number } | null;
}

/**
 * A pre-copy prediction that did not complete or needed many syncs, whose last closed pass dirtied
 * about as much as it sent (the knife edge; a guest far above the bandwidth or held down by the
 * throttle is not on it), and not so long that the check's runs would take long. Post-copy always ends.
 */
export function needsEdgeCheck(result: LiveMigrationResult): boolean {
  const d = MIGRATION_ENSEMBLE_DEFAULTS;
  if (result.postCopyStartSeconds !== null) return false;
  if (result.migrationSeconds > d.edgeCheckMaxSeconds.value) return false;
  if (result.vmRunsOn === 'target' && result.iterations < d.edgeCheckMinIterations.value) return false;
  const last = result.passes.filter((p) => p.kind === 'pre-copy' && p.bytes > 0 && p.dirtyBytes > 0).at(-1);
  if (last === undefined) return false;
  const ratio = last.dirtyBytes / last.bytes;
  const band = d.edgeCheckPassRatioBand.value;
  return ratio >= 1 - band && ratio <= 1 / (1 - band);
}

/**
 * The same input run `edgeCheckRuns` times (seeds 1 onward) with the calibration guest's variability
 * (its page layout's overlap share drawn per run unless `variability` leaves it out).
 */
export function checkEdge(
  request: LiveMigrationRequest,
  world: Omit<SingleMigrationWorld, 'seed'>,
  variability: DirtyRateVariability = measuredDirtyRateVariability(),
): EdgeCheck {
  const e = simulateMigrationRuns(request, world, {
    runs: MIGRATION_ENSEMBLE_DEFAULTS.edgeCheckRuns.value,
    firstSeed: 1,
    variability,
  });
  return {
    runs: e.runs,
    completionProbability: e.completionProbability,
    knifeEdge: e.knifeEdge,
    migrationSeconds:
      e.migrationSeconds === null ? null : { p10: e.migrationSeconds.p10, p90: e.migrationSeconds.p90 },
  };
}
