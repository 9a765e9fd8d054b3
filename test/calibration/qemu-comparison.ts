/**
 * Model against the QEMU calibration campaign: every run predicted from its inputs, compared on
 * verdict, total time, iterations, downtime and bytes (docs/validation.md).
 */

import type { LiveMigrationResult } from '../../src/kubevirt/migration/migration-request.ts';
import { simulateMigration } from '../../src/kubevirt/migration/single-migration-world.ts';
import {
  type CalibrationOutcome,
  type CalibrationRun,
  type CampaignParameters,
  calibrationRequest,
  recordedCampaign,
} from './qemu-runs.ts';

export interface RunComparison {
  readonly run: CalibrationRun;
  readonly predicted: LiveMigrationResult;
  readonly predictedVerdict: CalibrationOutcome;
  readonly verdictMatches: boolean;
  /** (predicted − observed) / observed total time. */
  readonly totalTimeError: number;
  readonly iterationsDelta: number;
  readonly downtimeErrorMs: number | null;
  readonly transferredError: number;
}

export interface ComparisonSummary {
  readonly runs: number;
  readonly verdictMatches: number;
  readonly medianAbsTotalTimeError: number;
  readonly maxAbsTotalTimeError: number;
  readonly completedRuns: number;
  readonly iterationsWithinOne: number;
  readonly medianAbsDowntimeErrorMs: number;
  readonly medianAbsTransferredError: number;
}

export function verdictOf(result: LiveMigrationResult): CalibrationOutcome {
  if (result.outcome === 'completed') return 'converged';
  if (result.outcome === 'post-copy') return 'converged-postcopy';
  return 'cancelled';
}

export function compareRun(
  run: CalibrationRun,
  campaign: CampaignParameters = recordedCampaign(),
): RunComparison {
  const predicted = simulateMigration(calibrationRequest(run, campaign), {
    linkBytesPerSecond: campaign.linkBytesPerSecond,
    untilSeconds: run.capSeconds + 60,
  });
  const verdict = verdictOf(predicted);
  const observedSeconds = run.totalMs / 1000;
  return {
    run,
    predicted,
    predictedVerdict: verdict,
    verdictMatches: verdict === run.outcome,
    totalTimeError: (predicted.migrationSeconds - observedSeconds) / observedSeconds,
    iterationsDelta: predicted.iterations - run.iterations,
    downtimeErrorMs:
      run.outcome === 'cancelled' || run.downtimeMs === null ? null : predicted.downtimeMs - run.downtimeMs,
    transferredError: (predicted.transferredBytes - run.transferredBytes) / run.transferredBytes,
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(rows: readonly RunComparison[]): ComparisonSummary {
  const completed = rows.filter((r) => r.run.outcome !== 'cancelled');
  const absTime = rows.map((r) => Math.abs(r.totalTimeError));
  return {
    runs: rows.length,
    verdictMatches: rows.filter((r) => r.verdictMatches).length,
    medianAbsTotalTimeError: median(absTime),
    maxAbsTotalTimeError: Math.max(...absTime),
    completedRuns: completed.length,
    iterationsWithinOne: completed.filter((r) => Math.abs(r.iterationsDelta) <= 1).length,
    medianAbsDowntimeErrorMs: median(
      rows.filter((r) => r.downtimeErrorMs !== null).map((r) => Math.abs(r.downtimeErrorMs as number)),
    ),
    medianAbsTransferredError: median(rows.map((r) => Math.abs(r.transferredError))),
  };
}
