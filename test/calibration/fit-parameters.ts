/**
 * Least-squares fits of the migration model's profile parameters across all calibration runs at
 * once (never per run): ordinary least squares by the normal equations, solved with mathjs.
 */
import { lusolve, multiply, transpose } from 'mathjs';
import type { CalibrationRun } from './qemu-runs.ts';
import type { SyncObservation } from './sync-observations.ts';
import type { ThrottleObservation } from './throttle-observations.ts';

export interface LinearFit {
  readonly coefficients: readonly number[];
  /** Root-mean-square residual, in the unit of y. */
  readonly rmsResidual: number;
  readonly runs: number;
}

/** Minimises |A·x − y|² over x. */
export function leastSquares(design: readonly (readonly number[])[], observed: readonly number[]): LinearFit {
  if (design.length === 0 || design.length !== observed.length) {
    throw new Error(`least squares: ${design.length} rows of design for ${observed.length} observations`);
  }
  const a = design.map((row) => [...row]);
  const at = transpose(a) as number[][];
  const ata = multiply(at, a) as number[][];
  const aty = (multiply(at, [...observed]) as number[]).map((value) => [value]);
  const solution = lusolve(ata, aty) as number[][];
  const coefficients = solution.map((row) => Number(row[0]));
  const residuals = a.map(
    (row, i) => row.reduce((sum, value, j) => sum + value * coefficients[j], 0) - observed[i],
  );
  const rms = Math.sqrt(residuals.reduce((sum, r) => sum + r * r, 0) / residuals.length);
  return { coefficients, rmsResidual: rms, runs: a.length };
}

const PAGE = 4096;
const MiB = 2 ** 20;

/** The campaign-wide fits. */
export interface CampaignFit {
  /** normal pages − touched pages = base + perMemoryPage × memory pages, on idle converged runs. */
  readonly resident: LinearFit;
  /** transferred − 4096 × normal = header × normal + zeroCost × zero pages, on pre-copy runs. */
  readonly wire: LinearFit;
  /** setup_ms as one constant (the mean). */
  readonly setup: LinearFit;
  /** downtime = fixed + downtime bytes / link speed, on converged pre-copy runs. */
  readonly downtime: LinearFit;
}

export function fitCampaign(runs: readonly CalibrationRun[]): CampaignFit {
  const idle = runs.filter((r) => r.achievedRatePps === 0 && r.outcome === 'converged');
  const precopy = runs.filter((r) => !r.postcopy);
  const converged = runs.filter((r) => r.outcome === 'converged' && r.downtimeMs !== null);
  return {
    resident: leastSquares(
      idle.map((r) => [1, (r.memMib * MiB) / PAGE]),
      idle.map((r) => r.normalPages - (r.guestAllocMib * MiB) / PAGE),
    ),
    wire: leastSquares(
      precopy.map((r) => [r.normalPages, r.zeroPages]),
      precopy.map((r) => r.transferredBytes - PAGE * r.normalPages),
    ),
    setup: leastSquares(
      runs.map(() => [1]),
      runs.map((r) => r.setupMs / 1000),
    ),
    downtime: leastSquares(
      converged.map((r) => [1, r.downtimeBytes]),
      converged.map((r) => (r.downtimeMs as number) / 1000),
    ),
  };
}

/** The dirty-page geometry fits, from what each sync of each trace found (sync-observations.ts). */
export interface GeometryFit {
  /**
   * Syncs whose interval covered the whole working set (written ≥ 1.2 W, from the third on):
   * marked − W = base + perWorkingSetPage × W. What lies beyond W is dirtied again every interval.
   */
  readonly hotSet: LinearFit;
  /**
   * Syncs that did not cover it (written < 0.9 W, from the fourth on): the pages lost to overlap,
   * unsent + written + new hot pages − marked = m × unsent × written / W (through the origin).
   */
  readonly contiguousOverlap: LinearFit;
}

export function fitGeometry(observations: readonly SyncObservation[]): GeometryFit {
  const saturated = observations.filter((o) => o.syncCount >= 3 && o.writtenPages >= 1.2 * o.workingSetPages);
  const hotSet = leastSquares(
    saturated.map((o) => [1, o.workingSetPages]),
    saturated.map((o) => o.markedPages - o.workingSetPages),
  );
  const [base, perPage] = hotSet.coefficients;
  const partial = partialSyncs(observations);
  const contiguousOverlap = overlapFit(partial, base, perPage);
  return { hotSet, contiguousOverlap };
}

