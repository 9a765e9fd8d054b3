/**
 * What a comparison keeps of one seed's run: whether the plan completed (and why not), the compared
 * metrics and the findings grouped by kind. Small enough to cross a worker boundary by the hundred.
 */
import type { Evaluation } from '../evaluate/evaluate.ts';
import type { Severity } from '../evaluate/finding.ts';
import { groupFindings } from '../evaluate/finding-groups.ts';
import { type MetricValues, metricValues } from './metrics.ts';

export interface SeedFindingGroup {
  readonly rule: string;
  readonly severity: Severity;
  readonly count: number;
  readonly title: string;
  readonly objects: readonly string[];
  readonly source: string;
}

export interface SeedOutcome {
  readonly seed: number | string;
  readonly ok: boolean;
  /** The step the plan stopped at (0-based index), and why; null when it completed. */
  readonly failedStep: number | null;
  readonly reason: string;
  readonly metrics: MetricValues;
  readonly findings: readonly SeedFindingGroup[];
}

export function seedOutcome(evaluation: Evaluation, seed: number | string): SeedOutcome {
  let data: { failedStep?: number | null; reason?: string } = {};
  for (const e of evaluation.timeline)
    if (e.subsystem === 'plan' && e.kind === 'plan.end') data = e.data as typeof data;
  return {
    seed,
    ok: evaluation.ok,
    failedStep: evaluation.ok ? null : (data.failedStep ?? null),
    reason: data.reason ?? 'the trace has no plan.end record',
    metrics: metricValues(evaluation),
    findings: groupFindings(evaluation.findings).map((g) => ({
      rule: g.rule,
      severity: g.severity,
      count: g.count,
      title: g.title,
      objects: g.objects,
      source: g.source,
    })),
  };
}
