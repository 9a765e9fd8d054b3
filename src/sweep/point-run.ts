/** One grid point: its scenario run over the sweep's seeds, measured. */
import { migrationMetrics } from '../evaluate/migration.ts';
import { runPlan } from '../plan/runner/runner.ts';
import { measureRun, type PointResult, type RunMeasure, summarizePoint } from './point-metrics.ts';
import {
  type PreparedSweep,
  pointScenario,
  prepareSweep,
  type SweepSpec,
  specDigest,
  sweepSeeds,
} from './spec.ts';

export function runPoint(prepared: PreparedSweep, index: number): PointResult {
  const { point, scenario } = pointScenario(prepared, index);
  const runs: RunMeasure[] = sweepSeeds(prepared.spec).map((seed) => {
    // Only the migration metrics are read: the rest of the evaluation is not computed.
    const run = runPlan(scenario, prepared.plan, { seed });
    return measureRun(migrationMetrics(run.records), run.records);
  });
  return summarizePoint(index, point, runs);
}

/** A worker's task: grid points of one sweep, the spec prepared (or found prepared) once for them. */
export function runPointBatch(task: { spec: SweepSpec; indices: readonly number[] }): PointResult[] {
  if (task.indices.length === 0) return [];
  const prepared = preparedFor(task.spec);
  return task.indices.map((index) => runPoint(prepared, index));
}

/** Prepared sweeps by spec digest: a worker thread parses each sweep's scenario once. */
const prepared = new Map<string, PreparedSweep>();

export function preparedFor(spec: SweepSpec): PreparedSweep {
  const digest = specDigest(spec);
  let found = prepared.get(digest);
  if (found === undefined) {
    found = prepareSweep(spec);
    prepared.clear();
    prepared.set(digest, found);
  }
  return found;
}
