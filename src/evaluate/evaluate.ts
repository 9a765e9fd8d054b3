import type { Plan } from '../plan/format/types.ts';
import type { PlanRun } from '../plan/runner/runner.ts';
import type { Scenario } from '../scenario/types.ts';
import { controlPlaneFindings } from './control-plane-findings.ts';
import { type ControlPlaneMetrics, controlPlaneMetrics } from './control-plane-metrics.ts';
import { bySeverityThenTime, type Finding } from './finding.ts';
import { type TimelineEntry, timeline } from './timeline.ts';

/** Metrics of other subsystems, added by their evaluators under their own key. */
export interface Metrics extends ControlPlaneMetrics {
  readonly [subsystem: string]: unknown;
}

export interface Evaluation {
  readonly scenario: string;
  readonly plan: string;
  readonly seed: number | string;
  readonly harvesterVersion: string;
  readonly ok: boolean;
  readonly metrics: Metrics;
  readonly findings: readonly Finding[];
  readonly timeline: readonly TimelineEntry[];
}

/** An evaluator of one subsystem: metrics under `key` and findings, from the trace only. */
export interface SubsystemEvaluator {
  readonly key: string;
  metrics(run: PlanRun, scenario: Scenario): unknown;
  findings(run: PlanRun, scenario: Scenario): Finding[];
}

export function evaluate(
  run: PlanRun,
  scenario: Scenario,
  plan: Plan,
  seed: number | string,
  evaluators: readonly SubsystemEvaluator[] = [],
): Evaluation {
  const metrics: Record<string, unknown> = {
    ...controlPlaneMetrics(run.records, run.startSeconds, run.endSeconds),
  };
  const findings = controlPlaneFindings(run.records, scenario, run.startSeconds);
  for (const evaluator of evaluators) {
    metrics[evaluator.key] = evaluator.metrics(run, scenario);
    findings.push(...evaluator.findings(run, scenario));
  }
  return {
    scenario: scenario.name,
    plan: plan.name,
    seed,
    harvesterVersion: scenario.harvesterVersion,
    ok: run.ok,
    metrics: metrics as Metrics,
    findings: findings.sort(bySeverityThenTime),
    timeline: timeline(run.records, run.startSeconds),
  };
}
