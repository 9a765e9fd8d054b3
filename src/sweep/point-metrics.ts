/**
 * What a sweep measures at one grid point, from the runs' traces and evaluations only: the evacuation
 * makespan, per-VM downtime percentiles, aborted, post-copy and failed migrations, bytes moved and
 * guest CPU seconds lost to auto-converge throttling.
 */
import type { MigrationMetrics } from '../evaluate/migration.ts';
import type { Trace } from '../trace/record.ts';
import type { GridPoint } from './grid.ts';

/** One run (one seed) at one grid point. */
export interface RunMeasure {
  readonly makespanSeconds: number;
  /** Downtime of each migration that moved its VM (completed or post-copy), ms. */
  readonly downtimesMs: readonly number[];
  readonly migrations: number;
  readonly aborted: number;
  readonly postCopy: number;
  /** Failed, cancelled or VM lost. */
  readonly failed: number;
  readonly bytesMoved: number;
  /** Σ over migrations of ∫ throttle dt: vCPU seconds auto-converge took from the guests. */
  readonly throttledGuestSeconds: number;
  /** Every maintenance in the run completed (the node was emptied). */
  readonly evacuated: boolean;
}

/** A grid point's result over its seeds. Counts and bytes are means per run. */
export interface PointResult {
  readonly index: number;
  readonly settings: GridPoint;
  readonly runs: number;
  readonly makespanSeconds: number;
  readonly makespanMaxSeconds: number;
  readonly downtimeP50Ms: number;
  readonly downtimeP99Ms: number;
  readonly migrations: number;
  readonly aborted: number;
  readonly postCopy: number;
  readonly failed: number;
  /** Runs whose evacuation did not complete. */
  readonly notEvacuatedRuns: number;
  readonly bytesMoved: number;
  readonly throttledGuestSeconds: number;
  /** Aborted + failed migrations per run, plus one per run that did not evacuate: what the ranking minimizes first. */
  readonly failures: number;
}

export function measureRun(m: MigrationMetrics, trace: Trace): RunMeasure {
  const moved = m.migrations.filter((x) => x.outcome === 'completed' || x.outcome === 'post-copy');
  return {
    makespanSeconds: m.evacuationMakespanSeconds,
    downtimesMs: moved.map((x) => x.downtimeMs),
    migrations: m.migrations.length,
    aborted: m.aborted,
    postCopy: m.postCopy,
    failed: m.failed,
    bytesMoved: m.migrations.reduce((sum, x) => sum + x.transferredBytes, 0),
    throttledGuestSeconds: throttledGuestSeconds(trace),
    evacuated: m.maintenance.every((x) => x.outcome === 'completed'),
  };
}

/** From the `throttle` records (percent from then on) to each migration's `result`. */
export function throttledGuestSeconds(trace: Trace): number {
  const current = new Map<string, { percent: number; sinceSeconds: number }>();
  let total = 0;
  for (const r of trace) {
    if (r.subsystem !== 'kubevirt.migration') continue;
    if (r.kind !== 'throttle' && r.kind !== 'result') continue;
    const id = r.data.migration;
    const before = current.get(id);
    if (before !== undefined) total += (before.percent / 100) * (r.timeSeconds - before.sinceSeconds);
    if (r.kind === 'throttle') current.set(id, { percent: r.data.percent, sinceSeconds: r.timeSeconds });
    else current.delete(id);
  }
  return total;
}

/** Nearest-rank percentile (p in 0…100) of the values; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** The point's result: downtimes pooled over every run's migrations, the rest averaged per run. */
export function summarizePoint(index: number, settings: GridPoint, runs: readonly RunMeasure[]): PointResult {
  const downtimes = runs.flatMap((r) => r.downtimesMs);
  const aborted = mean(runs.map((r) => r.aborted));
  const failed = mean(runs.map((r) => r.failed));
  const notEvacuatedRuns = runs.filter((r) => !r.evacuated).length;
  return {
    index,
    settings,
    runs: runs.length,
    makespanSeconds: mean(runs.map((r) => r.makespanSeconds)),
    makespanMaxSeconds: Math.max(...runs.map((r) => r.makespanSeconds)),
    downtimeP50Ms: percentile(downtimes, 50),
    downtimeP99Ms: percentile(downtimes, 99),
    migrations: mean(runs.map((r) => r.migrations)),
    aborted,
    postCopy: mean(runs.map((r) => r.postCopy)),
    failed,
    notEvacuatedRuns,
    bytesMoved: mean(runs.map((r) => r.bytesMoved)),
    throttledGuestSeconds: mean(runs.map((r) => r.throttledGuestSeconds)),
    failures: aborted + failed + notEvacuatedRuns / runs.length,
  };
}
