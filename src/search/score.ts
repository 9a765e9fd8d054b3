/**
 * A plan's score over seeds: how many runs completed, how many stranded the etcd leader on the
 * witness, critical findings, then the chosen objective. Every candidate is scored on the same
 * seeds, so differences come from the plan, not the draw.
 */
import type { Evaluation } from '../evaluate/evaluate.ts';

export const OBJECTIVES = ['duration', 'api-downtime', 'quorum-lost', 'force-restarts'] as const;
export type Objective = (typeof OBJECTIVES)[number];

const OBJECTIVE_TEXT: Record<Objective, string> = {
  duration: 'plan duration',
  'api-downtime': 'API unavailable',
  'quorum-lost': 'etcd quorum lost',
  'force-restarts': 'VMs force-restarted',
};

/** Findings that say the leader was stranded on the witness (src/evaluate/control-plane-findings.ts). */
const STRANDED_RULES = new Set(['etcd.last-member-is-witness', 'etcd.delete-pod-no-effect']);

export interface Score {
  readonly runs: number;
  readonly completed: number;
  /** Runs where the etcd leader stayed on the witness. */
  readonly stranded: number;
  readonly criticalFindings: number;
  readonly warningFindings: number;
  readonly objective: Objective;
  /** Mean of the objective over the completed runs (all runs when none completed): seconds, or a count for force-restarts. */
  readonly objectiveMean: number;
  readonly objectiveMax: number;
  /** Seeds whose run did not complete. */
  readonly failedSeeds: readonly (number | string)[];
}

function objectiveValue(evaluation: Evaluation, objective: Objective): number {
  const m = evaluation.metrics;
  switch (objective) {
    case 'duration':
      return m.durationSeconds;
    case 'api-downtime':
      return m.apiUnavailableSeconds;
    case 'quorum-lost':
      return m.quorumLostIntervals.reduce((sum, i) => sum + (i.endSeconds - i.startSeconds), 0);
    case 'force-restarts':
      return m.vmsForceRestarted;
  }
}

export function scoreOf(evaluations: readonly Evaluation[], objective: Objective): Score {
  const completed = evaluations.filter((e) => e.ok);
  const values = (completed.length > 0 ? completed : evaluations).map((e) => objectiveValue(e, objective));
  const count = (severity: string) =>
    evaluations.reduce((n, e) => n + e.findings.filter((f) => f.severity === severity).length, 0);
  return {
    runs: evaluations.length,
    completed: completed.length,
    stranded: evaluations.filter((e) => e.findings.some((f) => STRANDED_RULES.has(f.rule))).length,
    criticalFindings: count('critical'),
    warningFindings: count('warning'),
    objective,
    objectiveMean: values.reduce((a, b) => a + b, 0) / Math.max(1, values.length),
    objectiveMax: Math.max(0, ...values),
    failedSeeds: evaluations.filter((e) => !e.ok).map((e) => e.seed ?? ''),
  };
}

/**
 * Differences of the objective's mean that count as equal: a few seeds' draws of boot and shutdown
 * times move a 12 h plan's duration by tens of seconds, and a minute is below what an operator plans
 * for. [inf] A choice of this tool, not a cluster default.
 */
export const OBJECTIVE_TOLERANCE: Record<Objective, number> = {
  duration: 60,
  'api-downtime': 60,
  'quorum-lost': 60,
  'force-restarts': 0,
};

/** Negative when `a` is better: more completed, fewer stranded, fewer critical and warning findings, lower objective. */
export function compareScores(a: Score, b: Score): number {
  const objective = a.objectiveMean - b.objectiveMean;
  return (
    b.completed / b.runs - a.completed / a.runs ||
    a.stranded / a.runs - b.stranded / b.runs ||
    a.criticalFindings / a.runs - b.criticalFindings / b.runs ||
    a.warningFindings / a.runs - b.warningFindings / b.runs ||
    (Math.abs(objective) <= OBJECTIVE_TOLERANCE[a.objective] ? 0 : objective)
  );
}

export function scoreText(s: Score): string {
  const unit = s.objective === 'force-restarts' ? '' : ' s';
  return `completed ${s.completed}/${s.runs}, leader stranded on the witness in ${s.stranded}, ${s.criticalFindings} critical and ${s.warningFindings} warning findings, ${OBJECTIVE_TEXT[s.objective]} mean ${s.objectiveMean.toFixed(0)}${unit} (max ${s.objectiveMax.toFixed(0)}${unit})`;
}
