/**
 * One migration input run many times, each with its own seed, the guest's dirty rate drawn from its
 * variability (guest-dirtying.ts `DirtyRateVariability`): how likely it completes and the spread of
 * its time, iterations and downtime (`harvester-sim migrate --runs N`). Near the knife edge, where
 * the dirty rate is close to what the bandwidth clears, small changes in the rate flip the outcome.
 */
import {
  BUSY_HOST_DIRTY_RATE_VARIABILITY,
  MIGRATION_ENSEMBLE_DEFAULTS,
  QEMU_CALIBRATION_CAMPAIGN,
} from '../defaults.ts';
import type { DirtyRateVariability } from './guest-dirtying.ts';
import type { LiveMigrationRequest, LiveMigrationResult } from './migration-request.ts';
import { type SingleMigrationWorld, simulateMigration } from './single-migration-world.ts';

export interface Percentiles {
  readonly p10: number;
  readonly p50: number;
  readonly p90: number;
}

export interface MigrationEnsemble {
  readonly runs: number;
  /** Seeds `firstSeed` … `firstSeed + runs − 1`, one per run. */
  readonly firstSeed: number;
  readonly variability: DirtyRateVariability;
  /** Runs by outcome (`completed`, `post-copy`, `cancelled`, `aborted`, ...). */
  readonly outcomes: Readonly<Record<string, number>>;
  /** Share of runs whose VM ended on the target (completed or post-copy). */
  readonly completionProbability: number;
  /** Over the runs that completed; null when none did. */
  readonly migrationSeconds: Percentiles | null;
  readonly iterations: Percentiles | null;
  readonly downtimeMs: Percentiles | null;
  /** The runs disagree on the outcome, or their times spread by half or more (p90 ≥ 1.5 × p10). */
  readonly knifeEdge: boolean;
}

/** Linear interpolation between order statistics (R type 7, numpy's default). */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) throw new Error('percentile of no values');
  const position = (sorted.length - 1) * fraction;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

function percentiles(values: readonly number[]): Percentiles | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const d = MIGRATION_ENSEMBLE_DEFAULTS;
  return {
    p10: percentile(sorted, d.lowerPercentile.value),
    p50: percentile(sorted, 1 / 2),
    p90: percentile(sorted, d.upperPercentile.value),
  };
}

/**
 * The calibration guest's measured variability (defaults.ts QEMU_CALIBRATION_CAMPAIGN), redrawn each
 * second, and its page layout's overlap share drawn per run.
 */
export function measuredDirtyRateVariability(): DirtyRateVariability {
  const c = QEMU_CALIBRATION_CAMPAIGN;
  return {
    perRunRelativeSd: c.dirtyRatePerRunRelativeSd.value,
    perPeriodRelativeSd: c.dirtyRatePerSecondRelativeSd.value,
    periodSeconds: MIGRATION_ENSEMBLE_DEFAULTS.dirtyRatePeriodSeconds.value,
    overlapFractionPerRunMean: c.workingSetOverlapPerRunMean.value,
  };
}

/** The same guest on a busy host (defaults.ts BUSY_HOST_DIRTY_RATE_VARIABILITY), redrawn each second. */
export function busyHostDirtyRateVariability(): DirtyRateVariability {
  const b = BUSY_HOST_DIRTY_RATE_VARIABILITY;
  return {
    perRunRelativeSd: b.perRunRelativeSd.value,
    perPeriodRelativeSd: b.perSecondRelativeSd.value,
    periodSeconds: MIGRATION_ENSEMBLE_DEFAULTS.dirtyRatePeriodSeconds.value,
    overlapFractionPerRunMean: QEMU_CALIBRATION_CAMPAIGN.workingSetOverlapPerRunMean.value,
  };
}

export function summarizeRuns(
  results: readonly LiveMigrationResult[],
  firstSeed: number,
  variability: DirtyRateVariability,
): MigrationEnsemble {
  const outcomes: Record<string, number> = {};
  for (const r of results) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  const completed = results.filter((r) => r.vmRunsOn === 'target');
  const time = percentiles(completed.map((r) => r.migrationSeconds));
  const probability = results.length === 0 ? 0 : completed.length / results.length;
  const disagree = probability > 0 && probability < 1;
  const spread =
    time !== null &&
    time.p10 > 0 &&
    time.p90 >= (1 + MIGRATION_ENSEMBLE_DEFAULTS.knifeEdgeTimeSpread.value) * time.p10;
  return {
    runs: results.length,
    firstSeed,
    variability,
    outcomes,
    completionProbability: probability,
    migrationSeconds: time,
    iterations: percentiles(completed.map((r) => r.iterations)),
    downtimeMs: percentiles(completed.map((r) => r.downtimeMs)),
    knifeEdge: disagree || spread,
  };
}

/** Runs `request` `runs` times, seeds `firstSeed` onward, with the dirty rate varying as given. */
export function simulateMigrationRuns(
  request: LiveMigrationRequest,
  world: Omit<SingleMigrationWorld, 'seed'>,
  options: { readonly runs: number; readonly firstSeed: number; readonly variability: DirtyRateVariability },
): MigrationEnsemble {
  if (!(Number.isInteger(options.runs) && options.runs >= 1)) {
    throw new Error(`runs: expected a whole number of 1 or more, found ${options.runs}`);
  }
  const varied: LiveMigrationRequest = {
    ...request,
    guest: { ...request.guest, dirtyRateVariability: options.variability },
  };
  const results: LiveMigrationResult[] = [];
  for (let i = 0; i < options.runs; i++) {
    results.push(simulateMigration(varied, { ...world, seed: options.firstSeed + i }));
  }
  return summarizeRuns(results, options.firstSeed, options.variability);
}
