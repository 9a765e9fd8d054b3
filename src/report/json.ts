/**
 * The JSON report of one run (`evaluate --json`, `report --json`): the evaluation with its findings
 * grouped by kind (`findingGroups`, the source sentence once per rule) and the ungrouped list kept
 * under `findings` for readers that want each one, without the source (look it up by `rule`).
 */
import type { Evaluation } from '../evaluate/evaluate.ts';
import type { Finding } from '../evaluate/finding.ts';
import { type FindingGroup, groupFindings } from '../evaluate/finding-groups.ts';

export interface EvaluationJson extends Omit<Evaluation, 'findings'> {
  readonly findingGroups: readonly FindingGroup[];
  readonly findings: readonly Omit<Finding, 'source'>[];
}

export function evaluationJson(evaluation: Evaluation): EvaluationJson {
  const { findings, timeline, ...rest } = evaluation;
  return {
    ...rest,
    findingGroups: groupFindings(findings),
    findings: findings.map(({ source: _source, ...f }) => f),
    timeline,
  };
}

export function evaluationJsonText(evaluation: Evaluation): string {
  return `${JSON.stringify(evaluationJson(evaluation), null, 2)}\n`;
}
