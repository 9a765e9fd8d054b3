import type { Trace } from '../trace/record.ts';
import { controlPlaneFindings } from './control-plane-findings.ts';
import { type ControlPlaneMetrics, controlPlaneMetrics } from './control-plane-metrics.ts';
import { bySeverityThenTime, type Finding } from './finding.ts';
import { type MigrationMetrics, migrationFindings, migrationMetrics } from './migration.ts';
import { inPlanTime, type RunSummary, runSummary } from './run-summary.ts';
import { type StorageMetrics, storageFindings, storageMetrics } from './storage.ts';
import { type TimelineEntry, timeline } from './timeline.ts';

export interface Metrics extends ControlPlaneMetrics {
  readonly migration: MigrationMetrics;
  readonly storage: StorageMetrics;
}

export interface Evaluation {
  readonly scenario: string;
  readonly plan: string;
  /** The root seed of a simulated run; null for an observed one. */
  readonly seed: number | string | null;
  readonly harvesterVersion: string;
  /** The scenario's warnings (legal but doubtful values), from `run.start`; empty when none. */
  readonly warnings: readonly string[];
  readonly ok: boolean;
  readonly metrics: Metrics;
  readonly findings: readonly Finding[];
  readonly timeline: readonly TimelineEntry[];
}

/** An evaluator of one more subsystem: metrics under `key` and findings, from the trace only. */
export interface SubsystemEvaluator {
  readonly key: string;
  /** `records` are in plan time (seconds from `run.start`). */
  metrics(records: Trace, run: RunSummary): unknown;
  findings(records: Trace, run: RunSummary): Finding[];
}

/**
 * Evaluates one run from its trace alone (simulated, or observed on a real cluster): metrics,
 * findings and the timeline, all in plan time. The trace must hold a `run.start` record.
 */
export function evaluate(trace: Trace, extra: readonly SubsystemEvaluator[] = []): Evaluation {
  const run = runSummary(trace);
  const records = inPlanTime(trace, run.traceStartSeconds);
  const metrics: Record<string, unknown> = {
    ...controlPlaneMetrics(records, run),
    migration: migrationMetrics(records),
    storage: storageMetrics(records, run),
  };
  const findings = [
    ...controlPlaneFindings(records, run),
    ...migrationFindings(records),
    ...storageFindings(records, run),
  ];
  for (const evaluator of extra) {
    metrics[evaluator.key] = evaluator.metrics(records, run);
    findings.push(...evaluator.findings(records, run));
  }
  return {
    scenario: run.scenario,
    plan: run.plan,
    seed: run.seed,
    harvesterVersion: run.harvesterVersion,
    warnings: run.warnings ?? [],
    ok: run.ok,
    metrics: metrics as unknown as Metrics,
    findings: findings.sort(bySeverityThenTime),
    timeline: timeline(records),
  };
}