/** Syncs that did not cover the working set, from the fourth on (the overlap fits read these). */
function partialSyncs(observations: readonly SyncObservation[]): SyncObservation[] {
  return observations.filter(
    (o) => o.syncCount >= 4 && o.writtenPages < 0.9 * o.workingSetPages && o.passPages !== null,
  );
}

/** unsent + written + new hot − marked = m × unsent × written / W, through the origin. */
function overlapFit(partial: readonly SyncObservation[], hotBase: number, hotPerPage: number): LinearFit {
  return leastSquares(
    partial.map((o) => [(o.unsentPages * o.writtenPages) / o.workingSetPages]),
    partial.map((o) => {
      const hot = hotBase + hotPerPage * o.workingSetPages;
      const newHot = hot * (1 - Math.min(1, o.unsentPages / (o.passPages as number)));
      return o.unsentPages + o.writtenPages + newHot - o.markedPages;
    }),
  );
}

/** The overlap share of each run on its own, and their mean (each boot of the guest one draw). */
export interface OverlapPerRun {
  readonly runs: readonly { readonly runId: string; readonly syncs: number; readonly m: number }[];
  readonly mean: number;
}

/**
 * The overlap share m fitted run by run, as `fitGeometry` fits it over all runs (the same syncs, the
 * hot set given), for the runs with at least `minimumSyncs` such syncs. The pooled fit weighs a run
 * by its syncs; the mean of the runs is what a new boot of the guest is expected to show.
 */
export function fitOverlapPerRun(
  observations: readonly SyncObservation[],
  hotBase: number,
  hotPerPage: number,
  minimumSyncs = 8,
): OverlapPerRun {
  const byRun = new Map<string, SyncObservation[]>();
  for (const o of partialSyncs(observations)) byRun.set(o.runId, [...(byRun.get(o.runId) ?? []), o]);
  const runs = [...byRun.entries()]
    .filter(([, syncs]) => syncs.length >= minimumSyncs)
    .map(([runId, syncs]) => ({
      runId,
      syncs: syncs.length,
      m: overlapFit(syncs, hotBase, hotPerPage).coefficients[0],
    }));
  if (runs.length === 0)
    throw new Error(`overlap per run: no run has ${minimumSyncs} syncs that did not cover its set`);
  return { runs, mean: runs.reduce((sum, r) => sum + r.m, 0) / runs.length };
}

/**
 * The paced guest's effective catch-up per throttle stall (throttle-observations.ts): each settled
 * throttled second gives c = share × (10 + S) − 10 with S = 10·p/(1 − p) ms; c as one constant over
 * every such second of every auto-converge run with S above the dirtier's 4 ms (throttle ≥ 30 %),
 * where the share depends on c (below it the guest makes up the whole stall).
 */
export function fitThrottleCatchUp(
  observations: readonly ThrottleObservation[],
  timesliceMs: number,
  catchUpMs: number,
): LinearFit {
  const informative = observations.filter((o) => {
    const p = o.throttlePercent / 100;
    return (timesliceMs * p) / (1 - p) > catchUpMs;
  });
  return leastSquares(
    informative.map(() => [1]),
    informative.map((o) => {
      const p = o.throttlePercent / 100;
      return o.share * (timesliceMs + (timesliceMs * p) / (1 - p)) - timesliceMs;
    }),
  );
}

/** The destination's resume after QEMU's reported downtime, one value for the campaign. */
export interface ResumeFit {
  /** Median of downtime_guest_ms − downtime_ms, seconds. */
  readonly seconds: number;
  readonly runs: number;
  readonly minSeconds: number;
  readonly maxSeconds: number;
}

/**
 * The guest resumes on the target after QEMU's `downtime` ends on the source (the destination loads
 * the last device state or the post-copy package, then starts the vCPUs): the median gap between the
 * harness's two downtimes over the completed runs that report both. The median, not the mean: the
 * gap is skewed by a destination that waited for the CPU.
 */
export function fitDestinationResume(runs: readonly CalibrationRun[]): ResumeFit {
  const gaps = runs
    .filter((r) => r.outcome !== 'cancelled' && r.downtimeMs !== null && r.downtimeGuestMs !== null)
    .map((r) => ((r.downtimeGuestMs as number) - (r.downtimeMs as number)) / 1000)
    .sort((a, b) => a - b);
  if (gaps.length === 0)
    throw new Error('fitDestinationResume: no run reports both downtime_ms and downtime_guest_ms');
  const mid = Math.floor(gaps.length / 2);
  const seconds = gaps.length % 2 === 1 ? gaps[mid] : (gaps[mid - 1] + gaps[mid]) / 2;
  return { seconds, runs: gaps.length, minSeconds: gaps[0], maxSeconds: gaps[gaps.length - 1] };
}
